import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatBytes, parseByteSize } from './byte-size.ts';
import { InvalidByteSizeError } from './errors.ts';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('parseByteSize', () => {
  it('parses IEC units as powers of 1024', () => {
    expect(parseByteSize('8MiB')).toBe(8_388_608);
    expect(parseByteSize('100KiB')).toBe(102_400);
    expect(parseByteSize('5GiB')).toBe(5_368_709_120);
    expect(parseByteSize('2TiB')).toBe(2 * 1024 ** 4);
    expect(parseByteSize('1PiB')).toBe(1024 ** 5);
    expect(parseByteSize('2Ki')).toBe(2048);
    expect(parseByteSize('3Mi')).toBe(3 * 1024 ** 2);
  });

  it('parses SI units as powers of 1000', () => {
    expect(parseByteSize('1kB')).toBe(1000);
    expect(parseByteSize('1.5MB')).toBe(1_500_000);
    expect(parseByteSize('5GB')).toBe(5_000_000_000);
    expect(parseByteSize('1TB')).toBe(1e12);
  });

  it('is case-insensitive and tolerates spaces', () => {
    expect(parseByteSize('8mib')).toBe(8_388_608);
    expect(parseByteSize('8MIB')).toBe(8_388_608);
    expect(parseByteSize(' 8 MiB ')).toBe(8_388_608);
    expect(parseByteSize('1KB')).toBe(1000);
  });

  it('parses plain integers and byte units', () => {
    expect(parseByteSize('0')).toBe(0);
    expect(parseByteSize('102400')).toBe(102_400);
    expect(parseByteSize('007')).toBe(7);
    expect(parseByteSize('10B')).toBe(10);
    expect(parseByteSize('10 bytes')).toBe(10);
    expect(parseByteSize('1 byte')).toBe(1);
    expect(parseByteSize('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('parses fractions exactly and rounds half up to a whole byte', () => {
    expect(parseByteSize('1.5MiB')).toBe(1_572_864);
    expect(parseByteSize('0.5KiB')).toBe(512);
    expect(parseByteSize('0.1KiB')).toBe(102); // 102.4
    expect(parseByteSize('1.23MiB')).toBe(1_289_748); // 1289748.48
    expect(parseByteSize('0.0005kB')).toBe(1); // 0.5 rounds up
    expect(parseByteSize('0.0004kB')).toBe(0);
  });

  it('returns valid numbers unchanged and rejects invalid ones', () => {
    expect(parseByteSize(8_388_608)).toBe(8_388_608);
    expect(parseByteSize(0)).toBe(0);
    expect(() => parseByteSize(-1)).toThrow(InvalidByteSizeError);
    expect(() => parseByteSize(1.5)).toThrow(InvalidByteSizeError);
    expect(() => parseByteSize(Number.NaN)).toThrow(InvalidByteSizeError);
  });

  const rejected: [string, RegExp][] = [
    ['', /empty/],
    ['   ', /empty/],
    ['abc', /not a byte size/],
    ['-1', /not a byte size/],
    ['+1', /not a byte size/],
    ['1e6', /not a byte size/],
    ['1,000', /not a byte size/],
    ['1_000', /not a byte size/],
    ['.5MiB', /not a byte size/],
    ['1.MiB', /not a byte size/],
    ['8 MiB extra', /not a byte size/],
    ['8XB', /unknown unit "XB"/],
    ['1.5', /fraction of a byte/],
    ['1.5B', /fraction of a byte/],
    ['9007199254740992', /MAX_SAFE_INTEGER/],
    ['8PiB', /MAX_SAFE_INTEGER/],
  ];
  for (const [input, message] of rejected) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      expect(() => parseByteSize(input)).toThrow(InvalidByteSizeError);
      expect(() => parseByteSize(input)).toThrow(message);
    });
  }

  it('rejects single-letter units as ambiguous and names both spellings', () => {
    expect(() => parseByteSize('8M')).toThrow(/ambiguous.*8MiB.*8MB/);
    expect(() => parseByteSize('100k')).toThrow(/100KiB.*100kB/);
    expect(() => parseByteSize('1.5g')).toThrow(/1.5GiB.*1.5GB/);
  });

  it('carries the rejected input on the error', () => {
    const error = thrown(() => parseByteSize('lots'));
    expect(error).toBeInstanceOf(InvalidByteSizeError);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as InvalidByteSizeError).input).toBe('lots');
    expect((error as InvalidByteSizeError).name).toBe('InvalidByteSizeError');
  });

  it('rejects non-string, non-number input with TypeError', () => {
    expect(() => parseByteSize(null as never)).toThrow(TypeError);
    expect(() => parseByteSize({} as never)).toThrow(TypeError);
    expect(() => parseByteSize(10n as never)).toThrow(TypeError);
  });
});

describe('formatBytes', () => {
  it('formats with IEC units by default', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(102_400)).toBe('100 KiB');
    expect(formatBytes(8_388_608)).toBe('8 MiB');
    expect(formatBytes(5_368_709_120)).toBe('5 GiB');
    expect(formatBytes(53_687_091_200_000)).toBe('48.83 TiB');
    expect(formatBytes(Number.MAX_SAFE_INTEGER)).toBe('8 PiB');
  });

  it('moves to the next unit when rounding reaches it', () => {
    expect(formatBytes(1_048_575)).toBe('1 MiB');
    expect(formatBytes(1_048_575, { maximumFractionDigits: 6 })).toBe('1023.999023 KiB');
  });

  it('formats SI units on request', () => {
    expect(formatBytes(1_500_000, { system: 'si' })).toBe('1.5 MB');
    expect(formatBytes(999, { system: 'si' })).toBe('999 B');
    expect(formatBytes(999_999, { system: 'si' })).toBe('1 MB');
    expect(formatBytes(1000, { system: 'si' })).toBe('1 kB');
  });

  it('honours maximumFractionDigits', () => {
    expect(formatBytes(1_289_748, { maximumFractionDigits: 0 })).toBe('1 MiB');
    expect(formatBytes(1_289_748, { maximumFractionDigits: 1 })).toBe('1.2 MiB');
    expect(formatBytes(1_289_748)).toBe('1.23 MiB');
  });

  it('rejects bad input', () => {
    expect(() => formatBytes(-1)).toThrow(RangeError);
    expect(() => formatBytes(1.5)).toThrow(RangeError);
    expect(() => formatBytes('8' as never)).toThrow(TypeError);
    expect(() => formatBytes(1, { maximumFractionDigits: 7 })).toThrow(RangeError);
    expect(() => formatBytes(1, { system: 'metric' as never })).toThrow(RangeError);
  });

  it('round-trips exact multiples of a unit through parseByteSize', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1023 }), fc.integer({ min: 0, max: 4 }), (k, e) => {
        const n = k * 1024 ** e;
        expect(parseByteSize(formatBytes(n))).toBe(n);
      }),
      { numRuns: 300 },
    );
  });

  it('parses back to within the rounding of two decimals (< 0.5 %)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 52 }), fc.boolean(), (n, si) => {
        const text = formatBytes(n, { system: si ? 'si' : 'iec' });
        const back = parseByteSize(text);
        expect(Math.abs(back - n)).toBeLessThanOrEqual(n * 0.005 + 0.5);
      }),
      { numRuns: 300 },
    );
  });
});
