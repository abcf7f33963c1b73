import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64, fromHex, toBase64, toHex } from './encoding.ts';
import { ChecksumFormatError } from './errors.ts';

const ascii = (s: string) => new TextEncoder().encode(s);

// Independent Base64 for comparison: the platform's btoa over a binary string.
function btoaBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

describe('toHex / fromHex', () => {
  it('encodes lower-case by default and upper-case on request', () => {
    const bytes = Uint8Array.of(0x00, 0x0f, 0xab, 0xff);
    expect(toHex(bytes)).toBe('000fabff');
    expect(toHex(bytes, { upperCase: true })).toBe('000FABFF');
    expect(toHex(new Uint8Array(0))).toBe('');
  });

  it('round-trips random bytes in either case', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64, size: 'max' }),
        fc.boolean(),
        (bytes, upperCase) => {
          const hex = toHex(bytes, { upperCase });
          expect(hex).toHaveLength(bytes.length * 2);
          expect(fromHex(hex)).toEqual(bytes);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('decodes mixed case', () => {
    expect(fromHex('aBcD')).toEqual(Uint8Array.of(0xab, 0xcd));
  });

  it('rejects odd lengths and non-hex characters', () => {
    for (const bad of ['a', 'abc', 'zz', '0x00', '00 ', 'g0', '+1']) {
      expect(() => fromHex(bad)).toThrow(ChecksumFormatError);
    }
    expect(() => fromHex(7 as unknown as string)).toThrow(TypeError);
  });
});

describe('toBase64 / fromBase64', () => {
  it('matches the RFC 4648 test vectors', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of cases) {
      expect(toBase64(ascii(plain))).toBe(encoded);
      expect(fromBase64(encoded)).toEqual(ascii(plain));
    }
  });

  it('agrees with btoa and round-trips random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100, size: 'max' }), (bytes) => {
        const text = toBase64(bytes);
        expect(text).toBe(btoaBase64(bytes));
        expect(fromBase64(text)).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('encodes a Content-MD5 value', () => {
    // MD5("") = d41d8cd98f00b204e9800998ecf8427e (RFC 1321)
    expect(toBase64(fromHex('d41d8cd98f00b204e9800998ecf8427e'))).toBe('1B2M2Y8AsgTpgAmY7PhCfg==');
  });

  it('rejects anything that is not canonical padded standard Base64', () => {
    const bad = [
      'Zg',
      'Zg=',
      'Z===',
      '====',
      'Zh==',
      'Zm9=',
      'Zm9v\n',
      'Zm 9v',
      '-_8=',
      'Zg==Zg==',
      'Zm9vYg=a',
      'Zm9vé===',
    ];
    for (const text of bad) expect(() => fromBase64(text)).toThrow(ChecksumFormatError);
    expect(() => fromBase64(null as unknown as string)).toThrow(TypeError);
  });
});
