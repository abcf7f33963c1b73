import { describe, expect, it } from 'vitest';
import { checkSignRequest, type SignPolicy } from '../server/sign-policy.ts';

const policy: SignPolicy = {
  bucket: 'web-uploads',
  keyPrefix: 'uploads/',
  region: 'cn-hangzhou',
  signatureVersion: 'v4',
};

/** A RemoteSignRequest as @ossup/client sends it, for UploadPart by default. */
function request(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    method: 'PUT',
    bucket: 'web-uploads',
    key: 'uploads/big.bin',
    query: [
      ['partNumber', '3'],
      ['uploadId', '0F1E2D3C4B5A69788796A5B4C3D2E1F0'],
    ],
    headers: { 'content-type': 'application/octet-stream', 'content-md5': 'q83vEjRWeJA=' },
    signatureVersion: 'v4',
    region: 'cn-hangzhou',
    product: 'oss',
    operation: 'UploadPart',
    ...overrides,
  };
}

function refusal(input: unknown): { status: number; message: string } {
  const decision = checkSignRequest(input, policy);
  if (decision.ok) throw new Error('expected a refusal');
  return { status: decision.status, message: decision.message };
}

describe('checkSignRequest', () => {
  it('accepts every operation an upload needs', () => {
    const uploadId = ['uploadId', 'ABC123'];
    const cases: Array<[string, string, unknown[], Record<string, string>]> = [
      [
        'InitiateMultipartUpload',
        'POST',
        [
          ['uploads', ''],
          ['encoding-type', 'url'],
        ],
        { 'content-type': 'video/mp4', 'x-oss-meta-origin': 'web' },
      ],
      ['UploadPart', 'PUT', [['partNumber', '10000'], uploadId], { 'content-md5': 'x' }],
      [
        'CompleteMultipartUpload',
        'POST',
        [uploadId, ['encoding-type', 'url']],
        { 'content-type': 'application/xml' },
      ],
      ['AbortMultipartUpload', 'DELETE', [uploadId], {}],
      ['ListParts', 'GET', [uploadId, ['max-parts', '1000'], ['encoding-type', 'url']], {}],
      ['PutObject', 'PUT', [], { 'content-type': 'image/png', 'x-oss-forbid-overwrite': 'true' }],
      ['HeadObject', 'HEAD', [], {}],
    ];
    for (const [operation, method, query, headers] of cases) {
      const decision = checkSignRequest(request({ operation, method, query, headers }), policy);
      expect(decision.ok ? decision.request.operation : decision.message).toBe(operation);
    }
  });

  it('returns the request to sign, normalised', () => {
    const decision = checkSignRequest(
      request({ method: 'put', headers: { 'Content-Type': 'application/octet-stream' } }),
      policy,
    );
    expect(decision).toEqual({
      ok: true,
      request: {
        operation: 'UploadPart',
        method: 'PUT',
        bucket: 'web-uploads',
        key: 'uploads/big.bin',
        query: [
          ['partNumber', '3'],
          ['uploadId', '0F1E2D3C4B5A69788796A5B4C3D2E1F0'],
        ],
        headers: { 'content-type': 'application/octet-stream' },
      },
    });
  });

  it('refuses another bucket, a key outside the prefix, and bucket-level requests', () => {
    expect(refusal(request({ bucket: 'other' }))).toEqual({
      status: 403,
      message: 'Only bucket "web-uploads" may be written from this page.',
    });
    expect(refusal(request({ key: 'secrets/big.bin' })).status).toBe(403);
    expect(
      refusal(request({ key: undefined, method: 'GET', query: [], operation: 'ListObjects' }))
        .status,
    ).toBe(403);
    expect(
      refusal(
        request({
          key: undefined,
          method: 'GET',
          query: [['uploads', '']],
          operation: 'ListMultipartUploads',
        }),
      ).status,
    ).toBe(403);
  });

  it('refuses operations an uploader does not need', () => {
    // DeleteObject, GetObject, ListMultipartUploads on a key, PutObjectACL, tagging...
    expect(
      refusal(request({ method: 'DELETE', query: [], operation: 'DeleteObject' })).message,
    ).toMatch(/not an upload operation/);
    expect(refusal(request({ method: 'GET', query: [], operation: 'GetObject' })).status).toBe(403);
    expect(
      refusal(request({ method: 'PUT', query: [['acl', '']], operation: 'PutObjectACL' })).status,
    ).toBe(403);
    expect(
      refusal(
        request({
          method: 'POST',
          query: [
            ['uploads', ''],
            ['tagging', ''],
          ],
          operation: 'InitiateMultipartUpload',
        }),
      ).status,
    ).toBe(403);
  });

  it('refuses copies from other objects and ACL changes hidden in headers', () => {
    expect(
      refusal(request({ headers: { 'x-oss-copy-source': '/web-uploads/private.bin' } })).message,
    ).toBe('Header x-oss-copy-source is not allowed on UploadPart.');
    expect(
      refusal(
        request({
          method: 'PUT',
          query: [],
          operation: 'PutObject',
          headers: { 'x-oss-object-acl': 'public-read' },
        }),
      ).status,
    ).toBe(403);
    expect(refusal(request({ headers: { 'x-oss-meta-a': 'b' } })).status).toBe(403);
  });

  it('does not trust the operation label', () => {
    expect(refusal(request({ operation: 'HeadObject' }))).toEqual({
      status: 400,
      message: 'This request is UploadPart, not HeadObject.',
    });
  });

  it('checks the scheme, region and the values it signs', () => {
    expect(refusal(request({ signatureVersion: 'v1' })).status).toBe(400);
    expect(refusal(request({ region: 'us-west-1' })).status).toBe(400);
    expect(
      refusal(
        request({
          query: [
            ['partNumber', '0'],
            ['uploadId', 'A'],
          ],
        }),
      ).status,
    ).toBe(400);
    expect(
      refusal(
        request({
          query: [
            ['partNumber', '10001'],
            ['uploadId', 'A'],
          ],
        }),
      ).status,
    ).toBe(400);
    expect(
      refusal(
        request({
          query: [
            ['partNumber', '1'],
            ['uploadId', 'a/../b'],
          ],
        }),
      ).status,
    ).toBe(400);
    expect(
      refusal(
        request({
          query: [
            ['partNumber', '1'],
            ['partNumber', '2'],
            ['uploadId', 'A'],
          ],
        }),
      ).message,
    ).toBe('A query parameter is repeated.');
    expect(refusal(request({ headers: { 'x-oss-content-sha256': 'abc' } })).status).toBe(400);
    expect(refusal(request({ key: `uploads/${'x'.repeat(1100)}` })).status).toBe(400);
  });

  it('refuses malformed input', () => {
    expect(refusal(null).status).toBe(400);
    expect(refusal([]).status).toBe(400);
    expect(refusal(request({ query: { partNumber: '1' } })).status).toBe(400);
    expect(refusal(request({ headers: { 'content-md5': 5 } })).status).toBe(400);
    expect(refusal(request({ method: 7 })).status).toBe(400);
  });
});
