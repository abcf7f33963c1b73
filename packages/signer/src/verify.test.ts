import { describe, expect, it } from 'vitest';
import { formatIso8601Basic, formatRfc1123 } from './dates.ts';
import type { SignableRequest } from './types.ts';
import { stringToSignV1 } from './v1-canonical.ts';
import { presignV1, signatureV1, signV1 } from './v1-sign.ts';
import { presignV4, signV4 } from './v4-sign.ts';
import {
  detectSignature,
  hasSignature,
  stringToSignBytes,
  type VerifiableRequest,
  type VerifyCredentials,
  type VerifyOptions,
  verifyRequest,
} from './verify.ts';

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);
const SECRET = 'the-secret';
const keys = new Map<string, VerifyCredentials>([
  ['ak', { accessKeySecret: SECRET }],
  ['sts', { accessKeySecret: 'sts-secret', securityToken: 'good-token' }],
]);
const options: VerifyOptions = {
  region: 'cn-hangzhou',
  now: NOW,
  lookupCredentials: async (id) => keys.get(id),
};
const credentials = { accessKeyId: 'ak', accessKeySecret: SECRET };
const request: SignableRequest & { bucket: string; key: string } = {
  method: 'PUT',
  bucket: 'b',
  key: 'dir/a b+c.txt',
  query: [
    ['partNumber', '1'],
    ['uploadId', 'u1'],
  ],
  headers: { 'Content-Type': 'application/octet-stream', 'x-oss-meta-a': '1' },
};

function received(
  headers: Record<string, string>,
  query: Array<[string, string]> = request.query as Array<[string, string]>,
): VerifiableRequest {
  return { method: 'PUT', bucket: request.bucket, key: request.key, query, headers };
}

async function signedV4(extra: Partial<Parameters<typeof signV4>[1]> = {}) {
  return signV4(request, {
    credentials,
    date: new Date(NOW),
    region: 'cn-hangzhou',
    ...extra,
  });
}

function expectFailure(result: Awaited<ReturnType<typeof verifyRequest>>, code: string) {
  expect(result.ok).toBe(false);
  if (result.ok) return undefined as never;
  expect(result.code).toBe(code);
  return result;
}

describe('detectSignature / hasSignature', () => {
  it('recognises each scheme and anonymous requests', () => {
    const none = { query: [], headers: {} };
    expect(hasSignature(none)).toBe(false);
    expect(detectSignature(none)).toBeUndefined();
    expect(detectSignature({ query: [], headers: { Authorization: 'OSS a:b' } })).toEqual({
      version: 'v1',
      presigned: false,
      conflicting: false,
    });
    expect(
      detectSignature({ query: [], headers: { authorization: 'OSS4-HMAC-SHA256 Credential=x' } })
        ?.version,
    ).toBe('v4');
    expect(
      detectSignature({ query: [], headers: { authorization: 'OSS2 AccessKeyId:x' } })?.version,
    ).toBe('unsupported');
    expect(detectSignature({ query: [['OSSAccessKeyId', 'a']], headers: {} })).toEqual({
      version: 'v1',
      presigned: true,
      conflicting: false,
    });
    expect(
      detectSignature({ query: [['x-oss-signature-version', 'OSS4-HMAC-SHA256']], headers: {} })
        ?.version,
    ).toBe('v4');
    expect(
      detectSignature({ query: [['x-oss-signature-version', 'OSS2']], headers: {} })?.version,
    ).toBe('unsupported');
    expect(
      detectSignature({ query: [['Signature', 's']], headers: { authorization: 'OSS a:b' } })
        ?.conflicting,
    ).toBe(true);
    expect(hasSignature({ query: [['uploads', '']], headers: { date: 'x' } })).toBe(false);
  });
});

describe('verifyRequest: header-signed V4', () => {
  it('accepts a correctly signed request', async () => {
    const signed = await signedV4();
    expect(await verifyRequest(received(signed.headers), options)).toEqual({
      ok: true,
      accessKeyId: 'ak',
      version: 'v4',
      presigned: false,
    });
  });

  it('reports SignatureDoesNotMatch with the server string to sign and canonical request', async () => {
    const signed = await signedV4();
    const failure = expectFailure(
      await verifyRequest(received({ ...signed.headers, 'x-oss-meta-a': '2' }), options),
      'SignatureDoesNotMatch',
    );
    expect(failure.httpStatus).toBe(403);
    expect(failure.ec).toBe('0002-00000201');
    expect(failure.accessKeyId).toBe('ak');
    expect(failure.canonicalRequest).toBe(
      signed.canonicalRequest!.replace('x-oss-meta-a:1', 'x-oss-meta-a:2'),
    );
    expect(failure.stringToSign).toMatch(
      /^OSS4-HMAC-SHA256\n20240501T120000Z\n20240501\/cn-hangzhou\/oss\/aliyun_v4_request\n[0-9a-f]{64}$/,
    );
    expect(failure.signatureProvided).toBe(signed.authorization.split('Signature=')[1]!);
    expect(failure.message).toBe(
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
  });

  it('gives the same string to sign as the client when only the signature is wrong', async () => {
    const signed = await signedV4();
    const forged = signed.authorization.replace(/Signature=[0-9a-f]{4}/, 'Signature=0000');
    const failure = expectFailure(
      await verifyRequest(received({ ...signed.headers, authorization: forged }), options),
      'SignatureDoesNotMatch',
    );
    expect(failure.stringToSign).toBe(signed.stringToSign);
    expect(failure.canonicalRequest).toBe(signed.canonicalRequest!);
    expect(failure.message).not.toContain(signed.authorization.split('Signature=')[1]!);
  });

  it('accepts the oss2 layout (comma+space, AdditionalHeaders after Signature)', async () => {
    const signed = await signedV4({ additionalHeaders: ['range'] });
    const withRange = await signV4(
      { ...request, headers: { ...request.headers, range: 'bytes=0-1' } },
      { credentials, date: new Date(NOW), region: 'cn-hangzhou', additionalHeaders: ['range'] },
    );
    const match = /Credential=([^,]+),AdditionalHeaders=([^,]+),Signature=(\w+)/.exec(
      withRange.authorization,
    )!;
    const reordered = `OSS4-HMAC-SHA256 Credential=${match[1]}, Signature=${match[3]}, AdditionalHeaders=${match[2]}`;
    const result = await verifyRequest(
      received({ ...withRange.headers, authorization: reordered }),
      options,
    );
    expect(result.ok).toBe(true);
    expect(signed.authorization).not.toContain('AdditionalHeaders');
  });

  it('rejects unknown access keys', async () => {
    const signed = await signV4(request, {
      credentials: { accessKeyId: 'nobody', accessKeySecret: 'x' },
      date: new Date(NOW),
      region: 'cn-hangzhou',
    });
    const failure = expectFailure(
      await verifyRequest(received(signed.headers), options),
      'InvalidAccessKeyId',
    );
    expect(failure.httpStatus).toBe(403);
    expect(failure.accessKeyId).toBe('nobody');
    expect(failure.message).toBe(
      'The OSS Access Key Id you provided does not exist in our records.',
    );
  });

  it('rejects a clock skew beyond 15 minutes either way, and honours maxSkewMs', async () => {
    for (const offset of [15 * 60_000 + 1000, -(15 * 60_000 + 1000)]) {
      const signed = await signedV4({ date: new Date(NOW + offset) });
      const failure = expectFailure(
        await verifyRequest(received(signed.headers), options),
        'RequestTimeTooSkewed',
      );
      expect(failure.httpStatus).toBe(403);
      expect(failure.serverTime).toBe(new Date(NOW).toISOString());
      expect(failure.requestTime).toBe(new Date(NOW + offset).toISOString());
    }
    const within = await signedV4({ date: new Date(NOW - 14 * 60_000) });
    expect((await verifyRequest(received(within.headers), options)).ok).toBe(true);
    const strict = await verifyRequest(received(within.headers), { ...options, maxSkewMs: 60_000 });
    expectFailure(strict, 'RequestTimeTooSkewed');
  });

  it('rejects another region or product with InvalidArgument', async () => {
    const other = await signedV4({ region: 'cn-shanghai' });
    const failure = expectFailure(
      await verifyRequest(received(other.headers), options),
      'InvalidArgument',
    );
    expect(failure.httpStatus).toBe(400);
    expect(failure.ec).toBe('0002-00000228');
    expect(failure.argumentName).toBe('Authorization');
    expect(failure.message).toContain("'cn-shanghai'");
    const cloudbox = await signedV4({ product: 'oss-cloudbox' });
    expectFailure(await verifyRequest(received(cloudbox.headers), options), 'InvalidArgument');
    expect(
      (await verifyRequest(received(cloudbox.headers), { ...options, product: 'oss-cloudbox' })).ok,
    ).toBe(true);
    // The configured region may be written with the endpoint's oss- prefix.
    const same = await signedV4();
    expect(
      (await verifyRequest(received(same.headers), { ...options, region: 'oss-cn-hangzhou' })).ok,
    ).toBe(true);
  });

  it('rejects a credential date that differs from x-oss-date', async () => {
    const signed = await signedV4();
    const failure = expectFailure(
      await verifyRequest(
        received({
          ...signed.headers,
          authorization: signed.authorization.replace('/20240501/', '/20240502/'),
        }),
        options,
      ),
      'InvalidArgument',
    );
    expect(failure.message).toContain('20240502');
  });

  it('requires a well-formed x-oss-date and UNSIGNED-PAYLOAD', async () => {
    const signed = await signedV4();
    const { 'x-oss-date': _, ...withoutDate } = signed.headers;
    expectFailure(await verifyRequest(received(withoutDate), options), 'AccessDenied');
    expectFailure(
      await verifyRequest(received({ ...signed.headers, 'x-oss-date': '2024-05-01' }), options),
      'AccessDenied',
    );
    const payload = expectFailure(
      await verifyRequest(received({ ...signed.headers, 'x-oss-content-sha256': 'abcd' }), options),
      'InvalidArgument',
    );
    expect(payload.argumentName).toBe('x-oss-content-sha256');
  });

  it('rejects malformed Authorization headers', async () => {
    for (const authorization of [
      'OSS4-HMAC-SHA256 Signature=abc',
      'OSS4-HMAC-SHA256 Credential=ak/20240501/cn-hangzhou/oss/aliyun_v4_request',
      'OSS4-HMAC-SHA256 Credential=ak/20240501/cn-hangzhou/oss/abc,Signature=abc',
      'OSS4-HMAC-SHA256 Credential=ak/2024/cn-hangzhou/oss/aliyun_v4_request,Signature=abc',
      'OSS4-HMAC-SHA256 Credential=ak/20240501/cn-hangzhou/oss/aliyun_v4_request,Bogus=1,Signature=a',
    ]) {
      const failure = expectFailure(
        await verifyRequest(received({ authorization, 'x-oss-date': '20240501T120000Z' }), options),
        'AccessDenied',
      );
      expect(failure.httpStatus).toBe(403);
    }
  });

  it('checks STS security tokens', async () => {
    const sts = { accessKeyId: 'sts', accessKeySecret: 'sts-secret' };
    const good = await signedV4({ credentials: { ...sts, securityToken: 'good-token' } });
    expect((await verifyRequest(received(good.headers), options)).ok).toBe(true);
    const wrong = await signedV4({ credentials: { ...sts, securityToken: 'bad-token' } });
    const failure = expectFailure(
      await verifyRequest(received(wrong.headers), options),
      'InvalidSecurityToken',
    );
    expect(failure.httpStatus).toBe(403);
    const missing = await signedV4({ credentials: sts });
    expectFailure(await verifyRequest(received(missing.headers), options), 'InvalidSecurityToken');
    const unexpected = await signedV4({ credentials: { ...credentials, securityToken: 'tok' } });
    expectFailure(
      await verifyRequest(received(unexpected.headers), options),
      'InvalidSecurityToken',
    );
    // A token swapped after signing breaks the signature first.
    expectFailure(
      await verifyRequest(
        received({ ...good.headers, 'x-oss-security-token': 'bad-token' }),
        options,
      ),
      'SignatureDoesNotMatch',
    );
  });

  it('propagates a failing credentials lookup', async () => {
    const signed = await signedV4();
    await expect(
      verifyRequest(received(signed.headers), {
        ...options,
        lookupCredentials: async () => {
          throw new Error('db down');
        },
      }),
    ).rejects.toThrow('db down');
  });
});

describe('verifyRequest: presigned V4', () => {
  async function presigned(expires = 600, extra: Partial<Parameters<typeof presignV4>[1]> = {}) {
    const result = await presignV4(request, {
      credentials,
      date: new Date(NOW),
      region: 'cn-hangzhou',
      expires,
      ...extra,
    });
    return received(result.headers, result.query);
  }

  it('accepts until the expiry and reports it', async () => {
    const req = await presigned(600);
    const ok = await verifyRequest(req, { ...options, now: NOW + 600_000 });
    expect(ok).toEqual({
      ok: true,
      accessKeyId: 'ak',
      version: 'v4',
      presigned: true,
      expiresAt: new Date(NOW + 600_000),
    });
  });

  it('rejects an expired URL with AccessDenied "Request has expired."', async () => {
    const failure = expectFailure(
      await verifyRequest(await presigned(600), { ...options, now: NOW + 601_000 }),
      'AccessDenied',
    );
    expect(failure.message).toBe('Request has expired.');
    expect(failure.ec).toBe('0002-00000236');
    expect(failure.expiresAt?.getTime()).toBe(NOW + 600_000);
  });

  it('keeps accepting a long-lived URL beyond the header skew window', async () => {
    const req = await presigned(604800);
    expect((await verifyRequest(req, { ...options, now: NOW + 6 * 86_400_000 })).ok).toBe(true);
  });

  it('rejects x-oss-expires outside 1..604800', async () => {
    const req = await presigned(600);
    for (const value of ['0', '604801', 'abc', '-1', '']) {
      const query = req.query.map(([n, v]) =>
        n === 'x-oss-expires'
          ? (['x-oss-expires', value] as [string, string])
          : ([n, v] as [string, string]),
      );
      const failure = expectFailure(
        await verifyRequest({ ...req, query }, options),
        'InvalidArgument',
      );
      expect(failure.argumentName).toBe('x-oss-expires');
      expect(failure.httpStatus).toBe(400);
    }
  });

  it('rejects a URL signed too far in the future', async () => {
    const result = await presignV4(request, {
      credentials,
      date: new Date(NOW + 3_600_000),
      region: 'cn-hangzhou',
    });
    expectFailure(
      await verifyRequest(received(result.headers, result.query), options),
      'RequestTimeTooSkewed',
    );
  });

  it('requires all signature parameters', async () => {
    const req = await presigned();
    for (const name of ['x-oss-credential', 'x-oss-date', 'x-oss-expires', 'x-oss-signature']) {
      const query = req.query.filter(([n]) => n !== name);
      expectFailure(await verifyRequest({ ...req, query }, options), 'AccessDenied');
    }
  });

  it('checks the STS token parameter', async () => {
    const sts = { accessKeyId: 'sts', accessKeySecret: 'sts-secret' };
    expect(
      (
        await verifyRequest(
          await presigned(60, { credentials: { ...sts, securityToken: 'good-token' } }),
          options,
        )
      ).ok,
    ).toBe(true);
    expectFailure(
      await verifyRequest(
        await presigned(60, { credentials: { ...sts, securityToken: 'nope' } }),
        options,
      ),
      'InvalidSecurityToken',
    );
  });

  it('rejects another region', async () => {
    const failure = expectFailure(
      await verifyRequest(await presigned(60, { region: 'ap-southeast-1' }), options),
      'InvalidArgument',
    );
    expect(failure.argumentName).toBe('x-oss-credential');
  });
});

describe('verifyRequest: V1', () => {
  async function signedV1(extra: Partial<Parameters<typeof signV1>[1]> = {}) {
    return signV1(request, { credentials, date: new Date(NOW), ...extra });
  }

  it('accepts header auth and reports mismatches with StringToSignBytes', async () => {
    const signed = await signedV1();
    expect(await verifyRequest(received(signed.headers), options)).toEqual({
      ok: true,
      accessKeyId: 'ak',
      version: 'v1',
      presigned: false,
    });
    const failure = expectFailure(
      await verifyRequest({ ...received(signed.headers), method: 'POST' }, options),
      'SignatureDoesNotMatch',
    );
    expect(failure.ec).toBe('0002-00000040');
    expect(failure.stringToSign).toBe(signed.stringToSign.replace(/^PUT/, 'POST'));
    expect(failure.stringToSignBytes).toBe(stringToSignBytes(failure.stringToSign!));
    expect(failure.canonicalRequest).toBeUndefined();
  });

  it('accepts the Date header when x-oss-date is absent (python-v2 style)', async () => {
    const headers = {
      'content-type': 'application/octet-stream',
      'x-oss-meta-a': '1',
      date: formatRfc1123(new Date(NOW)),
    };
    const stringToSign = stringToSignV1({ ...request, headers });
    expect(stringToSign.split('\n')[3]).toBe('Wed, 01 May 2024 12:00:00 GMT');
    const authorization = `OSS ak:${await signatureV1(SECRET, stringToSign)}`;
    expect((await verifyRequest(received({ ...headers, authorization }), options)).ok).toBe(true);
  });

  it('rejects skew, a missing date, unknown keys and malformed headers', async () => {
    const skewed = await signedV1({ date: new Date(NOW - 16 * 60_000) });
    expectFailure(await verifyRequest(received(skewed.headers), options), 'RequestTimeTooSkewed');
    const signed = await signedV1();
    const { 'x-oss-date': _, ...noDate } = signed.headers;
    expectFailure(await verifyRequest(received(noDate), options), 'AccessDenied');
    expectFailure(
      await verifyRequest(
        received({ ...signed.headers, authorization: 'OSS nobody:abc=' }),
        options,
      ),
      'InvalidAccessKeyId',
    );
    expectFailure(
      await verifyRequest(received({ ...signed.headers, authorization: 'OSS no-colon' }), options),
      'AccessDenied',
    );
  });

  it('checks STS tokens, also from a security-token header (python-v2)', async () => {
    const sts = { accessKeyId: 'sts', accessKeySecret: 'sts-secret', securityToken: 'good-token' };
    const good = await signedV1({ credentials: sts });
    expect((await verifyRequest(received(good.headers), options)).ok).toBe(true);
    const bad = await signedV1({ credentials: { ...sts, securityToken: 'bad' } });
    expectFailure(await verifyRequest(received(bad.headers), options), 'InvalidSecurityToken');
    const unsignedToken = await signedV1({ credentials: { ...sts, securityToken: undefined } });
    expect(
      (
        await verifyRequest(
          received({ ...unsignedToken.headers, 'security-token': 'good-token' }),
          options,
        )
      ).ok,
    ).toBe(true);
  });

  it('verifies presigned URLs and their expiry', async () => {
    const result = await presignV1(request, { credentials, date: new Date(NOW), expires: 60 });
    const req = received(result.headers, result.query);
    expect(await verifyRequest(req, { ...options, now: NOW + 60_000 })).toEqual({
      ok: true,
      accessKeyId: 'ak',
      version: 'v1',
      presigned: true,
      expiresAt: new Date(NOW + 60_000),
    });
    const expired = expectFailure(
      await verifyRequest(req, { ...options, now: NOW + 61_000 }),
      'AccessDenied',
    );
    expect(expired.message).toBe('Request has expired.');
    // Presigned V1 has no skew check: a URL valid for a day works all day.
    const day = await presignV1(request, { credentials, date: new Date(NOW), expires: 86_400 });
    expect(
      (await verifyRequest(received(day.headers, day.query), { ...options, now: NOW + 3_600_000 }))
        .ok,
    ).toBe(true);
    for (const name of ['OSSAccessKeyId', 'Signature', 'Expires']) {
      expectFailure(
        await verifyRequest({ ...req, query: req.query.filter(([n]) => n !== name) }, options),
        'AccessDenied',
      );
    }
    const badExpires = req.query.map(([n, v]) =>
      n === 'Expires' ? (['Expires', 'soon'] as [string, string]) : ([n, v] as [string, string]),
    );
    expectFailure(await verifyRequest({ ...req, query: badExpires }, options), 'AccessDenied');
  });

  it('refuses an Expires too large for a date, which would otherwise never expire', async () => {
    const huge = await presignV1(request, {
      credentials,
      date: new Date(NOW),
      expires: 999_999_999_999_999 - NOW / 1000,
    });
    expect(huge.query.find(([n]) => n === 'Expires')?.[1]).toBe('999999999999999');
    const req = received(huge.headers, huge.query);
    const failure = expectFailure(
      await verifyRequest(req, { ...options, now: Date.UTC(2200, 0, 1) }),
      'AccessDenied',
    );
    expect(failure.message).toMatch(/Expires/);
  });

  it('signs and verifies extra sub-resources only when both sides register them', async () => {
    const withCustom = {
      ...request,
      query: [...(request.query as Array<[string, string]>), ['custom', 'x'] as [string, string]],
    };
    const signed = await signV1(withCustom, {
      credentials,
      date: new Date(NOW),
      subResources: ['custom'],
    });
    const req = { ...received(signed.headers), query: withCustom.query };
    expect((await verifyRequest(req, { ...options, subResources: ['custom'] })).ok).toBe(true);
    expectFailure(await verifyRequest(req, options), 'SignatureDoesNotMatch');
  });
});

describe('verifyRequest: routing errors', () => {
  it('rejects anonymous, unsupported and doubly-signed requests', async () => {
    const anonymous = expectFailure(await verifyRequest(received({}), options), 'AccessDenied');
    expect(anonymous.httpStatus).toBe(403);
    expectFailure(
      await verifyRequest(received({ authorization: 'OSS2 AccessKeyId:ak,Signature:x' }), options),
      'AccessDenied',
    );
    const signed = await signV4(request, {
      credentials,
      date: new Date(NOW),
      region: 'cn-hangzhou',
    });
    const both = expectFailure(
      await verifyRequest(
        received(signed.headers, [
          ...(request.query as Array<[string, string]>),
          ['Signature', 'x'],
        ]),
        options,
      ),
      'InvalidArgument',
    );
    expect(both.httpStatus).toBe(400);
  });

  it('rejects a key without a bucket instead of throwing', async () => {
    const signed = await signV4(
      { ...request },
      { credentials, date: new Date(NOW), region: 'cn-hangzhou' },
    );
    expectFailure(
      await verifyRequest({ ...received(signed.headers), bucket: undefined }, options),
      'InvalidArgument',
    );
  });
});

describe('stringToSignBytes', () => {
  it('renders UTF-8 bytes as upper-case hex separated by spaces', () => {
    expect(stringToSignBytes('PUT\nü')).toBe('50 55 54 0A C3 BC');
    expect(formatIso8601Basic(new Date(NOW))).toBe('20240501T120000Z');
  });
});
