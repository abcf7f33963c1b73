import type { Transport } from '@ossup/client';

/**
 * Wraps a transport so request bodies leave at no more than `bytesPerSecond` on average,
 * shared by every request of the client (a token bucket holding at most one second's worth). Bodies
 * are admitted whole, so with parts of 8 MiB the rate is smooth over seconds, not
 * milliseconds. Abort while waiting rejects at once.
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
          const t = setTimeout(resolve, waitMs);
          signal?.addEventListener(
            'abort',
            () => {
              clearTimeout(t);
              reject(signal.reason);
            },
            { once: true },
          );
        });
      }
    });
    // One waiter at a time keeps the order fair; a rejected wait must not block the others.
    queue = turn.catch(() => {});
    return turn;
  };
  return async (request, options) => {
    const body = request.body;
    if (body instanceof Uint8Array && body.length > 0) await take(body.length, options.signal);
    return inner(request, options);
  };
}
