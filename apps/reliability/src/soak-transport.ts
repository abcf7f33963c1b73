import type { Transport } from '@ossup/client';
import { hashSeed } from './seeded.ts';

/** What {@link soakTransport} counted. */
export interface TransportCounters {
  /** Request body bytes sent (as the transport reported progress) by part and object attempts. */
  bodyBytesSent: number;
  /** Requests sent, by HTTP method. */
  requests: number;
  /** Bodies sent with one byte flipped. */
  bitFlips: number;
}

/**
 * Wraps a transport to count the body bytes of every part and object attempt (to measure
 * bytes re-sent) and to flip one byte of a body at `flipRate`, as a faulty NIC or proxy
 * would, so that the uploader's CRC-64 check has something to catch. Whether an attempt is
 * corrupted depends only on seed, key, part number and attempt index, not on timing.
 */
export function soakTransport(
  inner: Transport,
  options: { seed: number; flipRate: number },
): { transport: Transport; counters: TransportCounters } {
  const counters: TransportCounters = { bodyBytesSent: 0, requests: 0, bitFlips: 0 };
  const attempts = new Map<string, number>();
  const transport: Transport = (request, transportOptions) => {
    counters.requests++;
    const body = request.body;
    const streamed = body instanceof ReadableStream;
    const size = streamed
      ? Number(request.headers['content-length'] ?? 0)
      : body instanceof Uint8Array
        ? body.length
        : 0;
    if (request.method === 'PUT' && body !== undefined && size > 0) {
      const url = new URL(request.url);
      const part = url.searchParams.get('partNumber') ?? '0';
      const id = `${url.pathname}#${part}`;
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      let sent = 0;
      const counted = {
        ...transportOptions,
        onUploadProgress: (bytes: number) => {
          sent = Math.max(sent, bytes);
          transportOptions.onUploadProgress?.(bytes);
        },
      };
      let outgoing = request;
      if (hashSeed(options.seed, id, attempt) / 2 ** 32 < options.flipRate) {
        counters.bitFlips++;
        const at = hashSeed(options.seed, id, attempt, 'at') % size;
        if (body instanceof ReadableStream) {
          outgoing = { ...request, body: body.pipeThrough(flipAt(at)) };
        } else {
          const copy = new Uint8Array(body);
          copy[at] = (copy[at] ?? 0) ^ 0x10;
          outgoing = { ...request, body: copy };
        }
      }
      // Bytes that really left (progress), not bytes handed over: a reset after K bytes
      // costs K, a refused connection costs nothing.
      return inner(outgoing, counted).finally(() => {
        counters.bodyBytesSent += sent;
      });
    }
    return inner(request, transportOptions);
  };
  // Streams whenever the inner transport does, so upload() streams parts through the soak.
  if (inner.streamsBodies === true) Object.assign(transport, { streamsBodies: true });
  return { transport, counters };
}

/** Flips one bit of the byte at offset `at` of a streamed body, in a copy of its chunk. */
function flipAt(at: number): TransformStream<Uint8Array, Uint8Array> {
  let offset = 0;
  return new TransformStream({
    transform(chunk, controller) {
      const end = offset + chunk.byteLength;
      if (at >= offset && at < end) {
        // A copy: the uploader's slice keeps the true bytes for its CRC and for a resend.
        const copy = new Uint8Array(chunk);
        copy[at - offset] = (copy[at - offset] ?? 0) ^ 0x10;
        controller.enqueue(copy);
      } else {
        controller.enqueue(chunk);
      }
      offset = end;
    },
  });
}
