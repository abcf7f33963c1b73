import { describe, expect, it } from 'vitest';
import { createSigner } from './signer.ts';
import { presignV1, signV1 } from './v1-sign.ts';
import { presignV4, signV4 } from './v4-sign.ts';

const credentials = { accessKeyId: 'ak', accessKeySecret: 'sk' };
const now = Date.UTC(2024, 4, 1, 12, 0, 0);
const request = {
  method: 'PUT',
  bucket: 'b',
  key: 'dir/file.bin',
  query: { partNumber: '1', uploadId: 'u' },
  headers: { 'Content-Type': 'application/octet-stream', Range: 'bytes=0-9' },
};

describe('createSigner', () => {
  it('defaults to V4 and matches signV4 with the injected clock', async () => {
    const signer = createSigner({ region: 'oss-cn-hangzhou', credentials, now: () => now });
    expect(signer.version).toBe('v4');
    expect(signer.region).toBe('cn-hangzhou');
    expect(signer.product).toBe('oss');
    const signed = await signer.sign(request);
    const direct = await signV4(request, {
      credentials,
      date: new Date(now),
      region: 'cn-hangzhou',
    });
    expect(signed).toEqual(direct);
  });

  it('merges signer-level and per-call additional headers', async () => {
    const signer = createSigner({
      region: 'cn-hangzhou',
      credentials,
      now: () => new Date(now),
      additionalHeaders: ['range'],
    });
    const signed = await signer.sign(
      { ...request, headers: { ...request.headers, Host: 'h' } },
      { additionalHeaders: ['host'] },
    );
    expect(signed.authorization).toContain('AdditionalHeaders=host;range,');
  });

  it('presigns like presignV4, with per-call expiry and date', async () => {
    const signer = createSigner({ region: 'cn-hangzhou', credentials });
    const date = new Date(now);
    const result = await signer.presign(request, { expires: 60, date });
    expect(result).toEqual(
      await presignV4(request, { credentials, date, region: 'cn-hangzhou', expires: 60 }),
    );
  });

  it('signs V1 with extra sub-resources', async () => {
    const signer = createSigner({
      version: 'v1',
      region: 'cn-hangzhou',
      credentials,
      now: () => now,
      subResources: ['custom'],
    });
    const withCustom = { ...request, query: { ...request.query, custom: 'x' } };
    const signed = await signer.sign(withCustom);
    expect(signed).toEqual(
      await signV1(withCustom, { credentials, date: new Date(now), subResources: ['custom'] }),
    );
    expect(signed.stringToSign).toContain('custom=x');
    const presigned = await signer.presign(withCustom, { expires: 30 });
    expect(presigned).toEqual(
      await presignV1(withCustom, {
        credentials,
        date: new Date(now),
        expires: 30,
        subResources: ['custom'],
      }),
    );
  });

  it('uses a credentials provider once, and again after invalidateCredentials()', async () => {
    let calls = 0;
    const signer = createSigner({
      region: 'cn-hangzhou',
      now: () => now,
      credentialsProvider: async () => ({
        accessKeyId: `ak${++calls}`,
        accessKeySecret: 'sk',
        securityToken: 'tok',
        expiration: new Date(now + 3_600_000),
      }),
    });
    const [a, b] = await Promise.all([signer.sign(request), signer.sign(request)]);
    expect(calls).toBe(1);
    expect(a.headers['x-oss-security-token']).toBe('tok');
    expect(b.authorization).toContain('Credential=ak1/');
    signer.invalidateCredentials();
    expect((await signer.sign(request)).authorization).toContain('Credential=ak2/');
  });

  it('requires exactly one credentials source and a known version', () => {
    expect(() => createSigner({ region: 'r' })).toThrow(TypeError);
    expect(() =>
      createSigner({ region: 'r', credentials, credentialsProvider: async () => credentials }),
    ).toThrow(TypeError);
    expect(() => createSigner({ region: 'r', credentials, version: 'v2' as 'v4' })).toThrow(
      TypeError,
    );
    expect(() =>
      createSigner({ region: 'r', credentials: { accessKeyId: 'a', accessKeySecret: '' } }),
    ).toThrow('accessKeySecret');
  });
});
