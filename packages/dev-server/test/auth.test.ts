import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevServer } from '../src/index.ts';
import { errorCode, ossRequest, send, xmlValue } from './helpers/oss-client.ts';
import { clientFor, testServer } from './helpers/server.ts';

let server: DevServer;
let oss: ReturnType<typeof clientFor>;
const B = 'auth';

beforeAll(async () => {
  server = await testServer({ buckets: [B] });
  oss = clientFor(server);
  await oss({ method: 'PUT', bucket: B, key: 'k+ü y', body: 'secret data' });
});
afterAll(async () => {
  await server?.close();
});

describe('accepted signatures', () => {
  it.each([
    ['v4', false],
    ['v1', false],
    ['v4', true],
    ['v1', true],
  ] as const)('%s (presigned: %s) reads an object', async (sign, presign) => {
    const res = await oss({ method: 'GET', bucket: B, key: 'k+ü y', sign, presign });
    expect(res.status).toBe(200);
    expect(res.text).toBe('secret data');
  });

  it('signs sub-resources and x-oss headers (V1 multipart)', async () => {
    const init = await oss({
      method: 'POST',
      bucket: B,
      key: 'v1-mp',
      query: [['uploads', '']],
      sign: 'v1',
      headers: { 'x-oss-meta-a': 'b' },
    });
    expect(init.status).toBe(200);
  });

  it('accepts a V4 presigned PUT', async () => {
    const res = await oss({
      method: 'PUT',
      bucket: B,
      key: 'presigned-put',
      body: 'p',
      presign: true,
    });
    expect(res.status).toBe(200);
  });
});

describe('refused requests', () => {
  it('refuses anonymous requests with AccessDenied', async () => {
    const res = await oss({ method: 'GET', bucket: B, key: 'k+ü y', sign: 'none' });
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe('AccessDenied');
    expect(res.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
  });

  it('answers InvalidAccessKeyId for an unknown key', async () => {
    const res = await oss({
      method: 'GET',
      bucket: B,
      key: 'k+ü y',
      credentials: { accessKeyId: 'unknown-key', accessKeySecret: 'x' },
    });
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe('InvalidAccessKeyId');
    expect(xmlValue(res.text, 'OSSAccessKeyId')).toBe('unknown-key');
  });

  it.each(['v4', 'v1'] as const)(
    'answers SignatureDoesNotMatch (%s) with the server string to sign',
    async (sign) => {
      const res = await oss({
        method: 'GET',
        bucket: B,
        key: 'k+ü y',
        sign,
        credentials: {
          accessKeyId: server.credentials.accessKeyId,
          accessKeySecret: 'wrong secret',
        },
      });
      expect(res.status).toBe(403);
      expect(errorCode(res)).toBe('SignatureDoesNotMatch');
      const sts = xmlValue(res.text, 'StringToSign')!;
      expect(sts).toBeDefined();
      if (sign === 'v1') expect(sts.endsWith(`/${B}/k+ü y`)).toBe(true);
      else expect(sts.startsWith('OSS4-HMAC-SHA256\n')).toBe(true);
      expect(xmlValue(res.text, 'StringToSignBytes')).toMatch(/^[0-9A-F]{2}( [0-9A-F]{2})*$/);
      expect(xmlValue(res.text, 'EC')).toBe(sign === 'v1' ? '0002-00000040' : '0002-00000201');
    },
  );

  it('detects a header changed after signing', async () => {
    const res = await oss({
      method: 'PUT',
      bucket: B,
      key: 'tampered',
      body: 'x',
      headers: { 'x-oss-meta-a': '1' },
      afterSign: (h) => {
        h['x-oss-meta-a'] = '2';
      },
    });
    expect(errorCode(res)).toBe('SignatureDoesNotMatch');
  });

  it('answers RequestTimeTooSkewed for a signing time 20 minutes off', async () => {
    const res = await oss({
      method: 'GET',
      bucket: B,
      key: 'k+ü y',
      date: new Date(Date.now() - 20 * 60_000),
    });
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe('RequestTimeTooSkewed');
  });

  it.each(['v4', 'v1'] as const)('refuses an expired %s presigned URL', async (sign) => {
    const res = await oss({
      method: 'GET',
      bucket: B,
      key: 'k+ü y',
      sign,
      presign: true,
      expires: 60,
      date: new Date(Date.now() - 120_000),
    });
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe('AccessDenied');
  });

  it('answers a HEAD auth error with x-oss-err', async () => {
    const res = await oss({ method: 'HEAD', bucket: B, key: 'k+ü y', sign: 'none' });
    expect(res.status).toBe(403);
    expect(res.body.byteLength).toBe(0);
    expect(Buffer.from(res.headers['x-oss-err'] as string, 'base64').toString()).toContain(
      '<Code>AccessDenied</Code>',
    );
  });

  it('refuses a V4 scope for another region', async () => {
    const res = await ossRequest(
      { ...server, region: 'cn-beijing' },
      { method: 'GET', bucket: B, key: 'k+ü y' },
    );
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('InvalidArgument');
  });

  it('refuses an unsupported Authorization scheme', async () => {
    const res = await send(new URL(server.endpoint), 'GET', `/${B}/x`, {
      authorization: 'Bearer abc',
    });
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe('AccessDenied');
  });
});

describe('STS temporary credentials', () => {
  it('works with its token, fails without it or with a wrong one', async () => {
    const t = server.issueTemporaryCredentials({ durationSeconds: 900 });
    expect(t.accessKeyId).toMatch(/^STS\./);
    expect(Date.parse(t.expiration) - Date.now()).toBeGreaterThan(800_000);
    const creds = {
      accessKeyId: t.accessKeyId,
      accessKeySecret: t.accessKeySecret,
      securityToken: t.securityToken,
    };
    for (const sign of ['v4', 'v1'] as const) {
      for (const presign of [false, true]) {
        const ok = await oss({
          method: 'GET',
          bucket: B,
          key: 'k+ü y',
          credentials: creds,
          sign,
          presign,
        });
        expect(ok.status).toBe(200);
      }
    }
    const noToken = await oss({
      method: 'GET',
      bucket: B,
      key: 'k+ü y',
      credentials: { accessKeyId: t.accessKeyId, accessKeySecret: t.accessKeySecret },
    });
    expect(noToken.status).toBe(403);
    expect(errorCode(noToken)).toBe('InvalidSecurityToken');
    const wrong = await oss({
      method: 'GET',
      bucket: B,
      key: 'k+ü y',
      credentials: { ...creds, securityToken: 'forged' },
    });
    expect(errorCode(wrong)).toBe('InvalidSecurityToken');
  });

  it('expires', async () => {
    let now = Date.now();
    const s = await testServer({ buckets: ['sts'], now: () => now });
    try {
      const t = s.issueTemporaryCredentials({ durationSeconds: 60 });
      const creds = {
        accessKeyId: t.accessKeyId,
        accessKeySecret: t.accessKeySecret,
        securityToken: t.securityToken,
      };
      const o = clientFor(s);
      expect(
        (await o({ method: 'GET', bucket: 'sts', credentials: creds, date: new Date(now) })).status,
      ).toBe(200);
      now += 120_000;
      const res = await o({
        method: 'GET',
        bucket: 'sts',
        credentials: creds,
        date: new Date(now),
      });
      expect(res.status).toBe(403);
      expect(errorCode(res)).toBe('SecurityTokenExpired');
    } finally {
      await s.close();
    }
  });

  it('refuses a bad duration', () => {
    expect(() => server.issueTemporaryCredentials({ durationSeconds: 0 })).toThrow(RangeError);
  });
});

describe('anonymous mode', () => {
  it('accepts unsigned requests but still checks signed ones', async () => {
    const s = await testServer({ buckets: ['anon'], anonymous: true });
    try {
      const o = clientFor(s);
      expect(
        (await o({ method: 'PUT', bucket: 'anon', key: 'k', body: 'x', sign: 'none' })).status,
      ).toBe(200);
      expect((await o({ method: 'GET', bucket: 'anon', key: 'k', sign: 'none' })).text).toBe('x');
      const bad = await o({
        method: 'GET',
        bucket: 'anon',
        key: 'k',
        credentials: { accessKeyId: s.credentials.accessKeyId, accessKeySecret: 'nope' },
      });
      expect(errorCode(bad)).toBe('SignatureDoesNotMatch');
    } finally {
      await s.close();
    }
  });
});

describe('configured credentials', () => {
  it('accepts every configured key and nothing else', async () => {
    const keys = [
      { accessKeyId: 'first', accessKeySecret: 'first-secret' },
      { accessKeyId: 'second', accessKeySecret: 'second-secret' },
    ];
    const s = await testServer({ buckets: ['keys'], credentials: keys });
    try {
      expect(s.credentials).toEqual(keys[0]);
      for (const k of keys) {
        expect(
          (await ossRequest({ ...s, credentials: k }, { method: 'GET', bucket: 'keys' })).status,
        ).toBe(200);
      }
      const dev = await ossRequest(
        {
          ...s,
          credentials: {
            accessKeyId: 'ossup-dev-access-key',
            accessKeySecret: 'ossup-dev-secret-key-do-not-use-in-production',
          },
        },
        { method: 'GET', bucket: 'keys' },
      );
      expect(errorCode(dev)).toBe('InvalidAccessKeyId');
    } finally {
      await s.close();
    }
  });
});
