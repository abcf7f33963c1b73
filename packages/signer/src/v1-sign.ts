import { type Credentials, checkCredentials } from './credentials.ts';
import { hmac, importHmacKey, toBase64, utf8 } from './crypto.ts';
import { formatRfc1123 } from './dates.ts';
import { defaultKeyCache, type SigningKeyCache } from './key-cache.ts';
import { normalizeHeaders, normalizeQuery } from './normalize.ts';
import type { PresignedRequest, SignableRequest, SignedRequest } from './types.ts';
import { stringToSignV1 } from './v1-canonical.ts';
import { DEFAULT_PRESIGN_EXPIRES } from './v4-sign.ts';

/** Query parameters that carry a V1 presigned signature (the caller's copies are replaced). */
export const V1_PRESIGN_PARAMS: readonly string[] = [
  'OSSAccessKeyId',
  'Expires',
  'Signature',
  'security-token',
];

/**
 * V1 signature: standard Base64 (with padding) of HMAC-SHA1 over the string to sign, keyed
 * with the UTF-8 secret (or an already imported HMAC-SHA1 `CryptoKey`).
 */
export async function signatureV1(
  accessKeySecret: string | CryptoKey,
  stringToSign: string,
): Promise<string> {
  const key =
    typeof accessKeySecret === 'string'
      ? await importHmacKey(utf8(accessKeySecret), 'SHA-1')
      : accessKeySecret;
  return toBase64(await hmac(key, stringToSign));
}

/** Options of {@link signV1}. */
export interface SignV1Options {
  /** Credentials to sign with. */
  credentials: Credentials;
  /** Signing time; milliseconds are dropped. */
  date: Date;
  /**
   * Extra query parameter names to sign as sub-resources, on top of the built-in list
   * ({@link V1_SUB_RESOURCES}) and `x-oss-*`. The server must treat them the same way.
   */
  subResources?: Iterable<string>;
  /** Key cache. Default: a small cache shared by the standalone functions. */
  keyCache?: SigningKeyCache;
}

/** Options of {@link presignV1}. */
export interface PresignV1Options extends SignV1Options {
  /** Validity in seconds from `date`, a positive integer. Default 900 (15 minutes). */
  expires?: number;
}

function signingTime(date: Date): Date {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new TypeError('options.date must be a valid Date (the signing time).');
  }
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

async function sign(options: SignV1Options, stringToSign: string): Promise<string> {
  const key = await (options.keyCache ?? defaultKeyCache).v1Key(
    options.credentials.accessKeySecret,
  );
  return signatureV1(key, stringToSign);
}

/**
 * Signs a request with V1 (`Authorization: OSS AccessKeyId:Signature`).
 *
 * The signing time goes into `x-oss-date` (RFC 1123), which OSS reads before `Date`, so the
 * request works from browsers, where `Date` cannot be set. The signer owns `authorization`,
 * `x-oss-date` and `x-oss-security-token` (replaced, or removed without STS credentials).
 */
export async function signV1(
  request: SignableRequest,
  options: SignV1Options,
): Promise<SignedRequest> {
  checkCredentials(options.credentials);
  const date = signingTime(options.date);
  const headers = normalizeHeaders(request.headers);
  delete headers['authorization'];
  delete headers['x-oss-security-token'];
  headers['x-oss-date'] = formatRfc1123(date);
  const token = options.credentials.securityToken;
  if (token) headers['x-oss-security-token'] = token;

  const stringToSign = stringToSignV1(
    { ...request, headers },
    options.subResources ? { subResources: options.subResources } : {},
  );
  const authorization = `OSS ${options.credentials.accessKeyId}:${await sign(options, stringToSign)}`;
  headers['authorization'] = authorization;
  return { version: 'v1', headers, authorization, stringToSign, date };
}

/**
 * Presigns a request with V1: returns the query to put in the URL, i.e. the request's
 * parameters plus `OSSAccessKeyId`, `Expires` (absolute Unix seconds), `Signature` and, with
 * STS credentials, `security-token`. The request's `Content-Type`, `Content-MD5` and
 * `x-oss-*` headers are signed and must be sent with the URL.
 *
 * @throws RangeError when `expires` is not a positive integer.
 */
export async function presignV1(
  request: SignableRequest,
  options: PresignV1Options,
): Promise<PresignedRequest> {
  checkCredentials(options.credentials);
  const expires = options.expires ?? DEFAULT_PRESIGN_EXPIRES;
  if (!Number.isSafeInteger(expires) || expires < 1) {
    throw new RangeError(
      `V1 presign expiry must be a positive whole number of seconds, got ${String(expires)}.`,
    );
  }
  const date = signingTime(options.date);
  const expiresAt = date.getTime() / 1000 + expires;
  const headers = normalizeHeaders(request.headers);
  delete headers['authorization'];
  const query = normalizeQuery(request.query).filter(([name]) => !V1_PRESIGN_PARAMS.includes(name));
  const token = options.credentials.securityToken;
  if (token) query.push(['security-token', token]);

  const stringToSign = stringToSignV1(
    { ...request, headers, query },
    {
      date: String(expiresAt),
      ...(options.subResources ? { subResources: options.subResources } : {}),
    },
  );
  query.push(
    ['OSSAccessKeyId', options.credentials.accessKeyId],
    ['Expires', String(expiresAt)],
    ['Signature', await sign(options, stringToSign)],
  );
  return {
    version: 'v1',
    query,
    headers,
    expiresAt: new Date(expiresAt * 1000),
    stringToSign,
    date,
  };
}
