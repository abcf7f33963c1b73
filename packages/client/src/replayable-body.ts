/**
 * A request body that can be produced again for each attempt: retries resend it without
 * the caller keeping the bytes in memory. A `Blob` (or a browser `File`) is one. `upload()`
 * builds one over each part of a file when the client's transport
 * {@link Transport.streamsBodies | streams bodies}, reading the part in slices as the socket
 * takes them.
 */
export interface ReplayableBody {
  /** The exact number of bytes every stream yields; sent as `Content-Length`. */
  readonly size: number;
  /** A new stream of the same bytes, from the first; called once per attempt. */
  stream(): ReadableStream<Uint8Array>;
}

/** The key of {@link SelfWatchingBody}'s method: a symbol, so no caller's body has it by chance. */
export const streamWatched: unique symbol = Symbol('ossup.streamWatched');

/**
 * A {@link ReplayableBody} whose streams tell the caller themselves when producing their bytes
 * fails (the uploader's part streams). The request executor must tell such failures from
 * network errors; with this it need not wrap every stream in one of its own, a layer every
 * slice of every part would pass through. Internal: not exported from the package.
 */
export interface SelfWatchingBody extends ReplayableBody {
  /** Like `stream()`, and calls `onError` with the error that ends the stream, if one does. */
  [streamWatched](onError: (error: unknown) => void): ReadableStream<Uint8Array>;
}

/** Whether `body` is a {@link ReplayableBody} rather than bytes in memory. */
export function isReplayableBody(body: unknown): body is ReplayableBody {
  return (
    typeof body === 'object' &&
    body !== null &&
    !(body instanceof Uint8Array) &&
    typeof (body as ReplayableBody).stream === 'function' &&
    Number.isSafeInteger((body as ReplayableBody).size) &&
    (body as ReplayableBody).size >= 0
  );
}
