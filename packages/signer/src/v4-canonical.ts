import {
  compareCodePoints,
  normalizeHeaders,
  normalizeQuery,
  trimHeaderValue,
} from './normalize.ts';
import type { HeadersInput, QueryInput, SignableRequest } from './types.ts';
import { encodeRfc3986, encodeRfc3986Path } from './uri-encode.ts';

/** The payload hash OSS V4 expects: the body is not hashed. */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/**
 * V4 canonical URI: `/`, `/bucket/` or `/bucket/key`, with the raw UTF-8 key percent-encoded
 * except `A-Z a-z 0-9 - _ . ~ /` (upper-case hex). The bucket is always included, whatever
 * the address style, and whatever the client did to the wire path: a key `1234+-/123/1.txt`
 * in `bucket` is `/bucket/1234%2B-/123/1.txt` even when the URL path says `%2F`.
 *
 * @throws TypeError when a key is given without a bucket.
 */
export function canonicalUriV4(bucket: string | undefined, key: string | undefined): string {
  if (bucket === undefined || bucket === '') {
    if (key) throw new TypeError('A request with an object key must name its bucket.');
    return '/';
  }
  return `/${encodeRfc3986Path(bucket)}/${encodeRfc3986Path(key ?? '')}`;
}

/**
 * V4 canonical query string: every parameter, name and value encoded with
 * {@link encodeRfc3986} (`/` becomes `%2F`, space `%20`), sorted by encoded name (then
 * value), rendered `name=value` or bare `name` for an empty value, joined with `&`.
 * `''` when there are no parameters.
 */
export function canonicalQueryV4(query: QueryInput | undefined): string {
  return normalizeQuery(query)
    .map(([name, value]) => [encodeRfc3986(name), encodeRfc3986(value)] as const)
    .sort(([a, x], [b, y]) => compareCodePoints(a, b) || compareCodePoints(x, y))
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`))
    .join('&');
}

function isDefaultSigned(name: string): boolean {
  return name === 'content-type' || name === 'content-md5' || name.startsWith('x-oss-');
}

/**
 * Resolves the V4 additional headers: the requested names lower-cased, minus those signed
 * anyway (`content-type`, `content-md5`, `x-oss-*`) and those the request does not carry (or
 * carries empty), de-duplicated and sorted. `['x-oss-no-exist', 'ZAbc', 'x-oss-head1', 'abc']`
 * on a request with `ZAbc` and `abc` gives `['abc', 'zabc']`. Idempotent.
 */
export function additionalHeadersV4(
  headers: HeadersInput | undefined,
  requested: Iterable<string> | undefined,
): string[] {
  if (!requested) return [];
  const normalized = normalizeHeaders(headers);
  const names = new Set<string>();
  for (const name of requested) {
    const lower = name.trim().toLowerCase();
    if (isDefaultSigned(lower)) continue;
    const value = normalized[lower];
    if (value === undefined || trimHeaderValue(value) === '') continue;
    names.add(lower);
  }
  return [...names].sort(compareCodePoints);
}

/**
 * V4 canonical headers: `content-type`, `content-md5`, every `x-oss-*` header and the given
 * (already resolved) additional headers, each as `name:value\n` with the name lower-cased
 * and the value trimmed, sorted by name. Ends with `\n` unless empty.
 */
export function canonicalHeadersV4(
  headers: HeadersInput | undefined,
  additionalHeaders: readonly string[] = [],
): string {
  const normalized = normalizeHeaders(headers);
  const extra = new Set(additionalHeaders.map((name) => name.toLowerCase()));
  return Object.keys(normalized)
    .filter((name) => isDefaultSigned(name) || extra.has(name))
    .sort(compareCodePoints)
    .map((name) => `${name}:${trimHeaderValue(normalized[name]!)}\n`)
    .join('');
}

/**
 * The V4 canonical request:
 * `METHOD\nCanonicalURI\nCanonicalQuery\nCanonicalHeaders\nAdditionalHeaders\nHashedPayload`
 * (CanonicalHeaders ends with its own `\n`, so an empty line always precedes the
 * additional-headers line). HashedPayload is the request's `x-oss-content-sha256` header, or
 * `UNSIGNED-PAYLOAD` without one (presigned URLs).
 *
 * The request must already hold everything that is signed: the `x-oss-date` header (header
 * signing) or the `x-oss-*` signature parameters except `x-oss-signature` (presigning).
 *
 * @param additionalHeaders - requested additional header names; resolved with
 *   {@link additionalHeadersV4}.
 */
export function canonicalRequestV4(
  request: SignableRequest,
  additionalHeaders?: Iterable<string>,
): string {
  const headers = normalizeHeaders(request.headers);
  const additional = additionalHeadersV4(headers, additionalHeaders);
  const payload = headers['x-oss-content-sha256'];
  return [
    request.method.toUpperCase(),
    canonicalUriV4(request.bucket, request.key),
    canonicalQueryV4(request.query),
    canonicalHeadersV4(headers, additional),
    additional.join(';'),
    payload === undefined ? UNSIGNED_PAYLOAD : trimHeaderValue(payload),
  ].join('\n');
}
