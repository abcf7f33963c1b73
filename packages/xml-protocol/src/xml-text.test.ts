import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RUNS, thrown, xmlSafeKey } from '../test/helpers.ts';
import {
  decodeXmlText,
  EntityError,
  escapeXmlText,
  findIllegalXmlChar,
  normalizeLineEnds,
  replaceIllegalXmlChars,
  xmlTrim,
} from './xml-text.ts';

describe('escapeXmlText / decodeXmlText', () => {
  it('escapes & < > and CR, leaves quotes raw', () => {
    expect(escapeXmlText('a&b<c>d"e\'f\rg\nh\ti')).toBe('a&amp;b&lt;c&gt;d"e\'f&#13;g\nh\ti');
    expect(escapeXmlText(']]>')).toBe(']]&gt;');
  });

  it('round-trips every XML-safe string', () => {
    fc.assert(
      fc.property(xmlSafeKey, (value) => {
        expect(decodeXmlText(escapeXmlText(value))).toBe(value);
      }),
      RUNS,
    );
  });

  it('refuses undeclared entities and a bare ampersand', () => {
    expect(() => decodeXmlText('&nbsp;')).toThrow(EntityError);
    expect(() => decodeXmlText('a & b')).toThrow(EntityError);
    expect(() => decodeXmlText('&#x110000;')).toThrow(EntityError);
    expect(() => decodeXmlText('&#55296;')).toThrow(EntityError);
  });

  it('says where the offending ampersand is', () => {
    const error = thrown(() => decodeXmlText('a &amp; b\r\n &nbsp;'));
    expect(error).toBeInstanceOf(EntityError);
    expect((error as EntityError).index).toBe(12);
    expect((error as EntityError).message).toContain('&nbsp;');
  });

  it('normalises raw line ends but keeps a CR written as a reference', () => {
    expect(decodeXmlText('a\r\nb\rc\n&#13;&#xD;\r\n')).toBe('a\nb\nc\n\r\r\n');
    expect(decodeXmlText('\r&amp;\n')).toBe('\n&\n');
    expect(normalizeLineEnds('x\r\r\ny')).toBe('x\n\ny');
    expect(normalizeLineEnds('plain')).toBe('plain');
  });
});

describe('findIllegalXmlChar / replaceIllegalXmlChars', () => {
  it('finds control characters, U+FFFE/U+FFFF and lone surrogates', () => {
    expect(findIllegalXmlChar('ok\t\n\r é 🙂')).toBe(-1);
    expect(findIllegalXmlChar('ab\u000c')).toBe(2);
    expect(findIllegalXmlChar('\u0000')).toBe(0);
    expect(findIllegalXmlChar('a\uFFFE')).toBe(1);
    expect(findIllegalXmlChar('a\uD83D')).toBe(1);
    expect(findIllegalXmlChar('a\uDE42b')).toBe(1);
    expect(findIllegalXmlChar('x\u0001', 2)).toBe(-1);
  });

  it('replaces each illegal unit with U+FFFD', () => {
    expect(replaceIllegalXmlChars('a\u0001b\u0002\uD800')).toBe('a\uFFFDb\uFFFD\uFFFD');
    expect(replaceIllegalXmlChars('fine')).toBe('fine');
  });

  it('xmlTrim strips XML whitespace only', () => {
    expect(xmlTrim(' \t\r\nx y\n ')).toBe('x y');
    expect(xmlTrim('\u00a0x\u00a0')).toBe('\u00a0x\u00a0');
  });
});
