import { describe, expect, it } from 'vitest';
import vectorFile from '../test/vectors/signatures.json' with { type: 'json' };
import { parseRfc1123 } from './dates.ts';
import { buildPresignedUrl, parseRequestTarget } from './url.ts';
import { stringToSignV1 } from './v1-canonical.ts';
import { presignV1, signV1 } from './v1-sign.ts';
import { canonicalRequestV4 } from './v4-canonical.ts';
import { presignV4, signV4 } from './v4-sign.ts';
import { type VerifiableRequest, verifyRequest } from './verify.ts';

interface Vector {
  id: string;
  version: 'v1' | 'v4';
  mode: 'header' | 'presign';
  method: string;
  bucket: string;
  key: string;
  region?: string;
  product?: string;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
  signTime?: number;
  expiration?: number;
  expires?: number;
  endpoint?: string;
  additionalHeaders?: string[];
  expected: {
    stringToSign?: string;
    canonicalRequest?: string;
    authorization?: string;
    signature?: string;
    url?: string;
    params?: Record<string, string>;
  };
  note?: string;
}

const vectors = (vectorFile as unknown as { vectors: Vector[] }).vectors;

function requestOf(v: Vector) {
  return { method: v.method, bucket: v.bucket, key: v.key, query: v.query, headers: v.headers };
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const found = Object.entries(headers).find(([n]) => n.toLowerCase() === name);
  return found?.[1];
}

const lookupFor = (v: Vector) => async (id: string) =>
  id === v.credentials.accessKeyId
    ? { accessKeySecret: v.credentials.accessKeySecret, securityToken: v.credentials.securityToken }
    : undefined;

// Turns a URL into the request a server would see, going through parseRequestTarget as the
// dev server does (virtual-hosted: bucket from the first host label).
function receivedFromUrl(
  url: string,
  method: string,
  headers: Record<string, string>,
): VerifiableRequest {
  const parsed = new URL(url);
  const bucket = parsed.hostname.split('.')[0];
  const target = parseRequestTarget(`${parsed.pathname}${parsed.search}`, { bucket });
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  return { method, ...target, headers: lower };
}

function sortedParams(url: string): string[] {
  return new URL(url).search.slice(1).split('&').sort();
}

describe('official vectors (test/vectors/signatures.json)', () => {
  it('has every vector of the shared file', () => {
    expect(vectors.map((v) => v.id)).toEqual([
      'V1-1',
      'V1-2',
      'V1-2b',
      'V1-Q1',
      'V1-Q2',
      'V4-H1',
      'V4-H2',
      'V4-H3',
      'V4-Q1',
      'V4-Q2',
      'V4-Q3',
    ]);
  });

  for (const v of vectors.filter((x) => x.version === 'v1' && x.mode === 'header')) {
    describe(v.id, () => {
      const date = parseRfc1123(headerValue(v.headers, 'x-oss-date')!)!;

      it('string to sign matches', () => {
        const expected =
          v.expected.stringToSign ?? vectors.find((x) => x.id === 'V1-2')!.expected.stringToSign;
        expect(stringToSignV1(requestOf(v))).toBe(expected!);
      });

      it('authorization matches', async () => {
        const signed = await signV1(requestOf(v), { credentials: v.credentials, date });
        expect(signed.authorization).toBe(v.expected.authorization!);
        expect(signed.headers['authorization']).toBe(v.expected.authorization!);
        if (v.expected.stringToSign) expect(signed.stringToSign).toBe(v.expected.stringToSign);
      });

      it('verifies on the server side', async () => {
        const lower: Record<string, string> = {};
        for (const [n, value] of Object.entries(v.headers)) lower[n.toLowerCase()] = value;
        lower['authorization'] = v.expected.authorization!;
        const result = await verifyRequest(
          { method: v.method, bucket: v.bucket, key: v.key, query: v.query, headers: lower },
          { region: 'cn-hangzhou', lookupCredentials: lookupFor(v), now: date },
        );
        expect(result).toEqual({ ok: true, accessKeyId: 'ak', version: 'v1', presigned: false });
      });
    });
  }

  for (const v of vectors.filter((x) => x.version === 'v1' && x.mode === 'presign')) {
    describe(v.id, () => {
      const date = new Date((v.expires! - 900) * 1000);
      const presign = () =>
        presignV1(requestOf(v), { credentials: v.credentials, date, expires: 900 });

      it('string to sign, signature and URL match', async () => {
        const result = await presign();
        expect(result.stringToSign).toBe(v.expected.stringToSign!);
        const signature = result.query.find(([n]) => n === 'Signature')?.[1];
        if (v.expected.signature) expect(signature).toBe(v.expected.signature);
        expect(result.expiresAt.getTime()).toBe(v.expires! * 1000);
        const url = buildPresignedUrl(v.endpoint!, v.bucket, v.key, result.query);
        expect(url).toBe(v.expected.url!);
      });

      it('the official URL verifies before expiry and is refused after', async () => {
        const received = receivedFromUrl(v.expected.url!, v.method, v.headers);
        expect(received.key).toBe(v.key);
        const options = { region: 'cn-hangzhou', lookupCredentials: lookupFor(v) };
        const ok = await verifyRequest(received, { ...options, now: date });
        expect(ok.ok).toBe(true);
        const late = await verifyRequest(received, { ...options, now: (v.expires! + 1) * 1000 });
        expect(late.ok).toBe(false);
        if (!late.ok) {
          expect(late.code).toBe('AccessDenied');
          expect(late.message).toBe('Request has expired.');
        }
      });
    });
  }

  for (const v of vectors.filter((x) => x.version === 'v4' && x.mode === 'header')) {
    describe(v.id, () => {
      const date = new Date(v.signTime! * 1000);
      const options = {
        credentials: v.credentials,
        date,
        region: v.region!,
        product: v.product!,
        ...(v.additionalHeaders ? { additionalHeaders: v.additionalHeaders } : {}),
      };

      it('canonical request, string to sign and authorization match', async () => {
        const signed = await signV4(requestOf(v), options);
        expect(signed.authorization).toBe(v.expected.authorization!);
        if (v.expected.canonicalRequest) {
          expect(signed.canonicalRequest).toBe(v.expected.canonicalRequest);
        }
        if (v.expected.stringToSign) expect(signed.stringToSign).toBe(v.expected.stringToSign);
        expect(signed.headers['x-oss-date']).toBe(signed.stringToSign.split('\n')[1]!);
      });

      if (v.additionalHeaders) {
        it('gives the same result for the noted superset of additional headers', async () => {
          const signed = await signV4(requestOf(v), {
            ...options,
            additionalHeaders: ['x-oss-no-exist', 'ZAbc', 'x-oss-head1', 'abc'],
          });
          expect(signed.authorization).toBe(v.expected.authorization!);
        });
      }

      it('verifies on the server side', async () => {
        const signed = await signV4(requestOf(v), options);
        const result = await verifyRequest(
          {
            method: v.method,
            bucket: v.bucket,
            key: v.key,
            query: v.query,
            headers: signed.headers,
          },
          { region: v.region!, product: v.product!, lookupCredentials: lookupFor(v), now: date },
        );
        expect(result).toEqual({ ok: true, accessKeyId: 'ak', version: 'v4', presigned: false });
      });
    });
  }

  for (const v of vectors.filter((x) => x.version === 'v4' && x.mode === 'presign')) {
    describe(v.id, () => {
      const date = new Date(v.signTime! * 1000);
      const options = {
        credentials: v.credentials,
        date,
        region: v.region!,
        product: v.product!,
        expires: v.expiration! - v.signTime!,
        ...(v.additionalHeaders ? { additionalHeaders: v.additionalHeaders } : {}),
      };

      it('parameters and canonical request match', async () => {
        const result = await presignV4(requestOf(v), options);
        const params = Object.fromEntries(result.query);
        for (const [name, value] of Object.entries(v.expected.params!)) {
          expect(params[name]).toBe(value);
        }
        if (!v.expected.params!['x-oss-additional-headers']) {
          expect(params['x-oss-additional-headers']).toBeUndefined();
        }
        if (v.expected.canonicalRequest) {
          expect(result.canonicalRequest).toBe(v.expected.canonicalRequest);
          expect(
            canonicalRequestV4(
              { ...requestOf(v), query: result.query.filter(([n]) => n !== 'x-oss-signature') },
              v.additionalHeaders,
            ),
          ).toBe(v.expected.canonicalRequest);
        }
        expect(result.expiresAt.getTime()).toBe(v.expiration! * 1000);
      });

      if (v.additionalHeaders) {
        it('gives the same signature for the noted superset of additional headers', async () => {
          const result = await presignV4(requestOf(v), {
            ...options,
            additionalHeaders: ['x-oss-no-exist', 'abc', 'x-oss-head1', 'ZAbc'],
          });
          expect(Object.fromEntries(result.query)['x-oss-signature']).toBe(
            v.expected.params!['x-oss-signature']!,
          );
        });
      }

      if (v.expected.url) {
        it('builds the same URL up to path slash encoding and parameter order', async () => {
          const result = await presignV4(requestOf(v), options);
          const url = buildPresignedUrl(v.endpoint!, v.bucket, v.key, result.query);
          expect(sortedParams(url)).toEqual(sortedParams(v.expected.url!));
          expect(new URL(url).pathname).toBe('/1234%2B-/123/1.txt');
          expect(new URL(url).host).toBe(new URL(v.expected.url!).host);
        });

        it('the official URL (with %2F in the path) verifies, and is refused once expired', async () => {
          const received = receivedFromUrl(v.expected.url!, v.method, v.headers);
          expect(received.key).toBe(v.key);
          const verifyOptions = { region: v.region!, lookupCredentials: lookupFor(v) };
          const ok = await verifyRequest(received, { ...verifyOptions, now: date });
          expect(ok.ok).toBe(true);
          const late = await verifyRequest(received, {
            ...verifyOptions,
            now: (v.expiration! + 1) * 1000,
          });
          expect(late.ok).toBe(false);
          if (!late.ok) expect(late.message).toBe('Request has expired.');
        });
      }

      it('verifies what presignV4 produced', async () => {
        const result = await presignV4(requestOf(v), options);
        const url = buildPresignedUrl(v.endpoint!, v.bucket, v.key, result.query);
        const received = receivedFromUrl(url, v.method, result.headers);
        const verdict = await verifyRequest(received, {
          region: v.region!,
          lookupCredentials: lookupFor(v),
          now: date,
        });
        expect(verdict.ok).toBe(true);
      });
    });
  }
});
