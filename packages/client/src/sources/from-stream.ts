import type { ByteSource, ByteSourceReadOptions } from '../byte-source.ts';
import { checkRange, throwIfAborted } from './source-util.ts';

/** Options for {@link fromStream}. */
export interface FromStreamOptions {
  /**
   * Exact number of bytes the stream will produce, if known (e.g. from a `Content-Length`).
   * With it the upload is planned up front like a file, progress has a total, and a stream
   * that ends early or runs long fails the upload. Default: unknown — parts are cut as the
   * bytes arrive and the size is learnt at the end.
   */
  size?: number;
}

/**
 * Uploads a web `ReadableStream` of bytes (a `fetch` response body, `Blob.stream()`, Node's
 * `Readable.toWeb(...)`, a compression stream...). Memory stays bounded: each upload worker
 * holds at most one part, and nothing is read before a worker needs it.
 *
 * A stream can be read only once, from the start, in order, so:
 * - the uploader reads it sequentially, one part at a time, and keeps each part's bytes until
 *   the server has acknowledged the part, which is what makes retries of a part possible;
 * - there is no fingerprint and so no resume across processes (a new process cannot rewind
 *   the stream); a failed or cancelled stream upload starts over;
 * - with an unknown length the part size is fixed before the first byte (8 MiB by default,
 *   i.e. at most 78.125 GiB in 10,000 parts); pass `partSize` to `upload()` for more. The
 *   upload fails with a clear error before it would need part 10,001.
 *
 * Contract of the returned source's `read(start, end)`: calls must ask for consecutive ranges
 * in order (`start` = end of the previous call; concurrent calls are queued in call order).
 * When the length is unknown, a read that meets the end of the stream returns fewer bytes than
 * asked (possibly none), and every later read returns none.
 *
 * @example
 * const res = await fetch(url);
 * await upload(client, { source: fromStream(res.body!), bucket, key });
 */
export function fromStream(
  stream: ReadableStream<Uint8Array>,
  options: FromStreamOptions = {},
): ByteSource {
  if (typeof stream !== 'object' || stream === null || typeof stream.getReader !== 'function') {
    throw new TypeError(
      `fromStream() needs a web ReadableStream, got ${stream === null ? 'null' : typeof stream}. In Node, convert a stream.Readable with Readable.toWeb().`,
    );
  }
  const size = options.size;
  if (size !== undefined && (!Number.isSafeInteger(size) || size < 0)) {
    throw new RangeError(`fromStream() size must be a whole number of bytes >= 0, got ${size}.`);
  }
  const reader = stream.getReader();
  /** Offset of the next byte the stream will hand out (after `pending`). */
  let position = 0;
  /** Bytes already taken from the stream but not yet returned by a read. */
  let pending: Uint8Array | undefined;
  let ended = false;
  let failure: unknown;
  /** Reads run one after the other, in call order. */
  let queue: Promise<unknown> = Promise.resolve();

  async function pull(): Promise<Uint8Array | undefined> {
    if (pending !== undefined && pending.length > 0) {
      const chunk = pending;
      pending = undefined;
      return chunk;
    }
    if (ended) return undefined;
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      return undefined;
    }
    if (!(value instanceof Uint8Array)) {
      throw new TypeError(
        `fromStream(): the stream produced a ${typeof value} chunk; it must produce Uint8Array chunks (pipe text through TextEncoderStream first).`,
      );
    }
    return value;
  }

  async function readRange(start: number, end: number): Promise<Uint8Array> {
    if (failure !== undefined) throw failure;
    if (ended && (pending === undefined || pending.length === 0)) {
      if (size === undefined && start >= position) return new Uint8Array(0);
    }
    if (start !== position) {
      throw new Error(
        `fromStream(): asked for bytes from offset ${start}, but the stream is at offset ${position}; a stream can only be read once, in order. Retry with a new stream.`,
      );
    }
    const wanted = end - start;
    let out: Uint8Array | undefined;
    let filled = 0;
    while (filled < wanted) {
      const chunk = await pull();
      if (chunk === undefined) break;
      const take = Math.min(chunk.length, wanted - filled);
      if (take < chunk.length) pending = chunk.subarray(take);
      if (filled === 0 && take === wanted) {
        // The chunk (or its head) is exactly the range: hand it out without a copy.
        out = chunk.subarray(0, take);
        filled = take;
        break;
      }
      out ??= new Uint8Array(wanted);
      out.set(take === chunk.length ? chunk : chunk.subarray(0, take), filled);
      filled += take;
    }
    position += filled;
    if (size !== undefined) {
      if (filled < wanted) {
        throw new Error(
          `fromStream(): the stream ended after ${position} bytes, but its size was given as ${size}. Pass the right size, or none if it is not known.`,
        );
      }
      if (position === size && pending !== undefined && pending.length > 0) {
        throw new Error(
          `fromStream(): the stream produced more than the ${size} bytes given as its size. Pass the right size, or none if it is not known.`,
        );
      }
    }
    if (out === undefined) return new Uint8Array(0);
    return filled === wanted ? out : out.subarray(0, filled);
  }

  function fail(reason: unknown): void {
    if (failure !== undefined) return;
    failure = reason;
    pending = undefined;
    // The stream cannot be rewound, so a read given up half-way leaves it useless: release it.
    reader.cancel(reason).catch(() => {});
  }

  return {
    size,
    fingerprint: undefined,
    read(start: number, end: number, readOptions?: ByteSourceReadOptions): Promise<Uint8Array> {
      const signal = readOptions?.signal;
      try {
        throwIfAborted(signal);
        checkRange(start, end, size);
      } catch (error) {
        return Promise.reject(error);
      }
      const result = queue.then(() => readRange(start, end));
      queue = result.catch(() => {});
      if (signal === undefined) {
        return result.catch((error: unknown) => {
          fail(error);
          throw error;
        });
      }
      return new Promise<Uint8Array>((resolve, reject) => {
        const onAbort = () => {
          fail(signal.reason);
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        result.then(
          (bytes) => {
            signal.removeEventListener('abort', onAbort);
            resolve(bytes);
          },
          (error: unknown) => {
            signal.removeEventListener('abort', onAbort);
            fail(error);
            reject(error);
          },
        );
      });
    },
    async close() {
      if (!ended) fail(new Error('fromStream(): the source was closed.'));
    },
  };
}
