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

/**
 * Gathers one stream of `body` into one array, for a transport that cannot stream it.
 * Rejects when the stream yields a different number of bytes than `body.size` says.
 */
export async function gatherBody(body: ReplayableBody): Promise<Uint8Array> {
  const out = new Uint8Array(body.size);
  let filled = 0;
  const reader = body.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (filled + value.byteLength > out.byteLength) {
        throw new RangeError(`The body yielded more than the ${body.size} bytes its size says.`);
      }
      out.set(value, filled);
      filled += value.byteLength;
    }
  } catch (error) {
    await reader.cancel(error).catch(() => {});
    throw error;
  } finally {
    reader.releaseLock();
  }
  if (filled !== out.byteLength) {
    throw new RangeError(`The body yielded ${filled} bytes; its size says ${body.size}.`);
  }
  return out;
}
