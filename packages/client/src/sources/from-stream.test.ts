import { describe, expect, it } from 'vitest';
import { fromStream } from './from-stream.ts';

function streamOf(chunks: number[][]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(new Uint8Array(chunks[i++]!));
      else controller.close();
    },
  });
}

const bytes = (u: Uint8Array) => Array.from(u);

describe('fromStream', () => {
  it('cuts ranges across chunk boundaries, in order', async () => {
    const source = fromStream(streamOf([[1, 2, 3], [4], [5, 6, 7, 8, 9]]));
    expect(source.size).toBeUndefined();
    expect(source.fingerprint).toBeUndefined();
    expect(bytes(await source.read(0, 2))).toEqual([1, 2]);
    expect(bytes(await source.read(2, 6))).toEqual([3, 4, 5, 6]);
    expect(bytes(await source.read(6, 10))).toEqual([7, 8, 9]);
    expect(bytes(await source.read(10, 14))).toEqual([]);
    expect(bytes(await source.read(14, 18))).toEqual([]);
  });

  it('queues concurrent reads in call order', async () => {
    const source = fromStream(streamOf([[1], [2], [3], [4], [5], [6]]));
    const [a, b, c] = await Promise.all([source.read(0, 2), source.read(2, 4), source.read(4, 6)]);
    expect(bytes(a)).toEqual([1, 2]);
    expect(bytes(b)).toEqual([3, 4]);
    expect(bytes(c)).toEqual([5, 6]);
  });

  it('refuses to go back', async () => {
    const source = fromStream(streamOf([[1, 2, 3, 4]]));
    await source.read(0, 2);
    await expect(source.read(0, 2)).rejects.toThrow(/only be read once/);
  });

  it('with a size, fails on a stream that ends early', async () => {
    const source = fromStream(streamOf([[1, 2, 3]]), { size: 5 });
    expect(source.size).toBe(5);
    await expect(source.read(0, 5)).rejects.toThrow(/ended after 3 bytes/);
  });

  it('with a size, fails on a stream that runs long', async () => {
    const source = fromStream(streamOf([[1, 2, 3, 4, 5, 6]]), { size: 4 });
    await expect(source.read(0, 4)).rejects.toThrow(/more than the 4 bytes/);
  });

  it('rejects with the signal reason and cancels the stream', async () => {
    let cancelled: unknown;
    const stream = new ReadableStream<Uint8Array>({
      pull() {
        return new Promise(() => {});
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const source = fromStream(stream);
    const controller = new AbortController();
    const pending = source.read(0, 10, { signal: controller.signal });
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(pending).rejects.toThrow('stop');
    expect(cancelled).toBe(reason);
    await expect(source.read(0, 10)).rejects.toThrow('stop');
  });

  it('rejects non-byte chunks with a hint', async () => {
    const stream = new ReadableStream<unknown>({
      start(controller) {
        controller.enqueue('text');
        controller.close();
      },
    }) as ReadableStream<Uint8Array>;
    await expect(fromStream(stream).read(0, 4)).rejects.toThrow(/TextEncoderStream/);
  });
});
