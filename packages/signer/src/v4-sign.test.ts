import { describe, expect, it } from 'vitest';
import { toHex } from './crypto.ts';
import { deriveSigningKeyV4 } from './key-cache.ts';
import {
  credentialScopeV4,
  normalizeRegion,
  presignV4,
  signatureV4,
  signV4,
  stringToSignV4,
} from './v4-sign.ts';

const credentials = { accessKeyId: 'ak', accessKeySecret: 'sk' };
const H1_CANONICAL =
  'PUT\n/bucket/1234%2B-/123/1.txt\n%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2\ncontent-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\nx-oss-head1:value\n\n\nUNSIGNED-PAYLOAD';
const H1_STRING_TO_SIGN =
  'OSS4-HMAC-SHA256\n20231216T162057Z\n20231216/cn-hangzhou/oss/aliyun_v4_request\nf4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4';

describe('credentialScopeV4', () => {
  it('builds date/region/product/aliyun_v4_request', () => {
    expect(credentialScopeV4(new Date(1702743657000), 'cn-hangzhou', 'oss')).toBe(
      '20231216/cn-hangzhou/oss/aliyun_v4_request',
    );
    expect(credentialScopeV4('20231216T162057Z', 'cb-123', 'oss-cloudbox')).toBe(
      '20231216/cb-123/oss-cloudbox/aliyun_v4_request',
    );
  });
});

describe('stringToSignV4', () => {
  it('hashes the canonical request (vector V4-H1)', async () => {
    const scope = '20231216/cn-hangzhou/oss/aliyun_v4_request';
    expect(await stringToSignV4(H1_CANONICAL, '20231216T162057Z', scope)).toBe(H1_STRING_TO_SIGN);
    expect(await stringToSignV4(H1_CANONICAL, new Date(1702743657000), scope)).toBe(
      H1_STRING_TO_SIGN,
    );
  });
});

describe('deriveSigningKeyV4', () => {
  it('matches the derived kSigning of oss-protocol §2.3', async () => {
    const key = await deriveSigningKeyV4('sk', '20231216', 'cn-hangzhou', 'oss');
    expect(toHex(key)).toBe('b412a03b134ebddd720f5167b5de6db66620ebb3b01cff4d49e3ccb09f8de97f');
  });

  it('depends on every scope part', async () => {
    const base = toHex(await deriveSigningKeyV4('sk', '20231216', 'cn-hangzhou', 'oss'));
    const variants: Array<[string, string, string, string]> = [
      ['sk2', '20231216', 'cn-hangzhou', 'oss'],
      ['sk', '20231217', 'cn-hangzhou', 'oss'],
      ['sk', '20231216', 'cn-shanghai', 'oss'],
      ['sk', '20231216', 'cn-hangzhou', 'oss-cloudbox'],
    ];
    for (const [secret, date, region, product] of variants) {
      expect(toHex(await deriveSigningKeyV4(secret, date, region, product))).not.toBe(base);
    }
  });
});

describe('signatureV4', () => {
  it('signs the V4-H1 string to sign into the official signature', async () => {
    const key = await deriveSigningKeyV4('sk', '20231216', 'cn-hangzhou', 'oss');
    expect(await signatureV4(key, H1_STRING_TO_SIGN)).toBe(
      'e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe',
    );
  });
});

describe('normalizeRegion', () => {
  it('strips an oss- prefix and rejects nonsense', () => {
    expect(normalizeRegion('oss-cn-hangzhou')).toBe('cn-hangzhou');
    expect(normalizeRegion('cn-hangzhou')).toBe('cn-hangzhou');
    expect(normalizeRegion('cb-123')).toBe('cb-123');
    expect(() => normalizeRegion('')).toThrow(TypeError);
    expect(() => normalizeRegion('a/b')).toThrow(TypeError);
  });
});

describe('signV4', () => {
  const date = new Date(Date.UTC(2024, 4, 1, 12, 0, 0, 789));
  const request = { method: 'PUT', bucket: 'b', key: 'k', headers: { 'Content-Type': 'a/b' } };

  it('returns the full header set with x-oss-date, payload hash and authorization', async () => {
    const signed = await signV4(request, { credentials, date, region: 'oss-cn-hangzhou' });
    expect(Object.keys(signed.headers).sort()).toEqual([
      'authorization',
      'content-type',
      'x-oss-content-sha256',
      'x-oss-date',
    ]);
    expect(signed.headers['x-oss-date']).toBe('20240501T120000Z');
    expect(signed.headers['x-oss-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    expect(signed.authorization).toMatch(
      /^OSS4-HMAC-SHA256 Credential=ak\/20240501\/cn-hangzhou\/oss\/aliyun_v4_request,Signature=[0-9a-f]{64}$/,
    );
    expect(signed.date.getTime()).toBe(Date.UTC(2024, 4, 1, 12, 0, 0));
    expect(signed.version).toBe('v4');
  });

  it('owns authorization, x-oss-date and x-oss-security-token', async () => {
    const signed = await signV4(
      {
        ...request,
        headers: {
          Authorization: 'stale',
          'X-Oss-Date': 'stale',
          'x-oss-security-token': 'stale',
        },
      },
      { credentials, date, region: 'cn-hangzhou' },
    );
    expect(signed.headers['x-oss-date']).toBe('20240501T120000Z');
    expect(signed.headers['x-oss-security-token']).toBeUndefined();
    expect(signed.headers['authorization']).toBe(signed.authorization);
    const sts = await signV4(request, {
      credentials: { ...credentials, securityToken: 'tok' },
      date,
      region: 'cn-hangzhou',
    });
    expect(sts.headers['x-oss-security-token']).toBe('tok');
    expect(sts.canonicalRequest).toContain('\nx-oss-security-token:tok\n');
  });

  it('lists resolved additional headers and scopes the product', async () => {
    const signed = await signV4(
      { ...request, headers: { Host: 'b.example', Range: 'bytes=0-1' } },
      {
        credentials,
        date,
        region: 'cb-1',
        product: 'oss-cloudbox',
        additionalHeaders: ['Range', 'host', 'absent'],
      },
    );
    expect(signed.authorization).toContain(
      'Credential=ak/20240501/cb-1/oss-cloudbox/aliyun_v4_request,AdditionalHeaders=host;range,Signature=',
    );
  });

  it('rejects bad inputs with a clear error', async () => {
    await expect(
      signV4(request, { credentials, date: new Date(Number.NaN), region: 'cn-hangzhou' }),
    ).rejects.toThrow(TypeError);
    await expect(
      signV4(request, {
        credentials: { accessKeyId: '', accessKeySecret: 's' },
        date,
        region: 'r',
      }),
    ).rejects.toThrow('accessKeyId');
    await expect(signV4(request, { credentials, date, region: 'r', product: '' })).rejects.toThrow(
      TypeError,
    );
  });
});

describe('presignV4', () => {
  const date = new Date(Date.UTC(2024, 4, 1, 12, 0, 0));
  const request = { method: 'GET', bucket: 'b', key: 'k' };

  it('defaults to 15 minutes and accepts 1..604800 seconds', async () => {
    const result = await presignV4(request, { credentials, date, region: 'cn-hangzhou' });
    expect(Object.fromEntries(result.query)['x-oss-expires']).toBe('900');
    expect(result.expiresAt.getTime()).toBe(date.getTime() + 900_000);
    const week = await presignV4(request, { credentials, date, region: 'r', expires: 604800 });
    expect(Object.fromEntries(week.query)['x-oss-expires']).toBe('604800');
    for (const expires of [0, -1, 604801, 1.5, Number.NaN]) {
      await expect(presignV4(request, { credentials, date, region: 'r', expires })).rejects.toThrow(
        RangeError,
      );
    }
  });

  it('adds no headers, replaces stale signature parameters, ends with x-oss-signature', async () => {
    const result = await presignV4(
      {
        ...request,
        query: [
          ['x-oss-signature', 'old'],
          ['x-oss-date', 'old'],
          ['a', ''],
        ],
      },
      { credentials: { ...credentials, securityToken: 't' }, date, region: 'r' },
    );
    expect(result.headers).toEqual({});
    expect(result.query.map(([n]) => n)).toEqual([
      'a',
      'x-oss-signature-version',
      'x-oss-credential',
      'x-oss-date',
      'x-oss-expires',
      'x-oss-security-token',
      'x-oss-signature',
    ]);
    expect(result.query[result.query.length - 1]![1]).toMatch(/^[0-9a-f]{64}$/);
    expect(result.canonicalRequest).toContain('x-oss-security-token=t');
    expect(result.canonicalRequest).not.toContain('x-oss-signature=');
  });
});
