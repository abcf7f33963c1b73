import { type ReplayableBody, type SelfWatchingBody, streamWatched } from './replayable-body.ts';

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

/**
 * One attempt's stream of `body`, telling `onError` when producing it fails: the transport
 * then fails too, and the executor must know the body was the cause, not the network.
 */
export function watchBody(
  body: ReplayableBody,
  onError: (error: unknown) => void,
): ReadableStream<Uint8Array> {
  const own = (body as Partial<SelfWatchingBody>)[streamWatched];
  if (typeof own === 'function') return own.call(body, onError);
  const reader = body.stream().getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (error) {
          onError(error);
          throw error;
        }
        if (result.done) controller.close();
        else controller.enqueue(result.value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Passes a response body through and calls `onSettled` once it is read to the end, fails or
 * is cancelled: the executor then takes its abort listener off the caller's signal, which a
 * download may share with many others (a listener per finished download would pile up).
 */
export function untilSettled(
  stream: ReadableStream<Uint8Array>,
  onSettled: () => void,
): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  let settled = false;
  const settle = () => {
    if (settled) return;
    settled = true;
    onSettled();
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            settle();
            controller.close();
          } else {
            controller.enqueue(value);
          }
        } catch (error) {
          settle();
          controller.error(error);
        }
      },
      async cancel(reason) {
        settle();
        await reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
