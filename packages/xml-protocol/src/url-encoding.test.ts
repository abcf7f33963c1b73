import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyKey, kindOf, RUNS } from '../test/helpers.ts';
import { percentDecode, percentEncode } from './url-encoding.ts';

describe('percentEncode (encoding-type=url)', () => {
  it('leaves exactly the RFC 3986 unreserved set raw', () => {
    const unreserved = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~';
    expect(percentEncode(unreserved)).toBe(unreserved);
    for (let code = 0; code < 128; code += 1) {
      const ch = String.fromCharCode(code);
      if (unreserved.includes(ch)) continue;
      expect(percentEncode(ch)).toBe(`%${code.toString(16).toUpperCase().padStart(2, '0')}`);
    }
  });

  it("encodes '/', space, '+', '%' and the characters encodeURIComponent leaves raw", () => {
    expect(percentEncode('a/b c+d%e')).toBe('a%2Fb%20c%2Bd%25e');
    expect(percentEncode("!'()*")).toBe('%21%27%28%29%2A');
  });

  it('matches the real service on the control-character key of §4.0', () => {
    expect(percentEncode('demo/gp-\f\n\v')).toBe('demo%2Fgp-%0C%0A%0B');
  });

  it('encodes the UTF-8 bytes with upper-case hex', () => {
    expect(percentEncode('é')).toBe('%C3%A9');
    expect(percentEncode('中')).toBe('%E4%B8%AD');
    expect(percentEncode('🙂')).toBe('%F0%9F%99%82');
  });

  it('refuses a lone surrogate (no UTF-8 form)', () => {
    expect(kindOf(() => percentEncode('a\uD800b'))).toBe('invalid-value');
  });

  it('only ever outputs unreserved characters and %XX', () => {
    fc.assert(
      fc.property(anyKey, (key) => {
        expect(percentEncode(key)).toMatch(/^(?:[A-Za-z0-9\-_.~]|%[0-9A-F]{2})*$/);
      }),
      RUNS,
    );
  });
});

describe('percentDecode', () => {
  it('reverses percentEncode for any key', () => {
    fc.assert(
      fc.property(anyKey, (key) => {
        expect(percentDecode(percentEncode(key))).toBe(key);
      }),
      RUNS,
    );
  });

  it("reads '+' as a space and %2B as '+'", () => {
    expect(percentDecode('a+b%2Bc')).toBe('a b+c');
  });

  it('accepts lower-case hex and raw characters', () => {
    expect(percentDecode('demo%2fgp-%0c')).toBe('demo/gp-\f');
    expect(percentDecode('plain/key.txt')).toBe('plain/key.txt');
  });

  it('refuses malformed escapes and invalid UTF-8', () => {
    expect(kindOf(() => percentDecode('%'))).toBe('invalid-value');
    expect(kindOf(() => percentDecode('%G1'))).toBe('invalid-value');
    expect(kindOf(() => percentDecode('%C3'))).toBe('invalid-value');
    expect(kindOf(() => percentDecode('%FF%FE'))).toBe('invalid-value');
  });
});
