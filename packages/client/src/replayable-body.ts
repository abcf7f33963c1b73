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
