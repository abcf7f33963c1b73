import { describe, expect, it } from 'vitest';
import {
  OssArgumentError,
  OssError,
  OssIntegrityError,
  OssNetworkError,
  OssServiceError,
  OssTimeoutError,
  redactStringToSign,
  redactUrl,
  UploadError,
} from './errors.ts';

describe('error classes', () => {
  it('form one hierarchy with names and fields', () => {
    const cause = new TypeError('fetch failed');
    const errors = [
      new OssArgumentError('bucket', 'bad'),
      new OssNetworkError('lost', { cause, url: 'https://h/k?Signature=s', method: 'PUT' }),
      new OssTimeoutError('slow', 1000),
      new OssIntegrityError({ what: 'part-crc64', expected: '1', actual: '2', partNumber: 3 }),
      new UploadError({ phase: 'uploading', partNumber: 3, cause }),
      new OssServiceError({
        status: 500,
        code: 'InternalError',
        serviceMessage: 'x',
        method: 'GET',
        url: 'u',
      }),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(OssError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(error.constructor.name);
    }
    expect((errors[1] as OssNetworkError).url).toBe('https://h/k');
    expect((errors[1] as OssNetworkError).cause).toBe(cause);
    expect((errors[1] as OssNetworkError).retryable).toBe(true);
    expect((errors[2] as OssTimeoutError).timeoutMs).toBe(1000);
  });

  it('compose integrity and upload messages that say what to do', () => {
    const integrity = new OssIntegrityError({
      what: 'part-crc64',
      expected: '11',
      actual: '22',
      partNumber: 4,
      bucket: 'b',
      key: 'k',
    });
    expect(integrity.message).toContain('part-crc64 mismatch of part 4 of "b/k"');
    expect(integrity.message).toContain('upload it again');
    const upload = new UploadError({
      phase: 'completing',
      bucket: 'b',
      key: 'k',
      checkpointId: 'cp1',
      cause: integrity,
    });
    expect(upload.message).toContain('failed while completing');
    expect(upload.message).toContain('checkpoint cp1');
    expect(upload.cause).toBe(integrity);
  });

  it('classify retryable service answers', () => {
    const make = (status: number, code: string) =>
      new OssServiceError({ status, code, serviceMessage: '', method: 'PUT', url: 'u' }).retryable;
    expect(make(500, 'InternalError')).toBe(true);
    expect(make(503, '')).toBe(true);
    expect(make(429, '')).toBe(true);
    expect(make(403, 'RequestTimeTooSkewed')).toBe(true);
    expect(make(403, 'AccessDenied')).toBe(false);
    expect(make(400, 'InvalidArgument')).toBe(false);
    expect(make(404, 'NoSuchUpload')).toBe(false);
    const expired = new OssServiceError({
      status: 403,
      code: 'SecurityTokenExpired',
      serviceMessage: '',
      method: 'PUT',
      url: 'u',
    });
    expect(expired.credentialsExpired).toBe(true);
  });
});

describe('redaction', () => {
  it('strips signature, credential and token parameters from URLs', () => {
    expect(redactUrl('https://h/k')).toBe('https://h/k');
    expect(redactUrl('https://h/k?OSSAccessKeyId=ak&Expires=1&Signature=x%2B&versionId=v')).toBe(
      'https://h/k?Expires=1&versionId=v',
    );
    expect(
      redactUrl(
        'https://h/k?x-oss-credential=a&x-oss-date=d&x-oss-security-token=t&x-oss-signature=s&uploadId=u',
      ),
    ).toBe('https://h/k?x-oss-date=d&uploadId=u');
    expect(redactUrl('https://h/k?security-token=t')).toBe('https://h/k');
  });

  it('hides the STS token in a string to sign', () => {
    expect(redactStringToSign('GET\n\n\n1\nx-oss-security-token:abc\n/b/k')).toBe(
      'GET\n\n\n1\nx-oss-security-token:<redacted>\n/b/k',
    );
    expect(redactStringToSign('GET\n\n\n1\n/b/k?security-token=abc&versionId=v')).toBe(
      'GET\n\n\n1\n/b/k?security-token=<redacted>&versionId=v',
    );
  });
});
