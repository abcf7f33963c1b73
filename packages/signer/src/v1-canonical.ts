import {
  compareCodePoints,
  normalizeHeaders,
  normalizeQuery,
  trimHeaderValue,
} from './normalize.ts';
import type { HeadersInput, QueryInput, SignableRequest } from './types.ts';

/**
 * Query parameters that V1 signs (the "sub-resources"), per oss-protocol §1.1.1: the modern
 * set of go-v2/python-v2 plus the legacy names of the Java v1, oss2 and Go v1 SDKs. Signer
 * and verifier use the same list, so they always agree; any name starting with `x-oss-` is
 * signed too, and callers may register more (`subResources` options).
 *
 * UNVERIFIED: real OSS uses a fixed internal list; the union is what the protocol notes
 * recommend for our emulator. A client that signs a name the server does not treat as a
 * sub-resource gets SignatureDoesNotMatch, so keep extras to names the server knows.
 */
export const V1_SUB_RESOURCES: ReadonlySet<string> = new Set(
  // go-v2 requiredSignedParametersMap (30) + python-v2 resourceGroup
  (
    'acl bucketInfo location stat delete append tagging objectMeta uploads uploadId partNumber ' +
    'security-token position response-content-type response-content-language response-expires ' +
    'response-cache-control response-content-disposition response-content-encoding restore ' +
    'callback callback-var versions versioning versionId sequential continuation-token ' +
    'regionList cloudboxes symlink resourceGroup ' +
    // legacy / extended names (Java v1, oss2, Go v1)
    'cors logging website referer lifecycle img style styleName replication replicationProgress ' +
    'replicationLocation cname comp qos live status vod startTime endTime x-oss-process ' +
    'processConfiguration udf udfName udfImage udfImageDesc udfApplication udfApplicationLog udfId ' +
    'encryption policy requestPayment x-oss-traffic-limit qosInfo asyncFetch x-oss-request-payer ' +
    'vpcip vip inventory inventoryId worm wormId wormExtend withHashContext x-oss-enable-md5 ' +
    'x-oss-enable-sha1 x-oss-enable-sha256 x-oss-hash-ctx x-oss-md5-ctx x-oss-dir x-oss-rename ' +
    'x-oss-delete transferAcceleration x-oss-ac-source-ip x-oss-ac-subnet-mask x-oss-ac-vpc-id ' +
    'x-oss-ac-forward-allow metaQuery rtc x-oss-async-process responseHeader ' +
    'x-oss-write-get-object-response bucketArchiveDirectRead httpsConfig publicAccessBlock ' +
    'policyStatus redundancyTransition x-oss-target-redundancy-type ' +
    'x-oss-redundancy-transition-taskid accessPoint accessPointPolicy seal group link objectInfo ' +
    'requesterQosInfo qosRequester resourcePoolInfo resourcePool resourcePoolBuckets ' +
    'x-oss-access-point-name'
  ).split(' '),
);

/**
 * Whether V1 signs a query parameter: it is in {@link V1_SUB_RESOURCES}, starts with
 * `x-oss-`, or is one of the caller's `extra` sub-resources. Names are case-sensitive.
 */
export function isV1SubResource(name: string, extra?: Iterable<string>): boolean {
  if (V1_SUB_RESOURCES.has(name) || name.startsWith('x-oss-')) return true;
  if (extra) for (const candidate of extra) if (candidate === name) return true;
  return false;
}

/**
 * V1 CanonicalizedOSSHeaders: every `x-oss-*` header (name lower-cased, value trimmed, case
 * variants joined with `,`), sorted by name, each as `name:value\n`. `''` when there are none.
 */
export function canonicalizedOssHeadersV1(headers: HeadersInput | undefined): string {
  const normalized = normalizeHeaders(headers);
  return Object.keys(normalized)
    .filter((name) => name.startsWith('x-oss-'))
    .sort(compareCodePoints)
    .map((name) => `${name}:${trimHeaderValue(normalized[name]!)}\n`)
    .join('');
}

/**
 * V1 CanonicalizedResource: `/`, `/bucket/` or `/bucket/key` with the key as raw UTF-8
 * (NOT percent-encoded: `key+123` stays `key+123`), then `?` and the signable parameters
 * (see {@link isV1SubResource}) sorted by name, as `name` (empty value) or `name=value` with
 * raw, decoded values, joined with `&`. Other parameters are left out.
 *
 * @throws TypeError when a key is given without a bucket.
 */
export function canonicalizedResourceV1(
  bucket: string | undefined,
  key: string | undefined,
  query?: QueryInput,
  extraSubResources?: Iterable<string>,
): string {
  let resource: string;
  if (bucket === undefined || bucket === '') {
    if (key) throw new TypeError('A request with an object key must name its bucket.');
    resource = '/';
  } else {
    resource = `/${bucket}/${key ?? ''}`;
  }
  const extras = extraSubResources ? [...extraSubResources] : undefined;
  const signed = normalizeQuery(query)
    .filter(([name]) => isV1SubResource(name, extras))
    .sort(([a, x], [b, y]) => compareCodePoints(a, b) || compareCodePoints(x, y))
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`));
  return signed.length > 0 ? `${resource}?${signed.join('&')}` : resource;
}

/** Options of {@link stringToSignV1}. */
export interface StringToSignV1Options {
  /**
   * The date line. Default: the request's `x-oss-date` header, else its `Date` header
   * (x-oss-date prevails, as OSS does). Presigning passes the `Expires` value here.
   */
  date?: string;
  /** Extra query parameter names to sign as sub-resources. */
  subResources?: Iterable<string>;
}

/**
 * The V1 string to sign:
 * `VERB\nContent-MD5\nContent-Type\nDate\n` + CanonicalizedOSSHeaders + CanonicalizedResource.
 * Content-MD5, Content-Type and the date are trimmed like any received header value (empty
 * when absent).
 */
export function stringToSignV1(
  request: SignableRequest,
  options: StringToSignV1Options = {},
): string {
  const headers = normalizeHeaders(request.headers);
  const date = options.date ?? headers['x-oss-date'] ?? headers['date'] ?? '';
  return (
    `${request.method.toUpperCase()}\n` +
    `${trimHeaderValue(headers['content-md5'] ?? '')}\n` +
    `${trimHeaderValue(headers['content-type'] ?? '')}\n` +
    `${trimHeaderValue(date)}\n` +
    canonicalizedOssHeadersV1(headers) +
    canonicalizedResourceV1(request.bucket, request.key, request.query, options.subResources)
  );
}
