import type { ErrorResponseContext } from './error-mapping.ts';
import { OssServiceError } from './errors.ts';

/**
 * The error for a successful response that lacks a header the client needs (ETag, the
 * upload id...). In a browser this nearly always means the bucket's CORS rule does not
 * expose the header, so the message says so.
 */
export function missingHeaderError(
  header: string,
  status: number,
  headers: Headers,
  context: ErrorResponseContext,
): OssServiceError {
  const requestId = headers.get('x-oss-request-id') ?? undefined;
  const target =
    context.bucket === undefined
      ? ''
      : ` of "${context.bucket}${context.key ? `/${context.key}` : ''}"`;
  return new OssServiceError({
    ...context,
    status,
    code: 'MissingResponseHeader',
    serviceMessage: `The response has no ${header} header.`,
    requestId,
    message:
      `${context.operation}${target} succeeded (HTTP ${status}) but the response has no readable ${header} header` +
      `${requestId === undefined ? '' : ` (request id ${requestId})`}. In a browser, add ${header} (and x-oss-request-id, ` +
      "x-oss-hash-crc64ecma) to ExposeHeader in the bucket's CORS rule; otherwise a proxy stripped it.",
  });
}
