import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeRfc3986, encodeRfc3986Path, percentDecode } from './uri-encode.ts';

describe('encodeRfc3986', () => {
  it('keeps exactly the unreserved set', () => {
    const unreserved = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~';
    expect(encodeRfc3986(unreserved)).toBe(unreserved);
    for (let code = 0; code < 128; code++) {
      const char = String.fromCharCode(code);
      const expected = unreserved.includes(char)
        ? char
        : `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
      expect(encodeRfc3986(char)).toBe(expected);
    }
  });

  it('encodes the characters URLSearchParams and encodeURIComponent get wrong', () => {
    expect(encodeRfc3986(' ')).toBe('%20');
    expect(encodeRfc3986('+')).toBe('%2B');
    expect(encodeRfc3986('*')).toBe('%2A');
    expect(encodeRfc3986('~')).toBe('~');
    expect(encodeRfc3986("!'()")).toBe('%21%27%28%29');
    expect(encodeRfc3986('/')).toBe('%2F');
    expect(encodeRfc3986('%')).toBe('%25');
    expect(encodeRfc3986('?#&=;:@,$')).toBe('%3F%23%26%3D%3B%3A%40%2C%24');
  });

  it('encodes UTF-8 bytes with upper-case hex', () => {
    expect(encodeRfc3986('ü')).toBe('%C3%BC');
    expect(encodeRfc3986('中文')).toBe('%E4%B8%AD%E6%96%87');
    expect(encodeRfc3986('😀')).toBe('%F0%9F%98%80');
    expect(encodeRfc3986('\u00ff')).toBe('%C3%BF');
  });

  it('encodes a lone surrogate as U+FFFD', () => {
    expect(encodeRfc3986('\ud800')).toBe('%EF%BF%BD');
  });
});

describe('encodeRfc3986Path', () => {
  it('keeps slashes and encodes everything else like encodeRfc3986', () => {
    expect(encodeRfc3986Path('1234+-/123/1.txt')).toBe('1234%2B-/123/1.txt');
    expect(encodeRfc3986Path('dir/ü k+y.bin')).toBe('dir/%C3%BC%20k%2By.bin');
    expect(encodeRfc3986Path('//a//')).toBe('//a//');
    expect(encodeRfc3986Path('a%2Fb')).toBe('a%252Fb');
  });

  it('equals encodeRfc3986 per slash-separated segment', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (value) => {
        expect(encodeRfc3986Path(value)).toBe(value.split('/').map(encodeRfc3986).join('/'));
      }),
      { numRuns: 200 },
    );
  });
});

describe('percentDecode', () => {
  it('decodes escapes once, as UTF-8', () => {
    expect(percentDecode('%C3%BC')).toBe('ü');
    expect(percentDecode('%c3%bc')).toBe('ü');
    expect(percentDecode('a%252Fb')).toBe('a%2Fb');
    expect(percentDecode('a%2Fb')).toBe('a/b');
    expect(percentDecode('ü%20x')).toBe('ü x');
    expect(percentDecode('😀%F0%9F%98%80')).toBe('😀😀');
  });

  it('keeps + unless asked to read it as a space', () => {
    expect(percentDecode('a+b')).toBe('a+b');
    expect(percentDecode('a+b%2B', { plusAsSpace: true })).toBe('a b+');
  });

  it('is lenient with malformed input', () => {
    expect(percentDecode('100%')).toBe('100%');
    expect(percentDecode('%zz%4')).toBe('%zz%4');
    expect(percentDecode('%FF')).toBe('\ufffd');
  });

  it('inverts both encoders', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        expect(percentDecode(encodeRfc3986(value))).toBe(value);
        expect(percentDecode(encodeRfc3986Path(value))).toBe(value);
        expect(percentDecode(encodeRfc3986(value), { plusAsSpace: true })).toBe(value);
      }),
      { numRuns: 200 },
    );
  });
});
