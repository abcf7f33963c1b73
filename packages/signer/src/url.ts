import { compareCodePoints, normalizeQuery } from './normalize.ts';
import type { QueryInput } from './types.ts';
import { encodeRfc3986, encodeRfc3986Path, percentDecode } from './uri-encode.ts';

/**
 * Encodes query parameters for a URL, in the given order: names and values with
 * {@link encodeRfc3986}, bare parameters (empty value) as just the name. No leading `?`.
 */
export function encodeQueryString(query: QueryInput | undefined): string {
  return normalizeQuery(query)
    .map(([name, value]) =>
      value === '' ? encodeRfc3986(name) : `${encodeRfc3986(name)}=${encodeRfc3986(value)}`,
    )
    .join('&');
}

/** Options of {@link buildPresignedUrl}. */
export interface BuildUrlOptions {
  /**
   * Address the bucket in the path (`https://endpoint/bucket/key`) instead of the host
   * (`https://bucket.endpoint/key`). Default: `true` when the endpoint host is an IP address
   * or `localhost` (as go-v2, python-v2 and oss2 do; the dev server is addressed that way),
   * else `false`. Public OSS rejects path style for its own domains.
   */
  pathStyle?: boolean;
  /**
   * The endpoint is a custom domain bound to the bucket: the host is used as is and the
   * bucket appears nowhere in the URL (it is still part of the signature). Default `false`.
   */
  cname?: boolean;
}

function isIpOrLocalhost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.startsWith('[') || // IPv6 literal, as URL.hostname renders it
    /^\d{1,3}(?:\.\d{1,3}){3}$/.test(hostname)
  );
}

/**
 * Encodes an object key for a request path. `/` stays literal, except when a segment of the
 * key is `.` or `..`: WHATWG URL parsers (fetch, browsers) would resolve such dot segments
 * and address another object, so then every `/` is sent as `%2F` (OSS decodes the path once,
 * so the key arrives intact).
 *
 * @throws TypeError for the keys `.` and `..`, which no WHATWG URL can carry.
 */
export function encodeKeyForPath(key: string): string {
  const segments = key.split('/');
  if (key === '.' || key === '..') {
    throw new TypeError(
      `The object key ${JSON.stringify(key)} cannot be addressed in a URL: URL parsers remove dot segments. Rename the object.`,
    );
  }
  return segments.some((segment) => segment === '.' || segment === '..')
    ? encodeRfc3986(key)
    : encodeRfc3986Path(key);
}

/**
 * Builds a request URL (typically the presigned URL from a signer's `presign` result) from
 * an endpoint, a bucket, a raw key and raw query pairs. The key is percent-encoded with
 * {@link encodeKeyForPath}; the query with {@link encodeRfc3986}, sorted by encoded name so
 * the same inputs always give the same URL (OSS ignores the order).
 *
 * @param endpoint - endpoint origin such as `https://oss-cn-hangzhou.aliyuncs.com` or
 *   `http://127.0.0.1:9000`; a bare host gets `https://`. Any path on it is ignored.
 * @param bucket - bucket name, or `undefined` for a service-level request.
 * @param key - raw object key, or `undefined`/`''` for a bucket-level request.
 * @param query - raw `[name, value]` pairs or a record (`presign(...).query`).
 */
export function buildPresignedUrl(
  endpoint: string,
  bucket: string | undefined,
  key: string | undefined,
  query: QueryInput | undefined,
  options: BuildUrlOptions = {},
): string {
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`);
  const keyPath = key ? encodeKeyForPath(key) : '';
  let host = url.host;
  let path: string;
  if (bucket === undefined || bucket === '') {
    if (key) throw new TypeError('A request with an object key must name its bucket.');
    path = '/';
  } else if (options.cname) {
    path = `/${keyPath}`;
  } else if (options.pathStyle ?? isIpOrLocalhost(url.hostname)) {
    path = `/${encodeRfc3986(bucket)}/${keyPath}`;
  } else {
    host = `${bucket}.${url.host}`;
    path = `/${keyPath}`;
  }
  const sorted = normalizeQuery(query)
    .map(([name, value]) => [encodeRfc3986(name), encodeRfc3986(value)] as const)
    .sort(([a, x], [b, y]) => compareCodePoints(a, b) || compareCodePoints(x, y))
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`))
    .join('&');
  return `${url.protocol}//${host}${path}${sorted === '' ? '' : `?${sorted}`}`;
}

/** Options of {@link parseRequestTarget}. */
export interface ParseRequestTargetOptions {
  /**
   * The bucket, when the server already took it from the `Host` header (virtual-hosted
   * style, or a CNAME): then the whole path is the key. Absent: path style, the first path
   * segment is the bucket.
   */
  bucket?: string | undefined;
}

/** The bucket, decoded key and decoded query of a request, as {@link verifyRequest} wants them. */
export interface ParsedRequestTarget {
  /** Bucket; `undefined` for a service-level request (`/`). */
  bucket: string | undefined;
  /** Object key, percent-decoded exactly once; `undefined` for bucket-level requests. */
  key: string | undefined;
  /** Query pairs in wire order, decoded (`+` read as a space); bare parameters have `''`. */
  query: Array<[string, string]>;
}

/**
 * Splits a raw HTTP request target (Node's `req.url`: `/bucket/a%2Fb.txt?uploadId=x`,
 * before any framework decoding) into bucket, key and query for {@link verifyRequest}.
 *
 * The path is split first and decoded second, exactly once, so an encoded `%2F` inside a
 * key stays part of the key and `+` stays a plus. Path style: one leading `/` is removed,
 * the bucket runs to the next `/`, and everything after that `/` is the key, so a key may
 * start with `/` (`/bucket//k` → key `/k`). With `options.bucket` (virtual-hosted): the key
 * is the path minus one leading `/`. An absolute-form target (`http://host/path`) is
 * accepted too.
 */
export function parseRequestTarget(
  target: string,
  options: ParseRequestTargetOptions = {},
): ParsedRequestTarget {
  let rest = target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const mark = rest.indexOf('?');
  const rawPath = mark >= 0 ? rest.slice(0, mark) : rest;
  const rawQuery = mark >= 0 ? rest.slice(mark + 1) : '';
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;

  let bucket: string | undefined;
  let rawKey: string;
  if (options.bucket !== undefined) {
    bucket = options.bucket;
    rawKey = path;
  } else {
    const slash = path.indexOf('/');
    const rawBucket = slash >= 0 ? path.slice(0, slash) : path;
    const decoded = rawBucket === '' ? undefined : percentDecode(rawBucket);
    // No bucket name holds a '/': an encoded one must not move the boundary between bucket
    // and key (`/b%2Fx/y` would sign as `/b/x/y`, another bucket's object). Kept raw, it is
    // simply an invalid name.
    bucket = decoded?.includes('/') ? rawBucket : decoded;
    rawKey = slash >= 0 ? path.slice(slash + 1) : '';
  }
  const key = rawKey === '' ? undefined : percentDecode(rawKey);

  const query: Array<[string, string]> = [];
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const name = eq >= 0 ? piece.slice(0, eq) : piece;
    const value = eq >= 0 ? piece.slice(eq + 1) : '';
    query.push([
      percentDecode(name, { plusAsSpace: true }),
      percentDecode(value, { plusAsSpace: true }),
    ]);
  }
  return { bucket, key, query };
}
