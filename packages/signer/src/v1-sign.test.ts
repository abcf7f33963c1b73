import { describe, expect, it } from 'vitest';
import { importHmacKey, utf8 } from './crypto.ts';
import { presignV1, signatureV1, signV1 } from './v1-sign.ts';

const credentials = { accessKeyId: 'ak', accessKeySecret: 'sk' };
const V1_1 =
  'PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\nWed, 28 Dec 2022 10:27:41 GMT\nx-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\nx-oss-meta-author:alice\nx-oss-meta-magic:abracadabra\n/examplebucket/nelson';

describe('signatureV1', () => {
  it('is Base64 HMAC-SHA1 (vector V1-1), from a secret or an imported key', async () => {
    expect(await signatureV1('sk', V1_1)).toBe('kSHKmLxlyEAKtZPkJhG9bZb5k7M=');
    expect(await signatureV1(await importHmacKey(utf8('sk'), 'SHA-1'), V1_1)).toBe(
      'kSHKmLxlyEAKtZPkJhG9bZb5k7M=',
    );
  });
});

describe('signV1', () => {
  const date = new Date(Date.UTC(2022, 11, 28, 10, 27, 41, 500));

  it('puts the time in x-oss-date, replacing any caller copy', async () => {
    const signed = await signV1(
      { method: 'GET', bucket: 'b', key: 'k', headers: { 'X-OSS-Date': 'stale' } },
      { credentials, date },
    );
    expect(signed.headers['x-oss-date']).toBe('Wed, 28 Dec 2022 10:27:41 GMT');
    expect(signed.headers['date']).toBeUndefined();
    expect(signed.stringToSign).toBe(
      'GET\n\n\nWed, 28 Dec 2022 10:27:41 GMT\nx-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\n/b/k',
    );
    expect(signed.authorization).toMatch(/^OSS ak:[A-Za-z0-9+/]{27}=$/);
  });

  it('sends the STS token as x-oss-security-token, signed', async () => {
    const signed = await signV1(
      { method: 'GET', bucket: 'b' },
      { credentials: { ...credentials, securityToken: 'tok' }, date },
    );
    expect(signed.headers['x-oss-security-token']).toBe('tok');
    expect(signed.stringToSign).toContain('x-oss-security-token:tok\n/b/');
  });

  it('signs registered extra sub-resources', async () => {
    const request = { method: 'GET', bucket: 'b', query: { resourceGroup: 'rg', custom: 'c' } };
    const plain = await signV1(request, { credentials, date });
    expect(plain.stringToSign.endsWith('/b/?resourceGroup=rg')).toBe(true);
    const extra = await signV1(request, { credentials, date, subResources: ['custom'] });
    expect(extra.stringToSign.endsWith('/b/?custom=c&resourceGroup=rg')).toBe(true);
  });
});

describe('presignV1', () => {
  const date = new Date(Date.UTC(2023, 10, 12, 16, 28, 40));

  it('uses the absolute expiry as the date line and returns the query', async () => {
    const result = await presignV1(
      { method: 'GET', bucket: 'bucket', key: 'key', query: { versionId: 'versionId' } },
      { credentials, date, expires: 900 },
    );
    expect(result.stringToSign).toBe('GET\n\n\n1699807420\n/bucket/key?versionId=versionId');
    expect(result.query).toEqual([
      ['versionId', 'versionId'],
      ['OSSAccessKeyId', 'ak'],
      ['Expires', '1699807420'],
      ['Signature', 'dcLTea+Yh9ApirQ8o8dOPqtvJXQ='],
    ]);
  });

  it('adds security-token and replaces stale signature parameters', async () => {
    const result = await presignV1(
      {
        method: 'GET',
        bucket: 'b',
        key: 'k',
        query: [
          ['Signature', 'old'],
          ['Expires', '1'],
        ],
      },
      { credentials: { ...credentials, securityToken: 'tok' }, date },
    );
    expect(result.query.map(([n]) => n)).toEqual([
      'security-token',
      'OSSAccessKeyId',
      'Expires',
      'Signature',
    ]);
    expect(result.stringToSign).toBe(
      `GET\n\n\n${date.getTime() / 1000 + 900}\n/b/k?security-token=tok`,
    );
  });

  it('rejects a non-positive or fractional expiry', async () => {
    for (const expires of [0, -5, 2.5]) {
      await expect(
        presignV1({ method: 'GET', bucket: 'b' }, { credentials, date, expires }),
      ).rejects.toThrow(RangeError);
    }
  });
});
