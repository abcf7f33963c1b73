import { describe, expect, it } from 'vitest';
import {
  compareCodePoints,
  normalizeHeaders,
  normalizeQuery,
  trimHeaderValue,
} from './normalize.ts';

describe('normalizeHeaders', () => {
  it('lower-cases names, joins case variants with a comma, drops undefined', () => {
    expect(
      normalizeHeaders({
        'X-Oss-Meta-A': '1',
        'x-oss-meta-a': '2',
        Range: 'bytes=0-1',
        gone: undefined,
      }),
    ).toEqual({ 'x-oss-meta-a': '1,2', range: 'bytes=0-1' });
    expect(normalizeHeaders(undefined)).toEqual({});
  });
});

describe('normalizeQuery', () => {
  it('accepts records and pairs; undefined becomes a bare parameter', () => {
    expect(normalizeQuery({ uploads: undefined, 'max-parts': '5' })).toEqual([
      ['uploads', ''],
      ['max-parts', '5'],
    ]);
    expect(
      normalizeQuery([
        ['a', '1'],
        ['a', undefined],
      ]),
    ).toEqual([
      ['a', '1'],
      ['a', ''],
    ]);
    expect(normalizeQuery(undefined)).toEqual([]);
  });
});

describe('compareCodePoints', () => {
  it('orders by code point (UTF-8 byte order), unlike UTF-16 comparison', () => {
    expect(compareCodePoints('\uffff', '😀')).toBeLessThan(0);
    expect('😀' < '\uffff').toBe(true);
    expect(compareCodePoints('a', 'b')).toBeLessThan(0);
    expect(compareCodePoints('B', 'a')).toBeLessThan(0);
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0);
    expect(compareCodePoints('x', 'x')).toBe(0);
  });
});

describe('trimHeaderValue', () => {
  it('trims spaces and tabs only', () => {
    expect(trimHeaderValue(' \t a b \t')).toBe('a b');
    expect(trimHeaderValue('\u00a0a')).toBe('\u00a0a');
  });
});
