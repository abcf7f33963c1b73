import type { Transport } from '@ossup/client';

/** Largest piece of a streamed body admitted at once. */
const PIECE = 64 * 1024;

/**
 * Wraps a transport so request bodies leave at no more than `bytesPerSecond` on average,
 * shared by every request of the client (a token bucket holding at most one second's worth).
 * Bodies in memory are admitted whole, so with parts of 8 MiB the rate is smooth over seconds;
 * streamed bodies (what `upload()` sends from a file through a transport that streams) are
 * admitted in pieces of at most 64 KiB, and the wrapper streams whenever `inner` does. Abort while
 * waiting rejects at once.
 */
export function rateLimitedTransport(inner: Transport, bytesPerSecond: number): Transport {
  // Start empty: the cap holds from the first byte instead of after a one-second burst.
  let available = 0;
  let last = Date.now();
  let queue: Promise<void> = Promise.resolve();
  const refill = () => {
    const now = Date.now();
    available = Math.min(bytesPerSecond, available + ((now - last) / 1000) * bytesPerSecond);
    last = now;
  };
  const take = (n: number, signal: AbortSignal | undefined) => {
    const turn = queue.then(async () => {
      refill();
      available -= n;
      if (available < 0) {
        const waitMs = (-available / bytesPerSecond) * 1000;
        await new Promise<void>((resolve, reject) => {
          const onAbort = () => {
            clearTimeout(t);
            reject(signal?.reason);
          };
          // Removed once the wait is over: a streamed body waits once per piece on one signal.
          const t = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          }, waitMs);
          signal?.addEventListener('abort', onAbort, { once: true });
        });
      }
    });
    // One waiter at a time keeps the order fair; a rejected wait must not block the others.
    queue = turn.catch(() => {});
    return turn;
  };
  const limited: Transport = async (request, options) => {
    const body = request.body;
    if (body instanceof Uint8Array && body.length > 0) {
      await take(body.length, options.signal);
      return inner(request, options);
    }
    if (body instanceof ReadableStream) {
      // A streamed body (a part read from the file in slices) is admitted chunk by chunk, as
      // it is read: the same chunks go through, so the transport's progress still frees them.
      const paced = body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          async transform(chunk, controller) {
            // In pieces, so a slow rate still shows progress (which keeps the stall timeout at
            // bay) between waits. The pieces are views: the same memory goes out.
            for (let off = 0; off < chunk.byteLength; off += PIECE) {
              const piece = chunk.subarray(off, Math.min(off + PIECE, chunk.byteLength));
              await take(piece.byteLength, options.signal);
              controller.enqueue(piece);
            }
          },
        }),
      );
      return inner({ ...request, body: paced }, options);
    }
    return inner(request, options);
  };
  return inner.streamsBodies === true ? Object.assign(limited, { streamsBodies: true }) : limited;
}
