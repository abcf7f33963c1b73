import { encodeKeyForPath, encodeRfc3986 } from '@ossup/signer/v4';
import { OssArgumentError } from './errors.ts';

/** How requests reach a bucket (protocol §7.2). */
export type AddressStyle = 'virtual-hosted' | 'path' | 'cname';

/** A validated endpoint and the address style derived from it. */
export interface ResolvedEndpoint {
  /** `https:` or `http:`. */
  protocol: string;
  /** Host with port, e.g. `oss-cn-hangzhou.aliyuncs.com` or `127.0.0.1:9000`. */
  host: string;
  /** Host without port (IPv6 in brackets). */
  hostname: string;
  /** `protocol//host`, no trailing slash. */
  origin: string;
  /** Address style used for bucket requests. */
  style: AddressStyle;
}

/** Options of {@link resolveEndpoint}. */
export interface ResolveEndpointOptions {
  /** Force path style (`true`) or virtual-hosted (`false`). Default: path for IP/localhost. */
  pathStyle?: boolean | undefined;
  /** CNAME endpoint (custom domain bound to a bucket). */
  cname?: boolean | undefined;
}

const OSS_HOST = /^(?:([a-z0-9][a-z0-9-]*)\.)?oss-([a-z0-9-]+?)(?:-internal)?\.aliyuncs\.com$/;
const DUAL_STACK_HOST = /^(?:([a-z0-9][a-z0-9-]*)\.)?([a-z]{2}-[a-z0-9-]+)\.oss\.aliyuncs\.com$/;

/** `true` for an IPv4/IPv6 literal or `localhost` (path style is then the only workable one). */
export function isIpOrLocalhost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.startsWith('[') || // IPv6 literal, as URL.hostname renders it
    /^\d{1,3}(?:\.\d{1,3}){3}$/.test(hostname)
  );
}

/**
 * Parses and checks an endpoint (`https://oss-cn-hangzhou.aliyuncs.com`, a bare host, or
 * `http://127.0.0.1:9000`) and decides the address style: CNAME when asked; else path style
 * when asked or when the host is an IP literal or `localhost` (as go-v2, python-v2 and oss2
 * do; it is how the dev server is reached); else virtual-hosted.
 *
 * @throws OssArgumentError for a malformed URL, a scheme other than http(s), a path, query,
 *   fragment or user info on the endpoint, or an endpoint that already names a bucket.
 */
export function resolveEndpoint(
  endpoint: string,
  options: ResolveEndpointOptions = {},
): ResolvedEndpoint {
  if (typeof endpoint !== 'string' || endpoint.trim() === '') {
    throw new OssArgumentError(
      'endpoint',
      "The endpoint option is required, e.g. 'https://oss-cn-hangzhou.aliyuncs.com' or 'http://127.0.0.1:9000'.",
    );
  }
  const text = endpoint.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch (cause) {
    throw new OssArgumentError(
      'endpoint',
      `The endpoint ${JSON.stringify(endpoint)} is not a valid URL; pass e.g. 'https://oss-cn-hangzhou.aliyuncs.com'.`,
      { cause },
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new OssArgumentError(
      'endpoint',
      `The endpoint ${JSON.stringify(endpoint)} uses ${url.protocol}; only https: and http: are supported.`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new OssArgumentError(
      'endpoint',
      'The endpoint must not contain user info (user:password@); pass credentials with the credentials option.',
    );
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    throw new OssArgumentError(
      'endpoint',
      `The endpoint ${JSON.stringify(endpoint)} has a path, query or fragment; pass only scheme and host (and port), e.g. '${url.protocol}//${url.host}'.`,
    );
  }
  const hostname = url.hostname.toLowerCase();
  const bucketInHost = OSS_HOST.exec(hostname)?.[1] ?? DUAL_STACK_HOST.exec(hostname)?.[1];
  if (bucketInHost !== undefined && !options.cname) {
    throw new OssArgumentError(
      'endpoint',
      `The endpoint ${JSON.stringify(endpoint)} already contains the bucket "${bucketInHost}"; pass the region endpoint ('${url.protocol}//${hostname.slice(bucketInHost.length + 1)}') and give the bucket to each call.`,
    );
  }
  if (options.cname && options.pathStyle) {
    throw new OssArgumentError(
      'pathStyle',
      'cname and pathStyle cannot both be set: a CNAME domain names the bucket itself.',
    );
  }
  const style: AddressStyle = options.cname
    ? 'cname'
    : (options.pathStyle ?? isIpOrLocalhost(hostname))
      ? 'path'
      : 'virtual-hosted';
  return {
    protocol: url.protocol,
    host: url.host,
    hostname,
    origin: `${url.protocol}//${url.host}`,
    style,
  };
}

/**
 * The region id of a standard OSS endpoint (`oss-cn-hangzhou.aliyuncs.com`,
 * `oss-cn-hangzhou-internal.aliyuncs.com`, `cn-hangzhou.oss.aliyuncs.com`), else `undefined`.
 */
export function regionFromEndpoint(hostname: string): string | undefined {
  const host = hostname.toLowerCase();
  if (host === 'oss-accelerate.aliyuncs.com' || host === 'oss-accelerate-overseas.aliyuncs.com')
    return undefined;
  return OSS_HOST.exec(host)?.[2] ?? DUAL_STACK_HOST.exec(host)?.[2];
}

/**
 * Checks a bucket name against the OSS rules: 3 to 63 characters of `a-z`, `0-9` and `-`,
 * starting and ending with a letter or digit (§5.1).
 *
 * @throws OssArgumentError naming the rule that failed.
 */
export function validateBucketName(bucket: unknown): asserts bucket is string {
  if (typeof bucket !== 'string' || bucket === '') {
    throw new OssArgumentError('bucket', 'A bucket name is required.');
  }
  let problem: string | undefined;
  if (bucket.length < 3 || bucket.length > 63)
    problem = `it has ${bucket.length} characters (3 to 63 allowed)`;
  else if (!/^[a-z0-9-]+$/.test(bucket))
    problem = 'only lower-case letters, digits and "-" are allowed';
  else if (bucket.startsWith('-') || bucket.endsWith('-'))
    problem = 'it must start and end with a letter or digit';
  if (problem !== undefined) {
    throw new OssArgumentError(
      'bucket',
      `Invalid bucket name ${JSON.stringify(bucket)}: ${problem}.`,
      { bucket },
    );
  }
}

const encoder = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Longest object key in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1023;

/**
 * Checks an object key against the OSS rules (§5.1): 1 to 1023 bytes of UTF-8, not
 * starting with `/` or `\`. Any other character is allowed, control characters included
 * (OSS accepts them; they travel percent-encoded). Lone UTF-16 surrogates are refused: they
 * have no UTF-8 form and would silently become U+FFFD. The keys `.` and `..` are refused too:
 * no URL can carry them.
 *
 * @throws OssArgumentError naming the rule that failed.
 */
export function validateObjectKey(key: unknown, bucket?: string): asserts key is string {
  if (typeof key !== 'string' || key === '') {
    throw new OssArgumentError('key', 'An object key is required (a non-empty string).', {
      bucket,
    });
  }
  let problem: string | undefined;
  if (key.startsWith('/') || key.startsWith('\\')) {
    problem = 'it must not start with "/" or "\\" (write "dir/file", not "/dir/file")';
  } else if (LONE_SURROGATE.test(key)) {
    problem = 'it contains a lone UTF-16 surrogate, which has no UTF-8 form';
  } else if (key === '.' || key === '..') {
    problem = 'URLs cannot address an object named "." or ".."';
  } else {
    const bytes = encoder.encode(key).length;
    if (bytes > MAX_KEY_BYTES)
      problem = `it is ${bytes} bytes of UTF-8 (at most ${MAX_KEY_BYTES} allowed)`;
  }
  if (problem !== undefined) {
    const shown = key.length > 80 ? `${JSON.stringify(key.slice(0, 80))}…` : JSON.stringify(key);
    throw new OssArgumentError('key', `Invalid object key ${shown}: ${problem}.`, { bucket, key });
  }
}

/**
 * Builds the wire URL of a request: the address style decides where the bucket goes; the
 * key is percent-encoded per RFC 3986 with `/` kept (or every `/` encoded when a segment is
 * `.` or `..`, which URL parsers would otherwise resolve); query names and values are
 * encoded with the RFC 3986 unreserved set (space `%20`, never `+`), in the given order,
 * bare parameters rendered as just the name.
 */
export function buildRequestUrl(
  endpoint: ResolvedEndpoint,
  bucket: string | undefined,
  key: string | undefined,
  query: ReadonlyArray<readonly [string, string]> = [],
): string {
  const keyPath = key ? encodeKeyForPath(key) : '';
  let host = endpoint.host;
  let path: string;
  if (bucket === undefined) {
    path = '/';
  } else if (endpoint.style === 'cname') {
    path = `/${keyPath}`;
  } else if (endpoint.style === 'path') {
    path = `/${bucket}/${keyPath}`;
  } else {
    host = `${bucket}.${endpoint.host}`;
    path = `/${keyPath}`;
  }
  const search = query
    .map(([name, value]) =>
      value === '' ? encodeRfc3986(name) : `${encodeRfc3986(name)}=${encodeRfc3986(value)}`,
    )
    .join('&');
  return `${endpoint.protocol}//${host}${path}${search === '' ? '' : `?${search}`}`;
}
