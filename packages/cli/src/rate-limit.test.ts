import type { Transport, TransportRequest } from '@ossup/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rateLimitedTransport } from './rate-limit.ts';

afterEach(() => {
  vi.useRealTimers();
});

/** A streaming transport that reads the body and records each chunk as it arrives. */
function streamingRecorder() {
  const chunks: Uint8Array[] = [];
  const transport: Transport = Object.assign(
    async (request: TransportRequest) => {
      const reader = (request.body as ReadableStream<Uint8Array>).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
      }
      return new Response(null, { status: 200 });
    },
    { streamsBodies: true },
  );
  return { transport, chunks };
}

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

describe('rateLimitedTransport', () => {
  it('streams when the inner transport does, and paces a streamed body chunk by chunk', async () => {
    vi.useFakeTimers({ now: 0 });
    const { transport, chunks } = streamingRecorder();
    const limited = rateLimitedTransport(transport, 1000);
    expect(limited.streamsBodies).toBe(true);
    const sent = [new Uint8Array(1000), new Uint8Array(1000), new Uint8Array(500)];
    const done = limited(
      { method: 'PUT', url: 'http://127.0.0.1/b/k', headers: {}, body: streamOf(sent) },
      {},
    );
    // 1000 bytes per second, starting empty: one chunk per second of the fake clock.
    await vi.advanceTimersByTimeAsync(999);
    expect(chunks).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(chunks).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(chunks).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(500);
    expect((await done).status).toBe(200);
    // The very chunks the caller produced: a producer reusing memory still sees them sent.
    expect(chunks).toEqual(sent);
    expect(chunks.every((c, i) => c === sent[i])).toBe(true);
  });

  it('does not claim to stream when the inner transport does not', () => {
    const plain: Transport = async () => new Response(null, { status: 200 });
    expect(rateLimitedTransport(plain, 1000).streamsBodies).toBeUndefined();
  });
});
