import { describe, expect, it } from 'vitest';
import { type BodyDigestRequest, inlineHasher } from '../body-hasher.ts';
import { PartBuffers } from './part-buffers.ts';

describe('PartBuffers', () => {
  it('reuses a returned buffer instead of allocating another', () => {
    const buffers = new PartBuffers(16, inlineHasher(), { crc64: true });
    const a = buffers.take();
    const b = buffers.take();
    expect(a).not.toBe(b);
    expect(a.length).toBe(16);
    buffers.give(a);
    expect(buffers.take()).toBe(a);
  });

  it("allocates through the hasher's allocate when it has one, saying what will be asked", () => {
    const made: [number, BodyDigestRequest | undefined][] = [];
    const hasher = {
      ...inlineHasher(),
      allocate: (size: number, uses?: BodyDigestRequest) => {
        made.push([size, uses]);
        return new Uint8Array(new SharedArrayBuffer(size));
      },
    };
    const buffers = new PartBuffers(32, hasher, { md5: true, crc64: false });
    const a = buffers.take();
    expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    buffers.give(a);
    buffers.take();
    expect(made).toEqual([[32, { md5: true, crc64: false }]]);
  });
});
