import { describe, expect, it } from 'vitest';
import { ossUrlEncode, PercentDecodeError, percentDecode } from './url-encode.ts';

describe('ossUrlEncode', () => {
  it('escapes everything but the unreserved set, in upper-case hex', () => {
    expect(ossUrlEncode('demo/gp-\f\n\v')).toBe('demo%2Fgp-%0C%0A%0B');
    expect(ossUrlEncode('a b+c%~_.-')).toBe('a%20b%2Bc%25~_.-');
    expect(ossUrlEncode('ü')).toBe('%C3%BC');
    expect(ossUrlEncode('\u{1F600}')).toBe('%F0%9F%98%80');
  });
});

describe('percentDecode', () => {
  it('decodes once, as UTF-8', () => {
    expect(percentDecode('a%2Fb%252F')).toBe('a/b%2F');
    expect(percentDecode('%C3%BC')).toBe('ü');
    expect(percentDecode('plain')).toBe('plain');
  });

  it('keeps + in paths and reads it as a space in queries', () => {
    expect(percentDecode('a+b')).toBe('a+b');
    expect(percentDecode('a+b', true)).toBe('a b');
  });

  it('reads raw request-line bytes (latin1 characters) as UTF-8', () => {
    expect(percentDecode('\u00c3\u00bc')).toBe('ü');
  });

  it('refuses malformed escapes and invalid UTF-8', () => {
    expect(() => percentDecode('%zz')).toThrow(PercentDecodeError);
    expect(() => percentDecode('%')).toThrow(PercentDecodeError);
    expect(() => percentDecode('%C3')).toThrow(PercentDecodeError);
    expect(() => percentDecode('%FF')).toThrow(PercentDecodeError);
  });
});
