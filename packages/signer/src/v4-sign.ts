import { type Credentials, checkCredentials } from './credentials.ts';
import { hmac, importHmacKey, sha256Hex, toHex } from './crypto.ts';
import { formatIso8601Basic } from './dates.ts';
import { defaultKeyCache, type SigningKeyCache } from './key-cache.ts';
import { normalizeHeaders, normalizeQuery } from './normalize.ts';
import type { PresignedRequest, SignableRequest, SignedRequest } from './types.ts';
import { additionalHeadersV4, canonicalRequestV4, UNSIGNED_PAYLOAD } from './v4-canonical.ts';

/** The V4 algorithm name, first word of the Authorization header and first line signed. */
export const V4_ALGORITHM = 'OSS4-HMAC-SHA256';

/** Longest validity of a V4 presigned URL, in seconds (7 days). */
export const V4_MAX_EXPIRES = 604_800;

/** Default validity of presigned URLs, in seconds (15 minutes, as the official SDKs). */
export const DEFAULT_PRESIGN_EXPIRES = 900;

/** Query parameters that carry a V4 presigned signature (the caller's copies are replaced). */
export const V4_PRESIGN_PARAMS: readonly string[] = [
  'x-oss-signature-version',
  'x-oss-credential',
  'x-oss-date',
  'x-oss-expires',
  'x-oss-additional-headers',
  'x-oss-security-token',
  'x-oss-signature',
];

/**
 * Normalises a V4 signing region: the bare region id (`cn-hangzhou`), so an `oss-` prefix as
 * in endpoint names (`oss-cn-hangzhou`) is stripped, like ali-oss does. For OSS on CloudBox
 * the region is the CloudBox id (`cb-123`).
 *
 * @throws TypeError for an empty region or one containing `/`.
 */
export function normalizeRegion(region: string): string {
  const bare = String(region).trim().replace(/^oss-/, '');
  if (bare === '' || bare.includes('/')) {
    throw new TypeError(
      `Invalid region ${JSON.stringify(region)}: pass a region id such as 'cn-hangzhou'.`,
    );
  }
  return bare;
}

function checkProduct(product: string): string {
  if (typeof product !== 'string' || product === '' || product.includes('/')) {
    throw new TypeError(
      `Invalid product ${JSON.stringify(product)}: use 'oss', or 'oss-cloudbox' for CloudBox.`,
    );
  }
  return product;
}

/**
 * V4 credential scope: `YYYYMMDD/region/product/aliyun_v4_request`.
 *
 * @param date - the signing time, or an `x-oss-date` / `YYYYMMDD` string.
 */
export function credentialScopeV4(date: Date | string, region: string, product: string): string {
  const stamp = typeof date === 'string' ? date.slice(0, 8) : formatIso8601Basic(date).slice(0, 8);
  return `${stamp}/${region}/${product}/aliyun_v4_request`;
}

/**
 * V4 string to sign:
 * `OSS4-HMAC-SHA256\n<x-oss-date>\n<scope>\n<hex SHA-256 of the canonical request>`.
 *
 * @param date - the signing time, or its `x-oss-date` string (`20231216T162057Z`).
 */
export async function stringToSignV4(
  canonicalRequest: string,
  date: Date | string,
  scope: string,
): Promise<string> {
  const stamp = typeof date === 'string' ? date : formatIso8601Basic(date);
  return `${V4_ALGORITHM}\n${stamp}\n${scope}\n${await sha256Hex(canonicalRequest)}`;
}

/**
 * V4 signature: lower-case hex HMAC-SHA256 of the string to sign with the signing key
 * (raw bytes from {@link deriveSigningKeyV4}, or an imported HMAC-SHA256 `CryptoKey`).
 */
export async function signatureV4(
  signingKey: Uint8Array | CryptoKey,
  stringToSign: string,
): Promise<string> {
  const key =
    signingKey instanceof Uint8Array
      ? await importHmacKey(new Uint8Array(signingKey), 'SHA-256')
      : signingKey;
  return toHex(await hmac(key, stringToSign));
}

/** Options of {@link signV4}. */
export interface SignV4Options {
  /** Credentials to sign with. */
  credentials: Credentials;
  /** Signing time; milliseconds are dropped. */
  date: Date;
  /** Region id, e.g. `cn-hangzhou` (an `oss-` prefix is stripped). */
  region: string;
  /** Product in the scope. Default `'oss'`; `'oss-cloudbox'` for OSS on CloudBox. */
  product?: string;
  /**
   * Extra headers to sign besides `content-type`, `content-md5` and `x-oss-*` (e.g. `host`,
   * `range`). Names the request does not carry are ignored. Default none.
   */
  additionalHeaders?: Iterable<string>;
  /** Key cache. Default: a small cache shared by the standalone functions. */
  keyCache?: SigningKeyCache;
}

/** Options of {@link presignV4}. */
export interface PresignV4Options extends SignV4Options {
  /** Validity in seconds from `date`, an integer in 1..604800. Default 900 (15 minutes). */
  expires?: number;
}

interface Prepared {
  date: Date;
  stamp: string;
  scope: string;
  region: string;
  product: string;
}

function prepare(options: SignV4Options): Prepared {
  checkCredentials(options.credentials);
  if (!(options.date instanceof Date) || Number.isNaN(options.date.getTime())) {
    throw new TypeError('options.date must be a valid Date (the signing time).');
  }
  const date = new Date(Math.floor(options.date.getTime() / 1000) * 1000);
  const region = normalizeRegion(options.region);
  const product = checkProduct(options.product ?? 'oss');
  const stamp = formatIso8601Basic(date);
  return { date, stamp, region, product, scope: credentialScopeV4(stamp, region, product) };
}

async function sign(
  options: SignV4Options,
  prepared: Prepared,
  canonicalRequest: string,
): Promise<{ stringToSign: string; signature: string }> {
  const stringToSign = await stringToSignV4(canonicalRequest, prepared.stamp, prepared.scope);
  const key = await (options.keyCache ?? defaultKeyCache).v4Key(
    options.credentials.accessKeySecret,
    prepared.stamp.slice(0, 8),
    prepared.region,
    prepared.product,
  );
  return { stringToSign, signature: await signatureV4(key, stringToSign) };
}

/**
 * Signs a request with V4 (`Authorization: OSS4-HMAC-SHA256 Credential=…,Signature=…`).
 * Pure apart from the key cache: same inputs, same output.
 *
 * The signer owns `authorization`, `x-oss-date` and `x-oss-security-token` (any copies in
 * the request are replaced or, without STS credentials, removed) and adds
 * `x-oss-content-sha256: UNSIGNED-PAYLOAD` unless the request sets it.
 */
export async function signV4(
  request: SignableRequest,
  options: SignV4Options,
): Promise<SignedRequest> {
  const prepared = prepare(options);
  const headers = normalizeHeaders(request.headers);
  delete headers['authorization'];
  delete headers['x-oss-security-token'];
  headers['x-oss-date'] = prepared.stamp;
  headers['x-oss-content-sha256'] ??= UNSIGNED_PAYLOAD;
  const token = options.credentials.securityToken;
  if (token) headers['x-oss-security-token'] = token;

  const additional = additionalHeadersV4(headers, options.additionalHeaders);
  const canonicalRequest = canonicalRequestV4({ ...request, headers }, additional);
  const { stringToSign, signature } = await sign(options, prepared, canonicalRequest);
  const authorization =
    `${V4_ALGORITHM} Credential=${options.credentials.accessKeyId}/${prepared.scope},` +
    (additional.length > 0 ? `AdditionalHeaders=${additional.join(';')},` : '') +
    `Signature=${signature}`;
  headers['authorization'] = authorization;
  return {
    version: 'v4',
    headers,
    authorization,
    stringToSign,
    canonicalRequest,
    date: prepared.date,
  };
}

/**
 * Presigns a request with V4: returns the query to put in the URL (signature parameters
 * `x-oss-signature-version`, `x-oss-credential`, `x-oss-date`, `x-oss-expires`, optional
 * `x-oss-additional-headers` and `x-oss-security-token`, then `x-oss-signature`).
 * The request's headers are signed as given and must be sent with the URL.
 *
 * @throws RangeError when `expires` is not an integer in 1..604800.
 */
export async function presignV4(
  request: SignableRequest,
  options: PresignV4Options,
): Promise<PresignedRequest> {
  const expires = options.expires ?? DEFAULT_PRESIGN_EXPIRES;
  if (!Number.isInteger(expires) || expires < 1 || expires > V4_MAX_EXPIRES) {
    throw new RangeError(
      `V4 presign expiry must be a whole number of seconds from 1 to ${V4_MAX_EXPIRES}, got ${String(expires)}.`,
    );
  }
  const prepared = prepare(options);
  const headers = normalizeHeaders(request.headers);
  delete headers['authorization'];
  const additional = additionalHeadersV4(headers, options.additionalHeaders);
  const query = normalizeQuery(request.query).filter(([name]) => !V4_PRESIGN_PARAMS.includes(name));
  query.push(
    ['x-oss-signature-version', V4_ALGORITHM],
    ['x-oss-credential', `${options.credentials.accessKeyId}/${prepared.scope}`],
    ['x-oss-date', prepared.stamp],
    ['x-oss-expires', String(expires)],
  );
  if (additional.length > 0) query.push(['x-oss-additional-headers', additional.join(';')]);
  const token = options.credentials.securityToken;
  if (token) query.push(['x-oss-security-token', token]);

  const canonicalRequest = canonicalRequestV4({ ...request, headers, query }, additional);
  const { stringToSign, signature } = await sign(options, prepared, canonicalRequest);
  query.push(['x-oss-signature', signature]);
  return {
    version: 'v4',
    query,
    headers,
    expiresAt: new Date(prepared.date.getTime() + expires * 1000),
    stringToSign,
    canonicalRequest,
    date: prepared.date,
  };
}
