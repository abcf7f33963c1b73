import { normalizeEtag } from '@ossup/xml-protocol';
import { describe, expect, it } from 'vitest';
import { bareEtag } from './response-fields.ts';

describe('bareEtag', () => {
  // It repeats normalizeEtag of @ossup/xml-protocol instead of importing it (see its comment):
  // the two must agree on everything but the weak prefix.
  it('normalises like normalizeEtag of @ossup/xml-protocol', () => {
    for (const value of [
      '"7265F4D211B56873A381D321F586ABCD"',
      '  "097DE458AD02B5F89F9D0530231876AB-3"  ',
      '&quot;097DE458AD02B5F89F9D0530231876AB-3&quot;',
      '&#34;ABC&#x22;',
      '7265f4d211b56873a381d321f586abcd',
      '"',
      '',
      '""',
    ]) {
      expect(bareEtag(value)).toBe(normalizeEtag(value));
    }
  });

  it('drops a weak W/ prefix a proxy may add', () => {
    expect(bareEtag('W/"ABC"')).toBe('ABC');
    expect(bareEtag(' W/ "ABC" ')).toBe('ABC');
  });
});
