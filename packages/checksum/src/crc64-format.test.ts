import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import vectors from '../test/vectors/checksums.json' with { type: 'json' };
import { crc64ToString, parseCrc64 } from './crc64-format.ts';
import { ChecksumFormatError } from './errors.ts';

const U64_MAX = (1n << 64n) - 1n;

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('crc64ToString / parseCrc64', () => {
  it('round-trips every 64-bit value', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: U64_MAX }), (value) => {
        const text = crc64ToString(value);
        expect(text).toMatch(/^(0|[1-9][0-9]*)$/);
        expect(parseCrc64(text)).toBe(value);
      }),
      { numRuns: 300 },
    );
  });

  it('reproduces the wire form of every shared vector', () => {
    for (const { crc64 } of vectors.check) expect(crc64ToString(parseCrc64(crc64))).toBe(crc64);
    for (const { result } of vectors.combine) {
      expect(crc64ToString(parseCrc64(result))).toBe(result);
    }
  });

  it('accepts the bounds and leading zeros', () => {
    expect(parseCrc64('0')).toBe(0n);
    expect(parseCrc64('18446744073709551615')).toBe(U64_MAX);
    expect(parseCrc64('000000000000000000000000042')).toBe(42n);
    expect(crc64ToString(U64_MAX)).toBe('18446744073709551615');
    expect(crc64ToString(0n)).toBe('0');
  });

  it('rejects text that is not an unsigned 64-bit decimal', () => {
    const bad = [
      '',
      '-1',
      '-7395533204333446662',
      '18446744073709551616',
      '99999999999999999999',
      '1'.repeat(1000),
      '+1',
      ' 1',
      '1 ',
      '0x10',
      '1e3',
      '1.0',
      '1_000',
      '١٢٣',
      'abc',
    ];
    for (const text of bad) {
      expect(() => parseCrc64(text)).toThrow(ChecksumFormatError);
      expect(() => parseCrc64(text)).toThrow(RangeError);
    }
  });

  it('says what is wrong', () => {
    expect(() => parseCrc64('-1')).toThrow(/negative/);
    expect(() => parseCrc64('18446744073709551616')).toThrow(/exceeds 2\^64-1/);
    expect(() => parseCrc64('12a')).toThrow(/digits/);
    expect(() => parseCrc64('')).toThrow(/empty/);
  });

  it('keeps the rejected input on the error, cut short', () => {
    const error = thrown(() => parseCrc64('9'.repeat(100)));
    expect(error).toBeInstanceOf(ChecksumFormatError);
    const e = error as ChecksumFormatError;
    expect(e.format).toBe('crc64');
    expect(e.input.startsWith('9'.repeat(48))).toBe(true);
    expect(e.input.length).toBeLessThan(50);
  });

  it('rejects non-strings and out-of-range or non-bigint values', () => {
    expect(() => parseCrc64(42 as unknown as string)).toThrow(TypeError);
    expect(() => parseCrc64(undefined as unknown as string)).toThrow(TypeError);
    expect(() => crc64ToString(-1n)).toThrow(RangeError);
    expect(() => crc64ToString(1n << 64n)).toThrow(RangeError);
    expect(() => crc64ToString(5 as unknown as bigint)).toThrow(TypeError);
  });
});
