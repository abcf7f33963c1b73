import { type OssErrorDocument, parseOssErrHeader, parseOssErrorBody } from '@ossup/xml-protocol';
import { OssServiceError, redactStringToSign } from './errors.ts';
import { parseRetryAfter } from './retry.ts';

/** Which request an error answer belongs to. */
export interface ErrorResponseContext {
  /** Operation name, e.g. `UploadPart`. */
  operation: string;
  /** Bucket addressed. */
  bucket?: string | undefined;
  /** Key addressed. */
  key?: string | undefined;
  /** HTTP method. */
  method: string;
  /** Request URL (redacted by the error). */
  url: string;
}

/** The parts of an HTTP response the mapping reads. */
export interface ErrorResponse {
  status: number;
  statusText?: string;
  headers: Headers;
  /** Body as text; `''` for HEAD or an empty body. */
  body: string;
}

/**
 * Turns an OSS error answer into an {@link OssServiceError}. Lenient by design: an OSS
 * `<Error>` document gives code, message, request id, EC and details; a HEAD error reads
 * the same document from the Base64 `x-oss-err` header; an HTML page from a proxy, an empty
 * body or anything else falls back to the status and headers, with a short note on what
 * the body was. Fields that echo a signature (`SignatureProvided`, `StringToSignBytes`) are
 * dropped; the string to sign is kept with any security token redacted.
 */
export function serviceErrorFromResponse(
  response: ErrorResponse,
  context: ErrorResponseContext,
  nowMs: number,
): OssServiceError {
  const doc =
    parseOssErrorBody(response.body) ?? parseOssErrHeader(response.headers.get('x-oss-err'));
  const requestId = response.headers.get('x-oss-request-id') ?? nonEmpty(doc?.requestId);
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), nowMs);
  return new OssServiceError({
    operation: context.operation,
    bucket: context.bucket,
    key: context.key,
    method: context.method,
    url: context.url,
    status: response.status,
    code: doc?.code ?? '',
    serviceMessage: doc?.message ?? describeForeignBody(response),
    requestId,
    hostId: nonEmpty(doc?.hostId),
    ec: nonEmpty(doc?.ec) ?? response.headers.get('x-oss-ec') ?? undefined,
    stringToSign: doc?.stringToSign,
    details: doc === undefined ? {} : detailsOf(doc),
    retryAfterMs,
    hint: hintFor({ code: doc?.code ?? '', status: response.status }),
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function detailsOf(doc: OssErrorDocument): Record<string, string> {
  const details: Record<string, string> = {};
  const put = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') details[name] = value;
  };
  put('BucketName', doc.bucketName);
  put('Key', doc.key);
  put('UploadId', doc.uploadId);
  put('ArgumentName', doc.argumentName);
  put('ArgumentValue', doc.argumentValue);
  put('OSSAccessKeyId', doc.ossAccessKeyId);
  put('RecommendDoc', doc.recommendDoc);
  for (const [name, value] of Object.entries(doc.extra)) {
    // Anything that could echo a signature or token stays out of errors and logs.
    if (/signature|token|secret|credential/i.test(name)) continue;
    put(name, redactTokens(value));
  }
  return details;
}

// Fix (apps/reliability test/secret-hygiene.test.ts): a V4 SignatureDoesNotMatch answer
// echoes the server's CanonicalRequest, whose canonical headers (and canonical query, for a
// presigned request) hold the STS security token; it reached `error.details` in clear.
function redactTokens(value: string): string {
  return redactStringToSign(value).replace(
    /((?:^|[?&\n])(?:x-oss-)?security-token=)[^&\n]*/gi,
    '$1<redacted>',
  );
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  411: 'Length Required',
  412: 'Precondition Failed',
  416: 'Range Not Satisfiable',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function describeForeignBody(response: ErrorResponse): string {
  const status = response.statusText || STATUS_TEXT[response.status] || '';
  const body = response.body.trim();
  if (body === '') {
    return `${status}${status === '' ? 'no' : ', no'} error details (the response had no body)`;
  }
  if (/^\s*(?:<!doctype html|<html)/i.test(body)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
    return `${status}${status === '' ? '' : ', '}the body is an HTML page${title ? ` titled "${title.slice(0, 100)}"` : ''}, so a proxy or gateway answered, not OSS; check the endpoint and any proxy in between`;
  }
  const excerpt = body.replace(/\s+/g, ' ').slice(0, 160);
  return `${status}${status === '' ? '' : ', '}unrecognised body: ${JSON.stringify(excerpt)}${body.length > 160 ? '…' : ''}`;
}

/** The error for a 2xx response whose XML body the client cannot read. */
export function malformedResponseError(
  status: number,
  headers: Headers,
  context: ErrorResponseContext,
  cause: unknown,
): OssServiceError {
  const requestId = headers.get('x-oss-request-id') ?? undefined;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new OssServiceError(
    {
      ...context,
      status,
      code: 'MalformedResponse',
      serviceMessage: detail,
      requestId,
      message:
        `${context.operation} got HTTP ${status} but its body is not the expected OSS XML (${detail})` +
        `${requestId === undefined ? '' : ` (request id ${requestId})`}. Check that the endpoint is OSS and not a proxy or web page.`,
    },
    { cause },
  );
}

// What to do for the common causes. Kept short: one actionable sentence.
function hintFor(init: { code: string; status: number }): string {
  switch (init.code) {
    case 'SignatureDoesNotMatch':
      return 'Check the AccessKey secret (and that the region and signature version match the endpoint); a wrong system clock can also cause this.';
    case 'RequestTimeTooSkewed':
      return "The computer's clock differs from OSS's by more than 15 minutes: fix the system clock (enable NTP).";
    case 'InvalidAccessKeyId':
      return 'The AccessKey ID is unknown or the temporary (STS) credentials expired: check the AccessKey ID or refresh the credentials.';
    case 'SecurityTokenExpired':
    case 'InvalidSecurityToken':
    case 'ExpiredToken':
    case 'InvalidToken':
    case 'TokenExpired':
      return 'The STS security token expired or is invalid: use a credentialsProvider that returns fresh temporary credentials.';
    case 'AccessDenied':
      return 'The credentials are valid but not allowed to do this: check the RAM policy / bucket policy (and the STS policy for temporary credentials).';
    case 'NoSuchBucket':
      return 'Create the bucket, or check its name and that the endpoint/region is the one the bucket lives in.';
    case 'NoSuchUpload':
      return 'The multipart upload was completed, aborted or expired (or the upload id is wrong): start a new upload.';
    case 'NoSuchKey':
      return 'The object does not exist: check the key (it is case-sensitive).';
    case 'InvalidPart':
      return 'A listed part was not uploaded or its ETag differs: list the parts and complete with those.';
    case 'InvalidPartOrder':
      return 'List the parts in ascending part-number order.';
    case 'EntityTooSmall':
      return 'Every part except the last must be at least 100 KiB: use a bigger part size.';
    case 'InvalidDigest':
      return 'The Content-MD5 did not match the body that arrived: the data was corrupted in transit; send it again.';
    case 'FileAlreadyExists':
      return 'The object exists and overwriting was forbidden (forbidOverwrite): pick another key or allow overwriting.';
    case 'SecondLevelDomainForbidden':
      return 'OSS refuses path-style requests on its public domains: do not set pathStyle for this endpoint.';
    default:
      if (init.status === 501)
        return 'The server does not implement this request; retrying cannot help.';
      if (init.status >= 500)
        return 'OSS had a transient problem; the request is retried automatically, try again later if it persists.';
      if (init.status === 429)
        return 'Too many requests: lower the parallelism or try again later.';
      return '';
  }
}
