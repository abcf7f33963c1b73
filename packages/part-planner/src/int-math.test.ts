import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ceilDiv, nextPowerOfTwo, roundUpTo } from './int-math.ts';

describe('ceilDiv', () => {
  it('handles exact, just-above and zero numerators', () => {
    expect(ceilDiv(0, 7)).toBe(0);
    expect(ceilDiv(14, 7)).toBe(2);
    expect(ceilDiv(15, 7)).toBe(3);
    expect(ceilDiv(Number.MAX_SAFE_INTEGER, 1)).toBe(Number.MAX_SAFE_INTEGER);
    expect(ceilDiv(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 1)).toBe(2);
  });

  it('agrees with exact bigint arithmetic on every safe integer pair', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (a, b) => {
        const exact = (BigInt(a) + BigInt(b) - 1n) / BigInt(b);
        expect(BigInt(ceilDiv(a, b))).toBe(exact);
      }),
      { numRuns: 300 },
    );
  });
});

describe('roundUpTo / nextPowerOfTwo', () => {
  it('rounds up to the step and to powers of two', () => {
    expect(roundUpTo(0, 4)).toBe(0);
    expect(roundUpTo(5, 4)).toBe(8);
    expect(roundUpTo(8, 4)).toBe(8);
    expect(nextPowerOfTwo(1)).toBe(1);
    expect(nextPowerOfTwo(3)).toBe(4);
    expect(nextPowerOfTwo(1024)).toBe(1024);
    expect(nextPowerOfTwo(1025)).toBe(2048);
  });
});
