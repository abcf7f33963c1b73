import { describe, expect, it } from 'vitest';
import { inlineHasher } from '../body-hasher.ts';
import { PartBuffers } from './part-buffers.ts';

describe('PartBuffers', () => {
  it('reuses a returned buffer instead of allocating another', () => {
    const buffers = new PartBuffers(16, inlineHasher());
    const a = buffers.take();
    const b = buffers.take();
    expect(a).not.toBe(b);
    expect(a.length).toBe(16);
    buffers.give(a);
    expect(buffers.take()).toBe(a);
  });

  it("allocates through the hasher's allocate when it has one", () => {
    const made: number[] = [];
    const hasher = {
      ...inlineHasher(),
      allocate: (size: number) => {
        made.push(size);
        return new Uint8Array(new SharedArrayBuffer(size));
      },
    };
    const buffers = new PartBuffers(32, hasher);
    const a = buffers.take();
    expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    buffers.give(a);
    buffers.take();
    expect(made).toEqual([32]);
  });
});
