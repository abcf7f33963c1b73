import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { choosePartSize, DEFAULT_PART_SIZE } from './choose-part-size.ts';
import { ObjectTooLargeError } from './errors.ts';
import { OSS_LIMITS } from './limits.ts';
import { GiB, KiB, MiB } from './units.ts';

const MAX_OBJECT = 10_000 * 5 * GiB;
const SMALL = { minPartSize: 5, maxPartSize: 1024, maxParts: 10, maxObjectSize: 10_240 };

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('choosePartSize: defaults and preferred sizes', () => {
  it('uses 8 MiB by default', () => {
    expect(DEFAULT_PART_SIZE).toBe(8_388_608);
    expect(choosePartSize({ size: 1 * GiB })).toBe(8 * MiB);
    expect(choosePartSize({ size: 0 })).toBe(8 * MiB);
    expect(choosePartSize({ size: 1 })).toBe(8 * MiB);
  });

  it('keeps a valid preferred size while the parts fit', () => {
    expect(choosePartSize({ size: 10 * MiB, partSize: 5 * MiB })).toBe(5 * MiB);
    expect(choosePartSize({ size: 10_000 * 100 * KiB, partSize: 100 * KiB })).toBe(100 * KiB);
    expect(choosePartSize({ size: 1, partSize: 5 * GiB })).toBe(5 * GiB);
    expect(choosePartSize({ size: 123, partSize: 102_401 })).toBe(102_401);
  });

  it('clamps the default into custom limits instead of failing', () => {
    expect(choosePartSize({ size: 100, limits: SMALL })).toBe(1024);
    expect(choosePartSize({ size: 100, limits: { minPartSize: 16 * MiB } })).toBe(16 * MiB);
  });
});

describe('choosePartSize: growth', () => {
  it('does not grow at exactly maxParts × partSize', () => {
    expect(choosePartSize({ size: 10_000 * 8 * MiB })).toBe(8 * MiB);
  });

  it('grows to the next whole MiB one byte later', () => {
    // ⌈(83,886,080,000 + 1) / 10,000⌉ = 8,388,609 bytes → 9 MiB
    expect(choosePartSize({ size: 10_000 * 8 * MiB + 1 })).toBe(9 * MiB);
    // 100 GiB needs 10,737,419-byte parts (10.24 MiB) → 11 MiB
    expect(choosePartSize({ size: 100 * GiB })).toBe(11 * MiB);
  });

  it('grows an explicit partSize too (grow, never fail, while the object fits)', () => {
    expect(choosePartSize({ size: 10_000 * 5 * MiB + 1, partSize: 5 * MiB })).toBe(6 * MiB);
  });

  it('grows below 1 MiB to the next power of two', () => {
    expect(choosePartSize({ size: 10_000 * 100 * KiB + 1, partSize: 100 * KiB })).toBe(128 * KiB);
    // small limits: 51 bytes at 5-byte parts needs 11 parts > 10; ⌈51/10⌉ = 6 → 8
    expect(choosePartSize({ size: 51, partSize: 5, limits: SMALL })).toBe(8);
  });

  it('caps growth at maxPartSize when the nice size would exceed it', () => {
    const limits = { minPartSize: 5, maxPartSize: 1000, maxParts: 10 };
    // ⌈9,001 / 10⌉ = 901 → next power of two 1024 > 1000 → 1000 (still fits: 10 parts)
    expect(choosePartSize({ size: 9001, partSize: 5, limits })).toBe(1000);
  });

  it('plans the maximum object size with 5 GiB parts', () => {
    expect(choosePartSize({ size: MAX_OBJECT })).toBe(5 * GiB);
    expect(choosePartSize({ size: MAX_OBJECT - 1 })).toBe(5 * GiB);
  });

  it('grows minimally: under 1 MiB above the smallest fitting size (OSS limits)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10_000 * 8 * MiB + 1, max: MAX_OBJECT }), (size) => {
        const partSize = choosePartSize({ size });
        const smallest = Math.ceil(size / 10_000);
        expect(partSize).toBeGreaterThanOrEqual(smallest);
        expect(partSize - smallest).toBeLessThan(MiB);
        expect(partSize % MiB).toBe(0);
        expect(Math.ceil(size / partSize)).toBeLessThanOrEqual(10_000);
      }),
      { numRuns: 300 },
    );
  });
});

describe('choosePartSize: errors', () => {
  it('throws ObjectTooLargeError one byte past the maximum, with size, limit and advice', () => {
    const error = thrown(() => choosePartSize({ size: MAX_OBJECT + 1 }));
    expect(error).toBeInstanceOf(ObjectTooLargeError);
    expect(error).toBeInstanceOf(RangeError);
    const e = error as ObjectTooLargeError;
    expect(e.name).toBe('ObjectTooLargeError');
    expect(e.size).toBe(MAX_OBJECT + 1);
    expect(e.maxSize).toBe(MAX_OBJECT);
    expect(e.maxParts).toBe(10_000);
    expect(e.partSize).toBe(5 * GiB);
    expect(e.message).toContain(String(MAX_OBJECT + 1));
    expect(e.message).toContain(String(MAX_OBJECT));
    expect(e.message).toContain('10000 parts');
    expect(e.message).toMatch(/Split the data/);
  });

  it('honours a lower maxObjectSize and says so', () => {
    const capped = { ...SMALL, maxObjectSize: 5000 };
    expect(() => choosePartSize({ size: 5001, limits: capped })).toThrow(ObjectTooLargeError);
    expect(() => choosePartSize({ size: 5001, limits: capped })).toThrow(/capped by maxObjectSize/);
    expect(choosePartSize({ size: 5000, limits: capped })).toBe(1024);
    // without the cap, parts × part size is the limit
    expect(choosePartSize({ size: 10_240, limits: SMALL })).toBe(1024);
    expect(() => choosePartSize({ size: 10_241, limits: SMALL })).toThrow(/10 parts of at most/);
  });

  it('rejects a size that is not a number with TypeError and a hint', () => {
    expect(() => choosePartSize({ size: '100' as never })).toThrow(TypeError);
    expect(() => choosePartSize({ size: '100' as never })).toThrow(/parseByteSize/);
    expect(() => choosePartSize({ size: 100n as never })).toThrow(/bigint/);
    expect(() => choosePartSize({ size: undefined as never })).toThrow(TypeError);
  });

  it('rejects negative, NaN, infinite, fractional and unsafe sizes with RangeError', () => {
    expect(() => choosePartSize({ size: -1 })).toThrow(/must not be negative/);
    expect(() => choosePartSize({ size: Number.NaN })).toThrow(/NaN/);
    expect(() => choosePartSize({ size: Number.POSITIVE_INFINITY })).toThrow(/finite/);
    expect(() => choosePartSize({ size: 1.5 })).toThrow(/whole number/);
    expect(() => choosePartSize({ size: 2 ** 53 })).toThrow(/MAX_SAFE_INTEGER/);
    for (const size of [-1, Number.NaN, 1.5, 2 ** 53]) {
      expect(() => choosePartSize({ size })).toThrow(RangeError);
    }
  });

  it('rejects a partSize outside the limits and says which bound', () => {
    expect(() => choosePartSize({ size: 1, partSize: 102_399 })).toThrow(RangeError);
    expect(() => choosePartSize({ size: 1, partSize: 102_399 })).toThrow(
      /below the minimum part size .*102400/,
    );
    expect(() => choosePartSize({ size: 1, partSize: 5 * GiB + 1 })).toThrow(
      /above the maximum part size .*5368709120/,
    );
    expect(() => choosePartSize({ size: 1, partSize: 0 })).toThrow(RangeError);
    expect(() => choosePartSize({ size: 1, partSize: 8.5 * MiB + 0.5 })).toThrow(/whole number/);
    expect(() => choosePartSize({ size: 1, partSize: '8MiB' as never })).toThrow(TypeError);
  });

  it('rejects a missing options object and bad limits', () => {
    expect(() => choosePartSize(undefined as never)).toThrow(TypeError);
    expect(() => choosePartSize({ size: 1, limits: { maxParts: 0 } })).toThrow(RangeError);
  });

  it('never returns a size outside the limits (random limits)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (minPartSize, factor, maxParts, where) => {
          const limits = {
            ...OSS_LIMITS,
            minPartSize,
            maxPartSize: minPartSize * factor,
            maxParts,
          };
          const size = Math.floor(where * maxParts * limits.maxPartSize);
          const partSize = choosePartSize({ size, partSize: minPartSize, limits });
          expect(partSize).toBeGreaterThanOrEqual(minPartSize);
          expect(partSize).toBeLessThanOrEqual(limits.maxPartSize);
          expect(Math.ceil(size / partSize)).toBeLessThanOrEqual(maxParts);
        },
      ),
      { numRuns: 300 },
    );
  });
});
