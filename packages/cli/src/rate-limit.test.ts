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
    const controller = new AbortController();
    const added = vi.spyOn(controller.signal, 'addEventListener');
    const removed = vi.spyOn(controller.signal, 'removeEventListener');
    const done = limited(
      { method: 'PUT', url: 'http://127.0.0.1/b/k', headers: {}, body: streamOf(sent) },
      { signal: controller.signal },
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
    // The caller's own memory goes out (views, no copies): a producer reusing it once the
    // transport reports it sent stays in step.
    expect(chunks).toEqual(sent);
    expect(chunks.every((c, i) => c.buffer === sent[i]!.buffer)).toBe(true);
    // Every wait removed its abort listener once over: none piles up on the request's signal.
    expect(added.mock.calls.length).toBeGreaterThan(0);
    expect(removed.mock.calls.length).toBe(added.mock.calls.length);
  });

  it('admits a large streamed chunk in 64 KiB pieces', async () => {
    vi.useFakeTimers({ now: 0 });
    const { transport, chunks } = streamingRecorder();
    const limited = rateLimitedTransport(transport, 64 * 1024);
    const big = new Uint8Array(200 * 1024);
    const done = limited(
      { method: 'PUT', url: 'http://127.0.0.1/b/k', headers: {}, body: streamOf([big]) },
      {},
    );
    await vi.advanceTimersByTimeAsync(1000);
    expect(chunks.map((c) => c.byteLength)).toEqual([64 * 1024]);
    await vi.advanceTimersByTimeAsync(3000);
    expect((await done).status).toBe(200);
    expect(chunks.map((c) => c.byteLength)).toEqual([65536, 65536, 65536, 8192]);
  });

  it('does not claim to stream when the inner transport does not', () => {
    const plain: Transport = async () => new Response(null, { status: 200 });
    expect(rateLimitedTransport(plain, 1000).streamsBodies).toBeUndefined();
  });
});
