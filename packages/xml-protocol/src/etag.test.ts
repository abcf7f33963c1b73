import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { etag, RUNS } from '../test/helpers.ts';
import { formatEtag, normalizeEtag } from './etag.ts';

describe('normalizeEtag', () => {
  it('strips the surrounding quotes of a header or XML value', () => {
    expect(normalizeEtag('"7265F4D211B56873A381D321F586ABCD"')).toBe(
      '7265F4D211B56873A381D321F586ABCD',
    );
  });

  it('decodes &quot; / &#34; / &#x22; first (values copied from raw XML)', () => {
    expect(normalizeEtag('&quot;ABC-3&quot;')).toBe('ABC-3');
    expect(normalizeEtag('&#34;ABC&#34;')).toBe('ABC');
    expect(normalizeEtag('&#X22;ABC&#x22;')).toBe('ABC');
  });

  it('leaves a bare value alone, trims whitespace and keeps the case', () => {
    expect(normalizeEtag('abc123')).toBe('abc123');
    expect(normalizeEtag('  "d41d8cd98f00b204e9800998ecf8427e"\n')).toBe(
      'd41d8cd98f00b204e9800998ecf8427e',
    );
  });

  it('strips one quote at each end only', () => {
    expect(normalizeEtag('""ABC""')).toBe('"ABC"');
    expect(normalizeEtag('"ABC')).toBe('ABC');
    expect(normalizeEtag('""')).toBe('');
  });

  it('is idempotent and inverted by formatEtag', () => {
    fc.assert(
      fc.property(etag, (value) => {
        expect(normalizeEtag(normalizeEtag(value))).toBe(value);
        expect(formatEtag(value)).toBe(`"${value}"`);
        expect(formatEtag(formatEtag(value))).toBe(`"${value}"`);
        expect(normalizeEtag(formatEtag(value))).toBe(value);
      }),
      RUNS,
    );
  });
});
