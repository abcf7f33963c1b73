import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIso8601Basic, formatRfc1123, parseIso8601Basic, parseRfc1123 } from './dates.ts';

describe('formatRfc1123', () => {
  it('formats like OSS', () => {
    expect(formatRfc1123(new Date(Date.UTC(2022, 11, 28, 10, 27, 41)))).toBe(
      'Wed, 28 Dec 2022 10:27:41 GMT',
    );
    expect(formatRfc1123(new Date(Date.UTC(2025, 5, 1, 6, 8, 3, 999)))).toBe(
      'Sun, 01 Jun 2025 06:08:03 GMT',
    );
  });

  it('rejects an invalid date', () => {
    expect(() => formatRfc1123(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('formatIso8601Basic', () => {
  it('formats the V4 x-oss-date', () => {
    expect(formatIso8601Basic(new Date(1702743657000))).toBe('20231216T162057Z');
    expect(formatIso8601Basic(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)))).toBe(
      '20240102T030405Z',
    );
  });
});

describe('parsers', () => {
  it('parse valid dates', () => {
    expect(parseRfc1123('Wed, 28 Dec 2022 10:27:41 GMT')?.getTime()).toBe(
      Date.UTC(2022, 11, 28, 10, 27, 41),
    );
    expect(parseRfc1123('Sun, 1 Jun 2025 06:08:03 GMT')?.getTime()).toBe(
      Date.UTC(2025, 5, 1, 6, 8, 3),
    );
    expect(parseIso8601Basic('20231216T162057Z')?.getTime()).toBe(1702743657000);
  });

  it('reject malformed and impossible dates', () => {
    expect(parseRfc1123('Wed, 31 Feb 2022 10:27:41 GMT')).toBeUndefined();
    expect(parseRfc1123('2022-12-28T10:27:41Z')).toBeUndefined();
    expect(parseRfc1123('Wed, 28 Dec 2022 10:27:41 +0000')).toBeUndefined();
    expect(parseRfc1123('')).toBeUndefined();
    expect(parseIso8601Basic('20231216T162057')).toBeUndefined();
    expect(parseIso8601Basic('20231316T162057Z')).toBeUndefined();
    expect(parseIso8601Basic('20231216T246057Z')).toBeUndefined();
    expect(parseIso8601Basic('2023-12-16T16:20:57Z')).toBeUndefined();
  });

  it('round-trip any instant to the second', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253402300799999 }), (ms) => {
        const date = new Date(ms);
        const seconds = Math.floor(ms / 1000) * 1000;
        expect(parseRfc1123(formatRfc1123(date))?.getTime()).toBe(seconds);
        expect(parseIso8601Basic(formatIso8601Basic(date))?.getTime()).toBe(seconds);
      }),
      { numRuns: 300 },
    );
  });
});
