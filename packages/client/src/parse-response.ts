import { malformedResponseError } from './error-mapping.ts';
import type { OperationResponse } from './request-executor.ts';

/**
 * Parses the body of a successful response; a body that does not parse becomes an
 * OssServiceError `MalformedResponse` naming the request (see {@link malformedResponseError}).
 */
export function parseResponse<T>(
  operation: string,
  response: OperationResponse,
  input: { bucket: string; key: string },
  method: string,
  parse: () => T,
): T {
  try {
    return parse();
  } catch (cause) {
    throw malformedResponseError(
      response.status,
      response.headers,
      { operation, method, url: response.url, ...input },
      cause,
    );
  }
}
