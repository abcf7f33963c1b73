import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceCombine } from '../test/reference-crc64.ts';
import { split } from '../test/split-bytes.ts';
import vectors from '../test/vectors/checksums.json' with { type: 'json' };
import { crc64 } from './crc64.ts';
import { combineCrc64, combineCrc64Parts } from './crc64-combine.ts';

const U64_MAX = (1n << 64n) - 1n;
const u64 = fc.bigInt({ min: 0n, max: U64_MAX });

describe('combineCrc64', () => {
  for (const { crc1, crc2, len2, result } of vectors.combine) {
    it(`matches the shared vector combine(${crc1}, ${crc2}, ${len2})`, () => {
      expect(combineCrc64(BigInt(crc1), BigInt(crc2), len2)).toBe(BigInt(result));
      expect(combineCrc64(BigInt(crc1), BigInt(crc2), BigInt(len2))).toBe(BigInt(result));
    });
  }

  it('matches the python-v2 case combine(12345, 67890, 5) = CRC(1234567890)', () => {
    const enc = new TextEncoder();
    const crc = combineCrc64(crc64(enc.encode('12345')), crc64(enc.encode('67890')), 5);
    expect(crc).toBe(crc64(enc.encode('1234567890')));
  });

  it('equals the CRC of the concatenation for random two-way splits, empty pieces included', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400, size: 'max' }), fc.nat(), (bytes, cut) => {
        const at = cut % (bytes.length + 1);
        const a = bytes.subarray(0, at);
        const b = bytes.subarray(at);
        expect(combineCrc64(crc64(a), crc64(b), b.length)).toBe(crc64(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with the zlib-style reference for random CRCs and lengths up to 2^64-1', () => {
    fc.assert(
      fc.property(u64, u64, u64, (crc1, crc2, len2) => {
        expect(combineCrc64(crc1, crc2, len2)).toBe(referenceCombine(crc1, crc2, len2));
      }),
      { numRuns: 100 },
    );
  });

  it('handles part-sized lengths: 5 GiB, 48.8 TB, 2^53-1 as a number', () => {
    const crc1 = 11051210869376104954n;
    const crc2 = 2871916124362751090n;
    for (const len of [5n * 1024n ** 3n, 48_800_000_000_000n, BigInt(Number.MAX_SAFE_INTEGER)]) {
      const expected = referenceCombine(crc1, crc2, len);
      expect(combineCrc64(crc1, crc2, len)).toBe(expected);
      expect(combineCrc64(crc1, crc2, Number(len))).toBe(expected);
    }
  });

  it('is associative, as folding parts requires', () => {
    const len = fc.bigInt({ min: 0n, max: 1n << 62n });
    fc.assert(
      fc.property(u64, u64, u64, len, len, (a, b, c, lb, lc) => {
        const left = combineCrc64(combineCrc64(a, b, lb), c, lc);
        const right = combineCrc64(a, combineCrc64(b, c, lc), lb + lc);
        expect(left).toBe(right);
      }),
      { numRuns: 150 },
    );
  });

  it('has 0 as identity on the left and a zero-length piece as identity on the right', () => {
    fc.assert(
      fc.property(u64, fc.bigInt({ min: 0n, max: 1n << 40n }), (crc, len) => {
        expect(combineCrc64(0n, crc, len)).toBe(crc);
        expect(combineCrc64(crc, 0n, 0)).toBe(crc);
      }),
      { numRuns: 100 },
    );
  });

  it('rejects bad lengths and CRCs', () => {
    expect(() => combineCrc64(1n, 2n, -1)).toThrow(RangeError);
    expect(() => combineCrc64(1n, 2n, -1n)).toThrow(RangeError);
    expect(() => combineCrc64(1n, 2n, 1.5)).toThrow(RangeError);
    expect(() => combineCrc64(1n, 2n, Number.NaN)).toThrow(RangeError);
    expect(() => combineCrc64(1n, 2n, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => combineCrc64(1n, 2n, 2 ** 60)).toThrow(/bigint/);
    expect(() => combineCrc64(1n, 2n, 1n << 64n)).toThrow(RangeError);
    expect(() => combineCrc64(1n, 2n, '5' as unknown as number)).toThrow(TypeError);
    expect(() => combineCrc64(-1n, 2n, 5)).toThrow(RangeError);
    expect(() => combineCrc64(1n, 1n << 64n, 5)).toThrow(RangeError);
    expect(() => combineCrc64(1 as unknown as bigint, 2n, 5)).toThrow(TypeError);
  });
});

describe('combineCrc64Parts', () => {
  it('gives the CRC of the whole for any split into parts, empty parts included', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 500, size: 'max' }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (bytes, cuts) => {
          const parts = split(bytes, cuts).map((p) => ({ crc64: crc64(p), size: p.length }));
          expect(combineCrc64Parts(parts)).toBe(crc64(bytes));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives 0 for no parts', () => {
    expect(combineCrc64Parts([])).toBe(0n);
  });

  it('folds 10,000 parts the same as combining them one by one with bigint sizes', () => {
    const bytes = new Uint8Array(10_000 * 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 0xff;
    const parts = Array.from({ length: 10_000 }, (_, i) => {
      const piece = bytes.subarray(i * 3, i * 3 + 3);
      return { crc64: crc64(piece), size: BigInt(piece.length) };
    });
    expect(combineCrc64Parts(parts)).toBe(crc64(bytes));
  });

  it('accepts any iterable', () => {
    const enc = new TextEncoder();
    function* parts() {
      yield { crc64: 6571598172666981661n, size: 13 };
      yield { crc64: 2060813895736234537n, size: 13 };
    }
    expect(combineCrc64Parts(parts())).toBe(crc64(enc.encode('upload part 1upload part 2')));
  });
});
