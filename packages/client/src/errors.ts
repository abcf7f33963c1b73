// The error hierarchy of @ossup/client. Every class carries the fields a caller needs to act
// (retry, fix a setting, resume) and a message that says what happened and what to do.
// Messages and fields never contain a secret, a signature or an STS token: URLs are redacted
// with `redactUrl` and server debug fields that echo a signature are dropped.

/** Where a failure happened: the operation and the object it addressed. */
export interface OssErrorContext {
  /** Operation name, e.g. `UploadPart`, `CompleteMultipartUpload`. */
  operation?: string | undefined;
  /** Bucket the request addressed. */
  bucket?: string | undefined;
  /** Object key the request addressed. */
  key?: string | undefined;
}

/** Constructor options shared by every {@link OssError}. */
export interface OssErrorOptions extends OssErrorContext {
  /** The underlying error (a `TypeError` from `fetch`, an abort reason, ...). */
  cause?: unknown;
}

/**
 * Base class of every error thrown by `@ossup/client`; `instanceof OssError` catches them all.
 * `operation`, `bucket` and `key` say which call failed when known.
 */
export class OssError extends Error {
  /** Always `'OssError'`, so `error.name` identifies it in logs. */
  override name = 'OssError';
  /** Operation name, e.g. `UploadPart`. */
  readonly operation: string | undefined;
  /** Bucket the failing request addressed. */
  readonly bucket: string | undefined;
  /** Object key the failing request addressed. */
  readonly key: string | undefined;

  constructor(message: string, options: OssErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.operation = options.operation;
    this.bucket = options.bucket;
    this.key = options.key;
  }
}

/**
 * A client option or an argument is invalid (bad endpoint URL, bucket name, key, part
 * number...). Thrown before anything is sent; fix the call, retrying cannot help.
 */
export class OssArgumentError extends OssError {
  /** Always `'OssArgumentError'`, so `error.name` identifies it in logs. */
  override name = 'OssArgumentError';
  /** Name of the offending option or argument, e.g. `endpoint`, `bucket`, `key`. */
  readonly argument: string;

  constructor(argument: string, message: string, options: OssErrorOptions = {}) {
    super(message, options);
    this.argument = argument;
  }
}

/** Fields of an {@link OssServiceError}. */
export interface OssServiceErrorInit extends OssErrorContext {
  /** HTTP status. */
  status: number;
  /** OSS error code (`NoSuchUpload`, ...); `''` when the body carried none. */
  code: string;
  /** The server's `<Message>`, or a short description of the body when it was not OSS XML. */
  serviceMessage: string;
  /** `x-oss-request-id` (or `<RequestId>`). */
  requestId?: string | undefined;
  /** `<HostId>`: the host the server saw. */
  hostId?: string | undefined;
  /** OSS error-centre code (`<EC>` or `x-oss-ec`), e.g. `0002-00000040`. */
  ec?: string | undefined;
  /** HTTP method of the request. */
  method: string;
  /** Request URL; pass it through {@link redactUrl} (the constructor does it again anyway). */
  url: string;
  /** The server's `<StringToSign>` for SignatureDoesNotMatch (security token redacted). */
  stringToSign?: string | undefined;
  /** Other children of the `<Error>` document (`BucketName`, `UploadId`, `ArgumentName`...). */
  details?: Record<string, string> | undefined;
  /** `Retry-After` of the response, in milliseconds, when present. */
  retryAfterMs?: number | undefined;
  /** Message written by the client instead of the default composed one. */
  message?: string | undefined;
  /**
   * What to do, one sentence appended to the composed message (the client adds one for the
   * common causes: a wrong secret, clock skew, expired credentials, a missing bucket...).
   */
  hint?: string | undefined;
}

/** OSS error codes that mean the credentials (usually STS) are stale: refresh and retry once. */
export const CREDENTIAL_ERROR_CODES: ReadonlySet<string> = new Set([
  'InvalidAccessKeyId',
  'SecurityTokenExpired',
  'InvalidSecurityToken',
  'ExpiredToken',
  'InvalidToken',
  'TokenExpired',
]);

/**
 * OSS answered with an error status (or a response the client cannot use). Carries the OSS
 * error code and the request id to quote to support. The message names the operation,
 * object, status, code and request id, and says what to do for the common causes.
 */
export class OssServiceError extends OssError {
  /** Always `'OssServiceError'`, so `error.name` identifies it in logs. */
  override name = 'OssServiceError';
  /** HTTP status. */
  readonly status: number;
  /** OSS error code (`NoSuchUpload`, `SignatureDoesNotMatch`...); `''` when none was sent. */
  readonly code: string;
  /** The server's own `<Message>` text (the `message` property is the composed one). */
  readonly serviceMessage: string;
  /** `x-oss-request-id`; quote it when asking Alibaba Cloud support. */
  readonly requestId: string | undefined;
  /** `<HostId>`. */
  readonly hostId: string | undefined;
  /** OSS error-centre code, e.g. `0002-00000040`. */
  readonly ec: string | undefined;
  /** HTTP method. */
  readonly method: string;
  /** Request URL without signature, credential or token query parameters. */
  readonly url: string;
  /** Server-side string to sign (SignatureDoesNotMatch), security token redacted. */
  readonly stringToSign: string | undefined;
  /** Other `<Error>` children, minus anything echoing a signature or a token. */
  readonly details: Readonly<Record<string, string>>;
  /** `Retry-After`, in milliseconds, when the server sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(init: OssServiceErrorInit, options: { cause?: unknown } = {}) {
    super(init.message ?? composeServiceMessage(init), {
      operation: init.operation,
      bucket: init.bucket,
      key: init.key,
      cause: options.cause,
    });
    this.status = init.status;
    this.code = init.code;
    this.serviceMessage = init.serviceMessage;
    this.requestId = init.requestId;
    this.hostId = init.hostId;
    this.ec = init.ec;
    this.method = init.method;
    this.url = redactUrl(init.url);
    this.stringToSign =
      init.stringToSign === undefined ? undefined : redactStringToSign(init.stringToSign);
    this.details = init.details ?? {};
    this.retryAfterMs = init.retryAfterMs;
  }

  /**
   * Whether sending the same request again may succeed: 5xx, 429 and RequestTimeTooSkewed
   * (after the clock offset is corrected). 4xx answers that mean the request is wrong are not.
   */
  get retryable(): boolean {
    return isRetryableStatus(this.status, this.code);
  }

  /** Whether the credentials were rejected as unknown or expired (refresh them, then retry). */
  get credentialsExpired(): boolean {
    return CREDENTIAL_ERROR_CODES.has(this.code);
  }
}

/** Status/code pairs worth retrying; shared by {@link OssServiceError.retryable} and the retry loop. */
export function isRetryableStatus(status: number, code: string): boolean {
  if (code === 'RequestTimeTooSkewed') return true;
  // 501 Not Implemented says the request asks for something the server does not do.
  if (status === 429 || (status >= 500 && status !== 501)) return true;
  // 408 Request Timeout comes from proxies that gave up waiting for the body.
  return status === 408;
}

/** Options of {@link OssNetworkError} and {@link OssTimeoutError}. */
export interface OssRequestErrorOptions extends OssErrorOptions {
  /** HTTP method. */
  method?: string | undefined;
  /** Request URL (redacted by the constructor). */
  url?: string | undefined;
}

/**
 * No usable response arrived: connection refused or reset, DNS failure, TLS failure, or the
 * body was cut off. Always retryable; `cause` holds the runtime's own error.
 */
export class OssNetworkError extends OssError {
  /** Always `'OssNetworkError'`, so `error.name` identifies it in logs. */
  override name = 'OssNetworkError';
  /** HTTP method. */
  readonly method: string | undefined;
  /** Request URL without signature or token parameters. */
  readonly url: string | undefined;

  constructor(message: string, options: OssRequestErrorOptions = {}) {
    super(message, options);
    this.method = options.method;
    this.url = options.url === undefined ? undefined : redactUrl(options.url);
  }

  /** Always `true`: a lost connection is worth another attempt. */
  get retryable(): boolean {
    return true;
  }
}

/**
 * An attempt took longer than the per-attempt timeout (`timeout` client option) to connect
 * and answer, or its response body stalled for that long. Retryable.
 */
export class OssTimeoutError extends OssError {
  /** Always `'OssTimeoutError'`, so `error.name` identifies it in logs. */
  override name = 'OssTimeoutError';
  /** The timeout that expired, in milliseconds. */
  readonly timeoutMs: number;
  /** HTTP method. */
  readonly method: string | undefined;
  /** Request URL without signature or token parameters. */
  readonly url: string | undefined;

  constructor(message: string, timeoutMs: number, options: OssRequestErrorOptions = {}) {
    super(message, options);
    this.timeoutMs = timeoutMs;
    this.method = options.method;
    this.url = options.url === undefined ? undefined : redactUrl(options.url);
  }

  /** Always `true`. */
  get retryable(): boolean {
    return true;
  }
}

/** What an {@link OssIntegrityError} compared. */
export type IntegrityCheck = 'part-crc64' | 'object-crc64' | 'md5' | 'etag' | 'size';

/** Fields of an {@link OssIntegrityError}. */
export interface OssIntegrityErrorInit extends OssErrorOptions {
  /** Which check failed. */
  what: IntegrityCheck;
  /** Value computed locally from the bytes sent. */
  expected: string;
  /** Value the server reported. */
  actual: string;
  /** Part number for a part-level check. */
  partNumber?: number | undefined;
  /** Request id of the response that carried `actual`. */
  requestId?: string | undefined;
  /** Message written by the caller instead of the default composed one. */
  message?: string | undefined;
}

/**
 * The bytes OSS stored differ from the bytes sent (CRC-64 or MD5 mismatch). The uploader
 * re-sends the part; reported only when that keeps failing.
 */
export class OssIntegrityError extends OssError {
  /** Always `'OssIntegrityError'`, so `error.name` identifies it in logs. */
  override name = 'OssIntegrityError';
  /** Which check failed. */
  readonly what: IntegrityCheck;
  /** Locally computed value. */
  readonly expected: string;
  /** Server-reported value. */
  readonly actual: string;
  /** Part number, for part-level checks. */
  readonly partNumber: number | undefined;
  /** Request id of the response that carried `actual`. */
  readonly requestId: string | undefined;

  constructor(init: OssIntegrityErrorInit) {
    const where = init.partNumber === undefined ? '' : ` of part ${init.partNumber}`;
    super(
      init.message ??
        `${init.what} mismatch${where}${describeTarget(init)}: sent data has ${init.expected}, OSS reports ${init.actual}` +
          `${init.requestId === undefined ? '' : ` (request id ${init.requestId})`}. ` +
          'The data was corrupted in transit or the source changed while uploading; upload it again.',
      init,
    );
    this.what = init.what;
    this.expected = init.expected;
    this.actual = init.actual;
    this.partNumber = init.partNumber;
    this.requestId = init.requestId;
  }

  /** `true`: sending the bytes again usually fixes a transient corruption. */
  get retryable(): boolean {
    return true;
  }
}

/** Step of an upload at which an {@link UploadError} happened. */
export type UploadPhase = 'preparing' | 'initiating' | 'uploading' | 'completing';

/** Fields of an {@link UploadError}. */
export interface UploadErrorInit extends OssErrorOptions {
  /** Step that failed. */
  phase: UploadPhase;
  /** Part that failed, for the `uploading` phase. */
  partNumber?: number | undefined;
  /** Checkpoint id under which progress was saved (resume with it). */
  checkpointId?: string | undefined;
  /** Multipart upload id, once initiated. */
  uploadId?: string | undefined;
  /** Message; default names the phase, the object and the cause. */
  message?: string | undefined;
}

/**
 * `upload()` failed. `cause` is the underlying {@link OssError} (or abort reason); `phase`,
 * `partNumber`, `uploadId` and `checkpointId` tell where it stopped and how to resume.
 */
export class UploadError extends OssError {
  /** Always `'UploadError'`, so `error.name` identifies it in logs. */
  override name = 'UploadError';
  /** Step that failed. */
  readonly phase: UploadPhase;
  /** Part that failed, when one did. */
  readonly partNumber: number | undefined;
  /** Checkpoint id to resume from, when a checkpoint was kept. */
  readonly checkpointId: string | undefined;
  /** Multipart upload id, when initiated. */
  readonly uploadId: string | undefined;

  constructor(init: UploadErrorInit) {
    const part = init.partNumber === undefined ? '' : ` (part ${init.partNumber})`;
    const causeText = init.cause instanceof Error ? `: ${init.cause.message}` : '';
    const resume =
      init.checkpointId === undefined
        ? ''
        : ` Progress is saved in checkpoint ${init.checkpointId}; run the upload again to resume.`;
    super(
      init.message ??
        `Upload${describeTarget(init)} failed while ${init.phase}${part}${causeText}${resume}`,
      init,
    );
    this.phase = init.phase;
    this.partNumber = init.partNumber;
    this.checkpointId = init.checkpointId;
    this.uploadId = init.uploadId;
  }
}

// Query parameters that carry a signature, a credential scope or an STS token. Matched
// case-insensitively.
const SENSITIVE_QUERY = new Set([
  'signature',
  'ossaccesskeyid',
  'security-token',
  'x-oss-signature',
  'x-oss-credential',
  'x-oss-security-token',
  'x-oss-access-key-id',
]);

/**
 * Removes signature, access-key and security-token query parameters from a URL so it can be
 * logged or put in an error. Other parameters (`uploadId`, `partNumber`...) are kept.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  const kept = query.split('&').filter((pair) => {
    const name = pair.split('=', 1)[0] ?? '';
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      // keep the raw name
    }
    return pair !== '' && !SENSITIVE_QUERY.has(decoded.toLowerCase());
  });
  return kept.length === 0 ? url.slice(0, q) : `${url.slice(0, q)}?${kept.join('&')}`;
}

/** Replaces the STS token inside a V1 string to sign (header or presigned form). */
export function redactStringToSign(stringToSign: string): string {
  return stringToSign
    .replace(/(x-oss-security-token:)[^\n]*/gi, '$1<redacted>')
    .replace(/([?&]security-token=)[^&\n]*/gi, '$1<redacted>');
}

/** ` of "bucket/key"`, ` of bucket "bucket"`, or nothing: what a message says it was about. */
export function describeTarget(context: OssErrorContext): string {
  if (context.bucket === undefined) return '';
  return context.key === undefined || context.key === ''
    ? ` of bucket "${context.bucket}"`
    : ` of "${context.bucket}/${context.key}"`;
}

function composeServiceMessage(init: OssServiceErrorInit): string {
  const op = init.operation ?? `${init.method} request`;
  const target = describeTarget(init);
  const code = init.code === '' ? '' : ` ${init.code}`;
  const server = init.serviceMessage === '' ? '' : `: ${init.serviceMessage.replace(/\.?$/, '.')}`;
  const id = init.requestId === undefined ? '' : ` (request id ${init.requestId})`;
  const hint = init.hint ?? '';
  return `${op}${target} failed with HTTP ${init.status}${code}${server}${id}${hint === '' ? '' : ` ${hint}`}`;
}
