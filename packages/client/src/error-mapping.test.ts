import { describe, expect, it } from 'vitest';
import { malformedResponseError, serviceErrorFromResponse } from './error-mapping.ts';
import { OssServiceError } from './errors.ts';

// Fixture bodies: shapes from oss-protocol.md §4.0 (real OSS examples) plus the foreign bodies a
// client meets in practice (proxy HTML, empty HEAD answers).
const NO_SUCH_UPLOAD = `<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>NoSuchUpload</Code>
  <Message>The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.</Message>
  <RequestId>63E37239D9A902383982A9EC</RequestId>
  <HostId>examplebucket.oss-cn-hangzhou.aliyuncs.com</HostId>
  <UploadId>00358B75E5C546AF822369CE04A48A14</UploadId>
  <EC>0042-00000104</EC>
</Error>`;

const SIGNATURE_MISMATCH = `<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>SignatureDoesNotMatch</Code>
  <Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>
  <RequestId>5A016E35CB3DB13FD2BAAB3A</RequestId>
  <HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId>
  <OSSAccessKeyId>ak</OSSAccessKeySecret>
</Error>`
  .replace('</OSSAccessKeySecret>', '</OSSAccessKeyId>')
  .replace(
    '</Error>',
    `  <SignatureProvided>kSHKmLxlyEAKtZPkJhG9bZb5k7M=</SignatureProvided>
  <StringToSign>PUT\n\ntext/html\nWed, 28 Dec 2022 10:27:41 GMT\nx-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\nx-oss-security-token:SECRET-STS-TOKEN\n/b/k</StringToSign>
  <StringToSignBytes>50 55 54</StringToSignBytes>
  <EC>0002-00000040</EC>
</Error>`,
  );

const context = {
  operation: 'UploadPart',
  bucket: 'b',
  key: 'dir/k.bin',
  method: 'PUT',
  url: 'https://b.oss-cn-hangzhou.aliyuncs.com/dir/k.bin?partNumber=1&uploadId=U1&x-oss-signature=sig-abc-123&x-oss-credential=ak%2Fscope&security-token=sts-tok-xyz',
};

function respond(status: number, body: string, headers: Record<string, string> = {}) {
  return { status, headers: new Headers(headers), body };
}

describe('serviceErrorFromResponse', () => {
  it('maps an OSS error document with code, ids, EC and details', () => {
    const error = serviceErrorFromResponse(
      respond(404, NO_SUCH_UPLOAD, { 'x-oss-request-id': 'HDR-ID' }),
      context,
      0,
    );
    expect(error).toBeInstanceOf(OssServiceError);
    expect(error.status).toBe(404);
    expect(error.code).toBe('NoSuchUpload');
    expect(error.requestId).toBe('HDR-ID');
    expect(error.hostId).toBe('examplebucket.oss-cn-hangzhou.aliyuncs.com');
    expect(error.ec).toBe('0042-00000104');
    expect(error.details['UploadId']).toBe('00358B75E5C546AF822369CE04A48A14');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(
      'UploadPart of "b/dir/k.bin" failed with HTTP 404 NoSuchUpload',
    );
    expect(error.message).toContain('(request id HDR-ID)');
    expect(error.message).toContain('start a new upload');
  });

  it('never carries a signature, credential or token', () => {
    const error = serviceErrorFromResponse(respond(403, SIGNATURE_MISMATCH), context, 0);
    expect(error.code).toBe('SignatureDoesNotMatch');
    expect(error.requestId).toBe('5A016E35CB3DB13FD2BAAB3A');
    expect(error.message).toContain('Check the AccessKey secret');
    expect(error.message).toContain('clock');
    expect(error.stringToSign).toContain('x-oss-security-token:<redacted>');
    const everything = JSON.stringify({
      ...error,
      message: error.message,
      url: error.url,
      details: error.details,
    });
    for (const secret of [
      'SECRET-STS-TOKEN',
      'kSHKmLxlyEAKtZPkJhG9bZb5k7M=',
      'x-oss-signature',
      'sig-abc-123',
      'sts-tok-xyz',
      'scope',
      '50 55 54',
    ]) {
      expect(everything).not.toContain(secret);
    }
    expect(error.url).toBe(
      'https://b.oss-cn-hangzhou.aliyuncs.com/dir/k.bin?partNumber=1&uploadId=U1',
    );
  });

  it('reads a HEAD error from the base64 x-oss-err header', () => {
    const xml =
      '<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>R1</RequestId><HostId>h</HostId></Error>';
    const error = serviceErrorFromResponse(
      respond(404, '', { 'x-oss-err': btoa(xml) }),
      { ...context, method: 'HEAD' },
      0,
    );
    expect(error.code).toBe('NoSuchKey');
    expect(error.requestId).toBe('R1');
  });

  it('falls back to status and headers for an empty body', () => {
    const error = serviceErrorFromResponse(
      respond(404, '', { 'x-oss-request-id': 'R2', 'x-oss-ec': '0015-00000101' }),
      context,
      0,
    );
    expect(error.code).toBe('');
    expect(error.requestId).toBe('R2');
    expect(error.ec).toBe('0015-00000101');
    expect(error.message).toContain('HTTP 404');
    expect(error.message).toContain('no body');
  });

  it('recognises an HTML page from a proxy', () => {
    const html =
      '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
    const error = serviceErrorFromResponse(respond(502, html), context, 0);
    expect(error.code).toBe('');
    expect(error.retryable).toBe(true);
    expect(error.serviceMessage).toContain('HTML page titled "502 Bad Gateway"');
    expect(error.message).toContain('proxy');
  });

  it('keeps an excerpt of any other body, and reads Retry-After', () => {
    const error = serviceErrorFromResponse(
      respond(429, '{"error":"slow down"}', { 'retry-after': '2' }),
      context,
      0,
    );
    expect(error.serviceMessage).toContain('slow down');
    expect(error.retryAfterMs).toBe(2000);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('Too many requests');
  });

  it('gives actionable hints for the common codes', () => {
    const hint = (code: string, status = 403) =>
      serviceErrorFromResponse(
        respond(status, `<Error><Code>${code}</Code><Message>m</Message></Error>`),
        context,
        0,
      ).message;
    expect(hint('RequestTimeTooSkewed')).toContain('fix the system clock');
    expect(hint('NoSuchBucket', 404)).toContain('Create the bucket');
    expect(hint('InvalidAccessKeyId')).toContain('AccessKey ID');
    expect(hint('SecurityTokenExpired')).toContain('fresh temporary credentials');
    expect(hint('AccessDenied')).toContain('policy');
  });
});

describe('client-side response errors', () => {
  it('reports an unreadable success body', () => {
    const error = malformedResponseError(200, new Headers(), context, new Error('not XML'));
    expect(error.code).toBe('MalformedResponse');
    expect(error.message).toContain('not XML');
  });
});
