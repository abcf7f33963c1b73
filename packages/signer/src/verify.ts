import { readClock } from './clock.ts';
import { timingSafeEqual, utf8 } from './crypto.ts';
import { parseIso8601Basic, parseRfc1123 } from './dates.ts';
import { defaultKeyCache, type SigningKeyCache } from './key-cache.ts';
import { normalizeHeaders } from './normalize.ts';
import type { Clock, SignatureVersion } from './types.ts';
import { stringToSignV1 } from './v1-canonical.ts';
import { signatureV1 } from './v1-sign.ts';
import { canonicalRequestV4, UNSIGNED_PAYLOAD } from './v4-canonical.ts';
import {
  credentialScopeV4,
  normalizeRegion,
  signatureV4,
  stringToSignV4,
  V4_ALGORITHM,
  V4_MAX_EXPIRES,
} from './v4-sign.ts';

/**
 * A received request, as {@link verifyRequest} reads it. Build it from the raw request
 * target with {@link parseRequestTarget}:
 *
 * - `bucket`: from the `Host` header (virtual-hosted) or the first path segment (path
 *   style); `undefined` for service-level requests.
 * - `key`: the rest of the RAW path (before any framework decoding), percent-decoded exactly
 *   once as UTF-8, `+` kept as `+`; `undefined` for bucket-level requests.
 * - `query`: every query parameter in wire order, name and value percent-decoded (`+` read
 *   as space); a bare `?uploads` is `['uploads', '']`.
 * - `headers`: header names lower-cased; repeated headers joined with `,` (no space: in
 *   Node use `req.headersDistinct` and `join(',')`, since `req.headers` joins with `', '`).
 */
export interface VerifiableRequest {
  /** HTTP method as received. */
  method: string;
  /** Bucket, or `undefined` for service-level requests. */
  bucket?: string | undefined;
  /** Decoded object key, or `undefined` for bucket-level requests. */
  key?: string | undefined;
  /** Decoded query pairs in wire order. */
  query: ReadonlyArray<readonly [string, string]>;
  /** Headers, names lower-cased. */
  headers: Readonly<Record<string, string | undefined>>;
}

/** What the server knows about an access key. */
export interface VerifyCredentials {
  /** The secret to check signatures with. */
  accessKeySecret: string;
  /** For STS keys: the token requests must carry. Keys without one must not send a token. */
  securityToken?: string | undefined;
}

/** Options of {@link verifyRequest}. */
export interface VerifyOptions {
  /**
   * Finds the secret of an access key; `undefined` for an unknown key (answered with
   * `InvalidAccessKeyId`). A rejection propagates out of `verifyRequest` (a server error).
   */
  lookupCredentials: (accessKeyId: string) => Promise<VerifyCredentials | undefined>;
  /**
   * The server's region id (`cn-hangzhou`; an `oss-` prefix is stripped). A V4 credential
   * scope naming another region is rejected with `InvalidArgument` (EC 0002-00000228).
   */
  region: string;
  /** The product V4 scopes must name. Default `'oss'`. */
  product?: string;
  /** The server's clock. Default: the system clock. */
  now?: Clock | Date | number;
  /**
   * Largest accepted difference between the request's date and `now`, in ms.
   * Default 15 minutes (OSS's documented limit for V1; assumed for V4).
   */
  maxSkewMs?: number;
  /** Extra V1 sub-resources, as given to the signer's `subResources`. */
  subResources?: Iterable<string>;
  /** Key cache. Default: a small cache shared with the standalone signing functions. */
  keyCache?: SigningKeyCache;
}

/** How a request is signed, as found by {@link detectSignature}. */
export interface DetectedSignature {
  /** `'unsupported'`: an Authorization header or presign parameters of another scheme (e.g. `OSS2`). */
  version: SignatureVersion | 'unsupported';
  /** Signature in the query string (presigned URL) rather than in `Authorization`. */
  presigned: boolean;
  /** Both an `Authorization` header and presign parameters are present. */
  conflicting: boolean;
}

/** Error codes {@link verifyRequest} reports, named as OSS names them. */
export type VerifyErrorCode =
  | 'AccessDenied'
  | 'InvalidAccessKeyId'
  | 'SignatureDoesNotMatch'
  | 'RequestTimeTooSkewed'
  | 'InvalidArgument'
  | 'InvalidSecurityToken';

/** A request whose signature checked out. */
export interface VerifySuccess {
  /** Discriminant: the signature is valid. */
  ok: true;
  /** The access key that signed the request. */
  accessKeyId: string;
  /** Scheme used. */
  version: SignatureVersion;
  /** Signed in the query string (presigned URL). */
  presigned: boolean;
  /** Presigned requests: when the URL expires. */
  expiresAt?: Date;
}

/**
 * A rejected request: everything a server needs to answer with the OSS error document.
 * Send `httpStatus`, and `<Code>` = `code`, `<Message>` = `message`, `<EC>` = `ec`, plus
 * the optional elements that are set (`OSSAccessKeyId`, `SignatureProvided`, `StringToSign`,
 * `StringToSignBytes`, `CanonicalRequest`, `ArgumentName`, `ArgumentValue`, ...).
 */
export interface VerifyFailure {
  /** Discriminant: the request must be rejected. */
  ok: false;
  /** OSS error code. */
  code: VerifyErrorCode;
  /** HTTP status to answer with: 400 for InvalidArgument, else 403. */
  httpStatus: 400 | 403;
  /** Human-readable reason; never contains a secret or the expected signature. */
  message: string;
  /** OSS error-centre code, where known (also for the `x-oss-ec` header). */
  ec?: string;
  /** Scheme, when it could be determined. */
  version?: SignatureVersion;
  /** Signed in the query string, when known. */
  presigned?: boolean;
  /** The access key the request named. */
  accessKeyId?: string;
  /** SignatureDoesNotMatch: the signature the request carried. */
  signatureProvided?: string;
  /** SignatureDoesNotMatch: the server's string to sign. */
  stringToSign?: string;
  /** SignatureDoesNotMatch: the string to sign as space-separated upper-case hex bytes. */
  stringToSignBytes?: string;
  /** SignatureDoesNotMatch with V4: the server's canonical request. */
  canonicalRequest?: string;
  /** InvalidArgument: the offending parameter or header. */
  argumentName?: string;
  /** InvalidArgument: its value. */
  argumentValue?: string;
  /** RequestTimeTooSkewed: the request's time (ISO 8601). */
  requestTime?: string;
  /** RequestTimeTooSkewed: the server's time (ISO 8601). */
  serverTime?: string;
  /** AccessDenied for an expired URL: when it expired. */
  expiresAt?: Date;
}

/** The outcome of {@link verifyRequest}; discriminate on `ok`. */
export type VerifyResult = VerifySuccess | VerifyFailure;

const DEFAULT_MAX_SKEW_MS = 15 * 60_000;
const V1_PRESIGN_NAMES = ['OSSAccessKeyId', 'Signature'];
const V4_PRESIGN_NAMES = ['x-oss-signature-version', 'x-oss-credential', 'x-oss-signature'];

const MESSAGES = {
  invalidAccessKeyId: 'The OSS Access Key Id you provided does not exist in our records.',
  signatureDoesNotMatch:
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  // UNVERIFIED (oss-protocol §9): exact OSS text unknown; S3's wording.
  skewed: 'The difference between the request time and the current time is too large.',
  // UNVERIFIED (oss-protocol §9): S3 answers AccessDenied "Request has expired.".
  expired: 'Request has expired.',
} as const;

/**
 * Tells whether and how a request is signed, without checking anything. `undefined` means
 * anonymous: no `Authorization` header and no presign parameters (`OSSAccessKeyId` /
 * `Signature` for V1, `x-oss-signature-version` / `x-oss-credential` / `x-oss-signature` for
 * V4). Headers may be given in any case.
 */
export function detectSignature(
  request: Pick<VerifiableRequest, 'query' | 'headers'>,
): DetectedSignature | undefined {
  const headers = normalizeHeaders(request.headers);
  const authorization = headers['authorization']?.trim();
  const names = new Set(request.query.map(([name]) => name));
  const v4Query = V4_PRESIGN_NAMES.some((name) => names.has(name));
  const v1Query = V1_PRESIGN_NAMES.some((name) => names.has(name));
  const hasQuery = v4Query || v1Query;
  if (authorization) {
    const version = authorization.startsWith(`${V4_ALGORITHM} `)
      ? 'v4'
      : authorization.startsWith('OSS ')
        ? 'v1'
        : 'unsupported';
    return { version, presigned: false, conflicting: hasQuery };
  }
  if (v4Query) {
    const declared = request.query.find(([name]) => name === 'x-oss-signature-version')?.[1];
    return {
      version: declared === V4_ALGORITHM ? 'v4' : 'unsupported',
      presigned: true,
      conflicting: false,
    };
  }
  if (v1Query) return { version: 'v1', presigned: true, conflicting: false };
  return undefined;
}

/** Whether a request carries any signature at all; `false` means anonymous. */
export function hasSignature(request: Pick<VerifiableRequest, 'query' | 'headers'>): boolean {
  return detectSignature(request) !== undefined;
}

/** Space-separated upper-case hex of the UTF-8 bytes, as OSS's `<StringToSignBytes>`. */
export function stringToSignBytes(stringToSign: string): string {
  return Array.from(utf8(stringToSign), (byte) =>
    byte.toString(16).toUpperCase().padStart(2, '0'),
  ).join(' ');
}

function fail(
  code: VerifyErrorCode,
  message: string,
  extra: Omit<VerifyFailure, 'ok' | 'code' | 'httpStatus' | 'message'> = {},
): VerifyFailure {
  return { ok: false, code, httpStatus: code === 'InvalidArgument' ? 400 : 403, message, ...extra };
}

function firstParam(
  query: ReadonlyArray<readonly [string, string]>,
  name: string,
): string | undefined {
  return query.find(([candidate]) => candidate === name)?.[1];
}

interface Context {
  request: VerifiableRequest;
  headers: Record<string, string>;
  options: VerifyOptions;
  now: Date;
  region: string;
  product: string;
  maxSkewMs: number;
  keyCache: SigningKeyCache;
}

function checkSkew(
  context: Context,
  date: Date,
  base: Partial<VerifyFailure>,
): VerifyFailure | undefined {
  if (Math.abs(context.now.getTime() - date.getTime()) <= context.maxSkewMs) return undefined;
  return fail('RequestTimeTooSkewed', MESSAGES.skewed, {
    ...base,
    requestTime: date.toISOString(),
    serverTime: context.now.toISOString(),
  });
}

function checkToken(
  credentials: VerifyCredentials,
  provided: string | undefined,
  base: Partial<VerifyFailure>,
): VerifyFailure | undefined {
  const expected = credentials.securityToken;
  if (expected) {
    if (provided === undefined || !timingSafeEqual(provided, expected)) {
      return fail(
        'InvalidSecurityToken',
        provided === undefined
          ? 'This AccessKey is temporary (STS): the request must carry its security token.'
          : 'The security token you provided is invalid.',
        base,
      );
    }
  } else if (provided) {
    // UNVERIFIED: assumed that OSS rejects a token sent with a long-term key.
    return fail(
      'InvalidSecurityToken',
      'A security token was sent with an AccessKey that does not use one.',
      base,
    );
  }
  return undefined;
}

async function lookup(
  context: Context,
  accessKeyId: string,
  base: Partial<VerifyFailure>,
): Promise<{ credentials: VerifyCredentials } | { failure: VerifyFailure }> {
  const credentials = await context.options.lookupCredentials(accessKeyId);
  if (!credentials) {
    return {
      failure: fail('InvalidAccessKeyId', MESSAGES.invalidAccessKeyId, {
        ...base,
        ec: '0002-00000902',
      }),
    };
  }
  return { credentials };
}

async function verifyV1(context: Context, presigned: boolean): Promise<VerifyResult> {
  const { request, headers } = context;
  let base: Partial<VerifyFailure> = { version: 'v1', presigned };
  let accessKeyId: string;
  let signature: string;
  let dateLine: string | undefined;
  let expiresAt: Date | undefined;

  if (presigned) {
    const id = firstParam(request.query, 'OSSAccessKeyId');
    const provided = firstParam(request.query, 'Signature');
    const expires = firstParam(request.query, 'Expires');
    if (!id || !provided || expires === undefined) {
      return fail(
        'AccessDenied',
        'Query-string authentication requires the Signature, Expires and OSSAccessKeyId parameters',
        { ...base, ...(expires === undefined ? { ec: '0002-00000067' } : {}) },
      );
    }
    accessKeyId = id;
    signature = provided;
    base = { ...base, accessKeyId };
    // Past year 275760 a Date is invalid, and an expiry check against NaN never fails: such
    // an Expires is refused like any other unusable value.
    if (!/^\d{1,15}$/.test(expires) || Number.isNaN(new Date(Number(expires) * 1000).getTime())) {
      // UNVERIFIED code: OSS documents EC 0002-00000068 (empty) / 0002-00000070 (invalid).
      return fail(
        'AccessDenied',
        'The Expires parameter must be the expiry time as Unix seconds.',
        { ...base, ec: expires === '' ? '0002-00000068' : '0002-00000070' },
      );
    }
    dateLine = expires;
    expiresAt = new Date(Number(expires) * 1000);
  } else {
    const match = /^OSS ([^:\s]+):(\S+)$/.exec(headers['authorization']!.trim());
    if (!match) {
      // UNVERIFIED code for a malformed V1 Authorization header (oss-protocol §1.4).
      return fail(
        'AccessDenied',
        "The Authorization header is malformed; expected 'OSS <AccessKeyId>:<Signature>'.",
        base,
      );
    }
    accessKeyId = match[1]!;
    signature = match[2]!;
    base = { ...base, accessKeyId };
  }

  const found = await lookup(context, accessKeyId, base);
  if ('failure' in found) return found.failure;
  const { credentials } = found;

  if (expiresAt) {
    if (context.now.getTime() > expiresAt.getTime()) {
      return fail('AccessDenied', MESSAGES.expired, { ...base, ec: '0002-00000069', expiresAt });
    }
  } else {
    const raw = headers['x-oss-date'] ?? headers['date'];
    const date = raw === undefined ? undefined : parseRfc1123(raw);
    if (!date) {
      return fail(
        'AccessDenied',
        'OSS authentication requires a valid Date or x-oss-date header (RFC 1123).',
        base,
      );
    }
    const skewed = checkSkew(context, date, base);
    if (skewed) return skewed;
  }

  const stringToSign = stringToSignV1(
    {
      method: request.method,
      bucket: request.bucket,
      key: request.key,
      query: request.query,
      headers,
    },
    {
      ...(dateLine === undefined ? {} : { date: dateLine }),
      ...(context.options.subResources ? { subResources: context.options.subResources } : {}),
    },
  );
  const expected = await signatureV1(
    await context.keyCache.v1Key(credentials.accessKeySecret),
    stringToSign,
  );
  if (!timingSafeEqual(signature, expected)) {
    return fail('SignatureDoesNotMatch', MESSAGES.signatureDoesNotMatch, {
      ...base,
      ec: '0002-00000040',
      signatureProvided: signature,
      stringToSign,
      stringToSignBytes: stringToSignBytes(stringToSign),
    });
  }
  const token = presigned
    ? firstParam(request.query, 'security-token')
    : // UNVERIFIED: python-v2 sends a `security-token` header; accepted as well.
      (headers['x-oss-security-token'] ?? headers['security-token']);
  const badToken = checkToken(credentials, token, base);
  if (badToken) return badToken;
  return {
    ok: true,
    accessKeyId,
    version: 'v1',
    presigned,
    ...(expiresAt ? { expiresAt } : {}),
  };
}

interface ParsedCredential {
  accessKeyId: string;
  dateStamp: string;
  region: string;
  product: string;
}

function parseCredential(value: string): ParsedCredential | undefined {
  const parts = value.split('/');
  if (parts.length < 5 || parts[parts.length - 1] !== 'aliyun_v4_request') return undefined;
  const [dateStamp, region, product] = parts.slice(-4, -1) as [string, string, string];
  const accessKeyId = parts.slice(0, -4).join('/');
  if (accessKeyId === '' || !/^\d{8}$/.test(dateStamp) || region === '' || product === '') {
    return undefined;
  }
  return { accessKeyId, dateStamp, region, product };
}

function parseAuthorizationV4(
  value: string,
): { credential: string; signature: string; additional: string | undefined } | undefined {
  const fields = new Map<string, string>();
  for (const piece of value.trim().slice(V4_ALGORITHM.length).split(',')) {
    const trimmed = piece.trim();
    const eq = trimmed.indexOf('=');
    if (eq < 0) return undefined;
    const name = trimmed.slice(0, eq).trim();
    if (!['Credential', 'AdditionalHeaders', 'Signature'].includes(name) || fields.has(name)) {
      return undefined;
    }
    fields.set(name, trimmed.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signature = fields.get('Signature');
  if (!credential || !signature) return undefined;
  return { credential, signature, additional: fields.get('AdditionalHeaders') };
}

async function verifyV4(context: Context, presigned: boolean): Promise<VerifyResult> {
  const { request, headers } = context;
  let base: Partial<VerifyFailure> = { version: 'v4', presigned };
  let credentialValue: string;
  let signature: string;
  let additional: string | undefined;
  let rawDate: string | undefined;
  let rawExpires: string | undefined;

  if (presigned) {
    const credential = firstParam(request.query, 'x-oss-credential');
    const provided = firstParam(request.query, 'x-oss-signature');
    rawDate = firstParam(request.query, 'x-oss-date');
    rawExpires = firstParam(request.query, 'x-oss-expires');
    if (!credential || !provided || rawDate === undefined || rawExpires === undefined) {
      return fail(
        'AccessDenied',
        'V4 query-string authentication requires the x-oss-signature-version, x-oss-credential, x-oss-date, x-oss-expires and x-oss-signature parameters.',
        base,
      );
    }
    credentialValue = credential;
    signature = provided;
    additional = firstParam(request.query, 'x-oss-additional-headers');
  } else {
    const parsed = parseAuthorizationV4(headers['authorization']!);
    if (!parsed) {
      // UNVERIFIED code: OSS documents EC 0002-00000202 for this case.
      return fail(
        'AccessDenied',
        'The Authorization header is malformed; expected "OSS4-HMAC-SHA256 Credential=<AccessKeyId>/<date>/<region>/<product>/aliyun_v4_request[,AdditionalHeaders=<h1;h2>],Signature=<hex>".',
        { ...base, ec: '0002-00000202' },
      );
    }
    credentialValue = parsed.credential;
    signature = parsed.signature;
    additional = parsed.additional;
    rawDate = headers['x-oss-date'];
  }

  const credential = parseCredential(credentialValue);
  if (!credential) {
    return fail(
      'AccessDenied',
      'The V4 credential is malformed; expected <AccessKeyId>/<YYYYMMDD>/<region>/<product>/aliyun_v4_request.',
      { ...base, ec: '0002-00000213' },
    );
  }
  const { accessKeyId } = credential;
  base = { ...base, accessKeyId };

  const found = await lookup(context, accessKeyId, base);
  if ('failure' in found) return found.failure;
  const { credentials } = found;

  const argumentName = presigned ? 'x-oss-credential' : 'Authorization';
  if (credential.region !== context.region) {
    // Decision: a scope for another region is InvalidArgument (400), EC 0002-00000228, as
    // OSS's error centre describes; the exact code OSS uses for header auth is UNVERIFIED.
    return fail(
      'InvalidArgument',
      `The signing region '${credential.region}' in the credential does not match this endpoint's region '${context.region}'; sign with region '${context.region}'.`,
      { ...base, ec: '0002-00000228', argumentName, argumentValue: credentialValue },
    );
  }
  if (credential.product !== context.product) {
    return fail(
      'InvalidArgument',
      `The signing product '${credential.product}' in the credential does not match this endpoint's product '${context.product}'.`,
      { ...base, argumentName, argumentValue: credentialValue },
    );
  }

  const date = rawDate === undefined ? undefined : parseIso8601Basic(rawDate);
  if (!date || rawDate === undefined) {
    return fail(
      'AccessDenied',
      presigned
        ? 'The x-oss-date parameter must be a date such as 20231216T162057Z.'
        : 'V4 authentication requires an x-oss-date header such as 20231216T162057Z.',
      base,
    );
  }
  if (rawDate.slice(0, 8) !== credential.dateStamp) {
    return fail(
      'InvalidArgument',
      `The credential date ${credential.dateStamp} does not match the x-oss-date ${rawDate}.`,
      { ...base, argumentName, argumentValue: credentialValue },
    );
  }

  let expiresAt: Date | undefined;
  if (presigned) {
    const seconds = /^\d{1,7}$/.test(rawExpires!) ? Number(rawExpires) : Number.NaN;
    if (!(seconds >= 1 && seconds <= V4_MAX_EXPIRES)) {
      return fail(
        'InvalidArgument',
        `x-oss-expires must be a whole number of seconds from 1 to ${V4_MAX_EXPIRES}.`,
        { ...base, ec: '0002-00000232', argumentName: 'x-oss-expires', argumentValue: rawExpires! },
      );
    }
    // A URL signed in the future beyond the allowed skew is rejected like a skewed request.
    if (date.getTime() - context.now.getTime() > context.maxSkewMs) {
      return checkSkew(context, date, base)!;
    }
    expiresAt = new Date(date.getTime() + seconds * 1000);
    if (context.now.getTime() > expiresAt.getTime()) {
      return fail('AccessDenied', MESSAGES.expired, { ...base, ec: '0002-00000236', expiresAt });
    }
  } else {
    const skewed = checkSkew(context, date, base);
    if (skewed) return skewed;
    const payload = headers['x-oss-content-sha256'];
    if (payload !== undefined && payload.trim() !== UNSIGNED_PAYLOAD) {
      return fail('InvalidArgument', `x-oss-content-sha256 must be ${UNSIGNED_PAYLOAD}.`, {
        ...base,
        ec: '0002-00000214',
        argumentName: 'x-oss-content-sha256',
        argumentValue: payload,
      });
    }
  }

  const query = presigned
    ? request.query.filter(([name]) => name !== 'x-oss-signature')
    : request.query;
  const additionalHeaders = additional
    ? additional
        .split(';')
        .map((name) => name.trim())
        .filter((name) => name !== '')
    : [];
  const canonicalRequest = canonicalRequestV4(
    { method: request.method, bucket: request.bucket, key: request.key, query, headers },
    additionalHeaders,
  );
  const scope = credentialScopeV4(credential.dateStamp, credential.region, credential.product);
  const stringToSign = await stringToSignV4(canonicalRequest, rawDate, scope);
  const key = await context.keyCache.v4Key(
    credentials.accessKeySecret,
    credential.dateStamp,
    credential.region,
    credential.product,
  );
  const expected = await signatureV4(key, stringToSign);
  if (!timingSafeEqual(signature, expected)) {
    return fail('SignatureDoesNotMatch', MESSAGES.signatureDoesNotMatch, {
      ...base,
      ec: '0002-00000201',
      signatureProvided: signature,
      stringToSign,
      stringToSignBytes: stringToSignBytes(stringToSign),
      canonicalRequest,
    });
  }
  const token = presigned
    ? firstParam(request.query, 'x-oss-security-token')
    : headers['x-oss-security-token'];
  const badToken = checkToken(credentials, token, base);
  if (badToken) return badToken;
  return {
    ok: true,
    accessKeyId,
    version: 'v4',
    presigned,
    ...(expiresAt ? { expiresAt } : {}),
  };
}

/**
 * Verifies the signature of a received request, V1 or V4, in the `Authorization` header or
 * in a presigned URL, the way OSS does: recompute, compare in constant time, check the clock
 * skew (header auth, default 15 min), the expiry (presigned URLs; V4 `x-oss-expires` must be
 * 1..604800), the V4 scope (region and product must be this server's) and, for STS keys,
 * the security token. Never throws for a bad request; only a rejection of
 * `lookupCredentials` propagates.
 *
 * Call {@link hasSignature} first to route anonymous requests (they get `AccessDenied` here).
 *
 * @example
 * ```ts
 * const { bucket, key, query } = parseRequestTarget(req.url, { bucket: bucketFromHost });
 * const result = await verifyRequest(
 *   { method: req.method, bucket, key, query, headers },
 *   { region: 'cn-hangzhou', lookupCredentials: async (id) => keys.get(id) },
 * );
 * if (!result.ok) return sendError(result.httpStatus, result.code, result.message, result);
 * ```
 */
export async function verifyRequest(
  request: VerifiableRequest,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const context: Context = {
    request,
    headers: normalizeHeaders(request.headers),
    options,
    now: readClock(options.now),
    region: normalizeRegion(options.region),
    product: options.product ?? 'oss',
    maxSkewMs: options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS,
    keyCache: options.keyCache ?? defaultKeyCache,
  };
  const detected = detectSignature({ query: request.query, headers: context.headers });
  if (!detected) {
    return fail('AccessDenied', 'Anonymous access is forbidden for this operation.');
  }
  if (detected.conflicting) {
    // UNVERIFIED code: OSS does not allow an Authorization header and a signed URL at once.
    return fail(
      'InvalidArgument',
      'Only one authentication mechanism is allowed: send either an Authorization header or a signed URL, not both.',
      { argumentName: 'Authorization', argumentValue: 'header and query-string signature' },
    );
  }
  if (detected.version === 'unsupported') {
    return fail(
      'AccessDenied',
      detected.presigned
        ? `Unsupported x-oss-signature-version; only ${V4_ALGORITHM} (or V1 OSSAccessKeyId/Signature) is accepted.`
        : `Unsupported Authorization scheme; use 'OSS <AccessKeyId>:<Signature>' (V1) or '${V4_ALGORITHM} ...' (V4).`,
      { presigned: detected.presigned, ...(detected.presigned ? {} : { ec: '0002-00000061' }) },
    );
  }
  if (request.key && !request.bucket) {
    return fail('InvalidArgument', 'An object key was given without a bucket.', {
      version: detected.version,
      presigned: detected.presigned,
    });
  }
  return detected.version === 'v1'
    ? verifyV1(context, detected.presigned)
    : verifyV4(context, detected.presigned);
}
