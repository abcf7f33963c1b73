import { describe, expect, it } from 'vitest';
import { missingHeaderError } from './missing-header-error.ts';

const context = {
  operation: 'UploadPart',
  bucket: 'b',
  key: 'dir/k.bin',
  method: 'PUT',
  url: 'https://b.oss-cn-hangzhou.aliyuncs.com/dir/k.bin?partNumber=1&uploadId=U1',
};

describe('missingHeaderError', () => {
  it('explains a missing ETag as a CORS ExposeHeader problem', () => {
    const error = missingHeaderError(
      'ETag',
      200,
      new Headers({ 'x-oss-request-id': 'R3' }),
      context,
    );
    expect(error.code).toBe('MissingResponseHeader');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('ExposeHeader');
    expect(error.message).toContain('CORS');
    expect(error.requestId).toBe('R3');
  });
});
