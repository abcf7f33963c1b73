import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIso8601Basic, formatRfc1123, parseIso8601Basic, parseRfc1123 } from './dates.ts';
import { createSigner } from './signer.ts';
import type { SignatureVersion } from './types.ts';
import { buildPresignedUrl, parseRequestTarget } from './url.ts';
import { isV1SubResource } from './v1-canonical.ts';
import { V1_PRESIGN_PARAMS } from './v1-sign.ts';
import { V4_PRESIGN_PARAMS } from './v4-sign.ts';
import { type VerifiableRequest, verifyRequest } from './verify.ts';

// Property tests: whatever the request, what the signer produces, sent through a real URL
// (WHATWG parsing, as fetch does) and parsed back the way the dev server does, verifies;
// and changing any signed part afterwards makes verification fail.

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);
const ENDPOINT = 'http://oss-cn-hangzhou.aliyuncs.com';
const RESERVED = new Set([...V1_PRESIGN_PARAMS, ...V4_PRESIGN_PARAMS]);

const tricky = fc.constantFrom(
  '/',
  ' ',
  '+',
  '%',
  '~',
  '*',
  '?',
  '#',
  '😀',
  'ü',
  '中',
  '.',
  '..',
  '=',
  '&',
  '%2F',
  '%20',
  ';',
);
const keyArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  {
    weight: 6,
    arbitrary: fc
      .array(fc.oneof(tricky, fc.string({ unit: 'binary', minLength: 1, maxLength: 4 })), {
        minLength: 1,
        maxLength: 8,
      })
      .map((parts) => parts.join(''))
      .filter((key) => key !== '.' && key !== '..'),
  },
);
const queryName = fc
  .oneof(
    fc.constantFrom(
      'uploads',
      'uploadId',
      'partNumber',
      'acl',
      'max-parts',
      'prefix',
      'encoding-type',
      'x-oss-process',
      'response-content-disposition',
      'versionId',
    ),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }),
  )
  .filter((name) => !RESERVED.has(name));
const queryValue = fc.oneof(fc.constant(''), fc.string({ unit: 'binary', maxLength: 8 }));
const printable = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));
const headerValue = fc
  .string({ unit: printable, minLength: 1, maxLength: 16 })
  .map((value) => value.trim())
  .filter((value) => value !== '');
const headerName = fc.oneof(
  fc.constantFrom('Content-Type', 'content-md5', 'Range', 'X-Custom', 'Cache-Control'),
  fc.stringMatching(/^[a-z0-9-]{1,8}$/).map((suffix) => `x-oss-meta-${suffix}`),
  fc.stringMatching(/^[a-z0-9]{1,6}$/).map((suffix) => `X-Oss-Meta-Up${suffix}`),
);

const scenario = fc.record({
  version: fc.constantFrom<SignatureVersion>('v1', 'v4'),
  presigned: fc.boolean(),
  pathStyle: fc.boolean(),
  method: fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'put', 'get'),
  // Not "xn--…": such a host label must be valid punycode, and the WHATWG URL parsers of
  // Deno and browsers refuse one that is not ("xn--00" failed here under Deno), so it is not
  // something this round trip can carry in a virtual-hosted URL.
  bucket: fc
    .stringMatching(/^[a-z0-9][a-z0-9-]{1,20}[a-z0-9]$/)
    .filter((b) => !b.startsWith('xn--')),
  key: keyArb,
  query: fc.array(fc.tuple(queryName, queryValue), { maxLength: 5 }),
  headers: fc.dictionary(headerName, headerValue, { maxKeys: 5 }),
  additionalHeaders: fc.subarray(['range', 'x-custom', 'cache-control', 'host']),
  token: fc.option(
    fc
      .string({ unit: printable, minLength: 1, maxLength: 12 })
      .map((t) => t.trim())
      .filter((t) => t !== ''),
    { nil: undefined },
  ),
  region: fc.constantFrom('cn-hangzhou', 'ap-southeast-1', 'cb-123'),
  product: fc.constantFrom('oss', 'oss-cloudbox'),
  offsetMs: fc.integer({ min: 0, max: 3_600_000 }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

const SECRET = 'secret/+=key';

async function produce(s: Scenario) {
  const now = NOW + s.offsetMs;
  const signer = createSigner({
    version: s.version,
    region: s.region,
    product: s.product,
    credentials: { accessKeyId: 'AKID', accessKeySecret: SECRET, securityToken: s.token },
    now: () => now,
  });
  const host = s.pathStyle
    ? 'oss-cn-hangzhou.aliyuncs.com'
    : `${s.bucket}.oss-cn-hangzhou.aliyuncs.com`;
  const request = {
    method: s.method,
    bucket: s.bucket,
    key: s.key,
    query: s.query,
    headers: { ...s.headers, Host: host },
  };
  let url: string;
  let headers: Record<string, string>;
  if (s.presigned) {
    const result = await signer.presign(request, {
      expires: 300,
      additionalHeaders: s.additionalHeaders,
    });
    url = buildPresignedUrl(ENDPOINT, s.bucket, s.key, result.query, { pathStyle: s.pathStyle });
    headers = result.headers;
  } else {
    const result = await signer.sign(request, { additionalHeaders: s.additionalHeaders });
    url = buildPresignedUrl(ENDPOINT, s.bucket, s.key, s.query, { pathStyle: s.pathStyle });
    headers = result.headers;
  }
  // What the server sees: the URL as parsed by a WHATWG parser, split by parseRequestTarget.
  const parsed = new URL(url);
  expect(parsed.host).toBe(host);
  const target = parseRequestTarget(
    `${parsed.pathname}${parsed.search}`,
    s.pathStyle ? {} : { bucket: parsed.hostname.split('.')[0] },
  );
  const received: VerifiableRequest = {
    method: s.method.toUpperCase(),
    ...target,
    headers: Object.fromEntries(
      Object.entries(headers).map(([n, v]) => [n.toLowerCase(), v.trim()]),
    ),
  };
  const options = {
    region: s.region,
    product: s.product,
    now,
    lookupCredentials: async (id: string) =>
      id === 'AKID' ? { accessKeySecret: SECRET, securityToken: s.token } : undefined,
  };
  return { received, options, now };
}

type Tamper = 'method' | 'key' | 'header' | 'query' | 'date' | 'signature';

function flip(value: string): string {
  const first =
    value[0] === 'A' || value[0] === '0'
      ? value[0] === 'A'
        ? 'B'
        : '1'
      : value[0] === 'B'
        ? 'A'
        : /[0-9a-f]/.test(value[0]!)
          ? value[0] === 'a'
            ? 'b'
            : 'a'
          : 'A';
  return first + value.slice(1);
}

function tamper(s: Scenario, request: VerifiableRequest, what: Tamper): VerifiableRequest {
  const query = request.query.map(([n, v]) => [n, v] as [string, string]);
  const headers = { ...request.headers } as Record<string, string>;
  switch (what) {
    case 'method':
      return { ...request, method: request.method === 'GET' ? 'PUT' : 'GET' };
    case 'key':
      return { ...request, key: `${request.key ?? ''}x` };
    case 'header': {
      const name = Object.keys(headers).find(
        (n) => n === 'content-type' || n === 'content-md5' || n.startsWith('x-oss-meta-'),
      );
      if (name) headers[name] = `${headers[name]}x`;
      else headers['x-oss-meta-tampered'] = '1';
      return { ...request, headers };
    }
    case 'query': {
      const index = query.findIndex(
        ([n]) => !RESERVED.has(n) && (s.version === 'v4' || isV1SubResource(n)),
      );
      if (index >= 0) query[index] = [query[index]![0], `${query[index]![1]}x`];
      else query.push(['uploadId', 'tampered']);
      return { ...request, query };
    }
    case 'date': {
      if (s.presigned) {
        const name = s.version === 'v1' ? 'Expires' : 'x-oss-date';
        const index = query.findIndex(([n]) => n === name);
        const [, value] = query[index]!;
        query[index] = [
          name,
          s.version === 'v1'
            ? String(Number(value) + 1)
            : formatIso8601Basic(new Date(parseIso8601Basic(value)!.getTime() + 1000)),
        ];
        return { ...request, query };
      }
      const value = headers['x-oss-date']!;
      headers['x-oss-date'] =
        s.version === 'v1'
          ? formatRfc1123(new Date(parseRfc1123(value)!.getTime() + 1000))
          : formatIso8601Basic(new Date(parseIso8601Basic(value)!.getTime() + 1000));
      return { ...request, headers };
    }
    case 'signature': {
      if (s.presigned) {
        const name = s.version === 'v1' ? 'Signature' : 'x-oss-signature';
        const index = query.findIndex(([n]) => n === name);
        query[index] = [name, flip(query[index]![1])];
        return { ...request, query };
      }
      const auth = headers['authorization']!;
      const at = s.version === 'v1' ? auth.indexOf(':') + 1 : auth.indexOf('Signature=') + 10;
      headers['authorization'] = auth.slice(0, at) + flip(auth.slice(at));
      return { ...request, headers };
    }
  }
}

describe('sign -> URL -> parse -> verify round trips', () => {
  it('verifies every signed or presigned request, in both versions', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { received, options } = await produce(s);
        expect(received.key).toBe(s.key);
        const result = await verifyRequest(received, options);
        expect(result).toEqual({
          ok: true,
          accessKeyId: 'AKID',
          version: s.version,
          presigned: s.presigned,
          ...(s.presigned
            ? { expiresAt: new Date(Math.floor((NOW + s.offsetMs) / 1000) * 1000 + 300_000) }
            : {}),
        });
      }),
      { numRuns: 250 },
    );
  });

  it('fails with SignatureDoesNotMatch when any signed part is changed', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario,
        fc.constantFrom<Tamper>('method', 'key', 'header', 'query', 'date', 'signature'),
        async (s, what) => {
          const { received, options } = await produce(s);
          const result = await verifyRequest(tamper(s, received, what), options);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.code).toBe('SignatureDoesNotMatch');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fails for a wrong secret, an unknown key, an expired URL and a wrong token', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { received, options, now } = await produce(s);
        const wrongSecret = await verifyRequest(received, {
          ...options,
          lookupCredentials: async () => ({
            accessKeySecret: `${SECRET}!`,
            securityToken: s.token,
          }),
        });
        expect(wrongSecret.ok ? 'ok' : wrongSecret.code).toBe('SignatureDoesNotMatch');
        const unknown = await verifyRequest(received, {
          ...options,
          lookupCredentials: async () => undefined,
        });
        expect(unknown.ok ? 'ok' : unknown.code).toBe('InvalidAccessKeyId');
        const wrongToken = await verifyRequest(received, {
          ...options,
          lookupCredentials: async () => ({
            accessKeySecret: SECRET,
            securityToken: `${s.token ?? ''}other`,
          }),
        });
        expect(wrongToken.ok ? 'ok' : wrongToken.code).toBe('InvalidSecurityToken');
        const later = await verifyRequest(received, { ...options, now: now + 16 * 60_000 });
        expect(later.ok ? 'ok' : later.code).toBe(
          s.presigned ? 'AccessDenied' : 'RequestTimeTooSkewed',
        );
      }),
      { numRuns: 150 },
    );
  });
});
