/**
 * Signature scheme: `'v1'` is `OSS AccessKeyId:Signature` (HMAC-SHA1), `'v4'` is
 * `OSS4-HMAC-SHA256` (HMAC-SHA256 with a derived, scoped signing key). V4 is the default
 * everywhere in ossup; V1 stays available because many existing deployments still use it.
 */
export type SignatureVersion = 'v1' | 'v4';

/**
 * Query parameters of a request, as raw (decoded) values.
 *
 * Either a record (`{ uploads: undefined, 'max-parts': '100' }`) or a list of `[name, value]`
 * pairs when order or repeated names matter. An empty or `undefined` value is a bare
 * parameter, rendered as `?uploads` (never `?uploads=`). Never pass percent-encoded values:
 * the signer encodes them itself.
 */
export type QueryInput =
  | Readonly<Record<string, string | undefined>>
  | ReadonlyArray<readonly [string, string | undefined]>;

/**
 * Request headers by name. Names are case-insensitive: `Content-Type` and `content-type`
 * are the same header (values of case variants are joined with `,`). `undefined` values are
 * skipped, which makes optional headers easy to spread in.
 */
export type HeadersInput = Readonly<Record<string, string | undefined>>;

/**
 * A plain description of an OSS request, independent of the address style and of how the
 * URL will be encoded on the wire.
 *
 * - `bucket` absent: service-level request (e.g. ListBuckets).
 * - `bucket` set, `key` absent or `''`: bucket-level request (e.g. ListMultipartUploads).
 * - `key` is the raw object name (`'dir/ü k+y.bin'`), never percent-encoded.
 *
 * Put every header the request will send here before signing (in particular
 * `Content-Type`: `fetch` adds `text/plain;charset=UTF-8` to string bodies otherwise, and
 * the signature would no longer match).
 */
export interface SignableRequest {
  /** HTTP method; case-insensitive, signed upper-cased. */
  method: string;
  /** Bucket name; absent for service-level requests. */
  bucket?: string | undefined;
  /** Raw (decoded) object key; absent or `''` for bucket-level requests. */
  key?: string | undefined;
  /** Query parameters, raw values. Defaults to none. */
  query?: QueryInput | undefined;
  /** Headers to send. Defaults to none. */
  headers?: HeadersInput | undefined;
}

/** The result of header signing: everything the caller needs to send the request. */
export interface SignedRequest {
  /** Scheme used. */
  version: SignatureVersion;
  /**
   * The complete header set to send, names lower-cased: the request's own headers plus
   * `authorization`, `x-oss-date` and, when applicable, `x-oss-content-sha256`
   * (`UNSIGNED-PAYLOAD`, V4) and `x-oss-security-token` (STS). No `Date` header is added:
   * browsers refuse to set it and OSS reads `x-oss-date` first.
   */
  headers: Record<string, string>;
  /** The `Authorization` header value (also in `headers.authorization`). */
  authorization: string;
  /** The string that was signed; compare it with the server's when debugging a mismatch. */
  stringToSign: string;
  /** V4 only: the canonical request that was hashed into the string to sign. */
  canonicalRequest?: string;
  /** Signing time (whole seconds). */
  date: Date;
}

/**
 * The result of presigning. The signature lives in `query`; turn it into a URL with
 * {@link buildPresignedUrl}. The eventual request must send exactly `headers` (they were
 * signed), and no `Authorization` header.
 */
export interface PresignedRequest {
  /** Scheme used. */
  version: SignatureVersion;
  /**
   * The full query of the presigned URL as raw (decoded) `[name, value]` pairs: the
   * request's own parameters followed by the signature parameters (`OSSAccessKeyId`,
   * `Expires`, `Signature`[, `security-token`] for V1; `x-oss-signature-version`,
   * `x-oss-credential`, `x-oss-date`, `x-oss-expires`[, `x-oss-additional-headers`]
   * [, `x-oss-security-token`], `x-oss-signature` for V4). A `''` value is a bare parameter.
   */
  query: Array<[string, string]>;
  /** Headers (names lower-cased) the request must carry when the URL is used. */
  headers: Record<string, string>;
  /** Instant after which OSS rejects the URL. */
  expiresAt: Date;
  /** The string that was signed. */
  stringToSign: string;
  /** V4 only: the canonical request. */
  canonicalRequest?: string;
  /** Signing time (whole seconds). */
  date: Date;
}

/**
 * A clock: returns the current time as a `Date` or as milliseconds since the epoch.
 * Inject one to test, or to correct a known offset from the server's clock
 * (`() => Date.now() + offsetMs`) after a `RequestTimeTooSkewed` answer.
 */
export type Clock = () => Date | number;
