import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceCrc64 } from '../test/reference-crc64.ts';
import { split } from '../test/split-bytes.ts';
import vectors from '../test/vectors/checksums.json' with { type: 'json' };
import { crc64, createCrc64 } from './crc64.ts';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('crc64', () => {
  for (const { input, crc64: expected } of vectors.check) {
    it(`matches the shared vector for ${JSON.stringify(input)}`, () => {
      expect(crc64(ascii(input))).toBe(BigInt(expected));
    });
  }

  it('matches the protocol table vectors (§6.4)', () => {
    expect(crc64(ascii('12345'))).toBe(6748440630437108969n);
    expect(crc64(ascii('67890'))).toBe(6285347597771850461n);
    expect(crc64(ascii('1234567890'))).toBe(12811388247244714686n);
    expect(crc64(new Uint8Array(102400))).toBe(15337097285471591505n);
  });

  it('matches the BigInt reference on random data of every length up to a few blocks', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300, size: 'max' }), (bytes) => {
        expect(crc64(bytes)).toBe(referenceCrc64(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('is independent of the byte offset of the view (unaligned subarrays)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200, size: 'max' }),
        fc.integer({ min: 0, max: 15 }),
        (bytes, offset) => {
          const backing = new Uint8Array(bytes.length + 32);
          backing.set(bytes, offset);
          expect(crc64(backing.subarray(offset, offset + bytes.length))).toBe(
            referenceCrc64(bytes),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('matches the reference on a 64 KiB + 13 byte buffer', () => {
    const bytes = new Uint8Array(65536 + 13);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    expect(crc64(bytes)).toBe(referenceCrc64(bytes));
  });

  it('continues from a seed: crc64(b, crc64(a)) = crc64(a ‖ b)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 100, size: 'max' }),
        fc.uint8Array({ maxLength: 100, size: 'max' }),
        (a, b) => {
          const whole = new Uint8Array(a.length + b.length);
          whole.set(a);
          whole.set(b, a.length);
          expect(crc64(b, crc64(a))).toBe(crc64(whole));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives 0 for no bytes and returns the seed unchanged for no bytes', () => {
    expect(crc64(new Uint8Array(0))).toBe(0n);
    expect(crc64(new Uint8Array(0), 12345678901234567890n)).toBe(12345678901234567890n);
  });

  it('rejects non-bytes and bad seeds', () => {
    expect(() => crc64('123456789' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => crc64(null as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => crc64(ascii('x'), 1 as unknown as bigint)).toThrow(TypeError);
    expect(() => crc64(ascii('x'), -1n)).toThrow(RangeError);
    expect(() => crc64(ascii('x'), 1n << 64n)).toThrow(RangeError);
  });
});

describe('createCrc64', () => {
  it('equals the one-shot CRC for any chunking, including empty chunks', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600, size: 'max' }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (bytes, cuts) => {
          const hasher = createCrc64();
          for (const piece of split(bytes, cuts)) hasher.update(piece);
          expect(hasher.digest()).toBe(crc64(bytes));
          expect(hasher.length).toBe(bytes.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('matches every shared vector when fed one byte at a time', () => {
    for (const { input, crc64: expected } of vectors.check) {
      const hasher = createCrc64();
      for (const byte of ascii(input)) hasher.update(Uint8Array.of(byte));
      expect(hasher.digest()).toBe(BigInt(expected));
    }
  });

  it('does not finalise on digest, so it can keep going', () => {
    const hasher = createCrc64().update(ascii('123'));
    expect(hasher.digest()).toBe(crc64(ascii('123')));
    hasher.update(ascii('456789'));
    expect(hasher.digest()).toBe(11051210869376104954n);
    expect(hasher.length).toBe(9);
  });

  it('starts from a seed and resets back to it', () => {
    const seed = crc64(ascii('upload part 1'));
    const hasher = createCrc64(seed).update(ascii('upload part 2'));
    expect(hasher.digest()).toBe(crc64(ascii('upload part 1upload part 2')));
    expect(hasher.length).toBe(13);
    hasher.reset();
    expect(hasher.digest()).toBe(seed);
    expect(hasher.length).toBe(0);
  });

  it('rejects bad seeds and non-bytes', () => {
    expect(() => createCrc64(-5n)).toThrow(RangeError);
    expect(() => createCrc64(0 as unknown as bigint)).toThrow(TypeError);
    expect(() => createCrc64().update([1, 2] as unknown as Uint8Array)).toThrow(TypeError);
  });
});
