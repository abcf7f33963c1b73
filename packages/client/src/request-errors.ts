// Errors of the request executor that only some requests meet: loaded on first use (see
// on-demand.ts), so that their messages do not weigh on the up-front browser bundle.
import { describeTarget, OssArgumentError, OssTimeoutError } from './errors.ts';

/** What the messages name: the operation and its object. */
interface RequestLike {
  operation: string;
  bucket?: string | undefined;
  key?: string | undefined;
}

/** Signing (a credentials provider, a remote signer) did not finish within the timeout. */
export function signingTimeoutError(request: RequestLike, timeoutMs: number): OssTimeoutError {
  return new OssTimeoutError(
    `${request.operation}${describeTarget(request)}: signing took longer than ${timeoutMs} ms (the credentials provider or the remote signer did not answer). The request is retried.`,
    timeoutMs,
    { operation: request.operation, bucket: request.bucket, key: request.key },
  );
}

/**
 * A header value HTTP cannot carry. The value is not quoted: it may be a security token.
 */
export function badHeaderValueError(request: RequestLike, name: string): OssArgumentError {
  const meta = name.startsWith('x-oss-meta-');
  return new OssArgumentError(
    meta ? 'meta' : 'headers',
    `${request.operation}${describeTarget(request)}: header ${name} holds a character HTTP headers cannot carry (control characters, or beyond U+00FF). ${meta ? 'Encode metadata values that hold other text first (e.g. with encodeURIComponent).' : 'Check where its value comes from.'}`,
    { operation: request.operation, bucket: request.bucket, key: request.key },
  );
}
