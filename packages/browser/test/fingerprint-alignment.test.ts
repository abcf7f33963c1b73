import { blobFingerprint, fromBlob } from '@ossup/client';
import { describe, expect, it } from 'vitest';
import { fileFingerprint } from '../src/file-fingerprint.ts';

// fileFingerprint() is kept here rather than imported so that this package needs the client
// only for types at run time; this test keeps the two formats from drifting apart, since a
// checkpoint is found by the fingerprint the client's fromBlob() recorded.
describe('fileFingerprint agrees with @ossup/client', () => {
  const cases: [string, Blob][] = [
    ['a File', new File(['hello'], 'hello.txt', { lastModified: 1700000000123 })],
    ['an empty File', new File([], 'empty', { lastModified: 0 })],
    ['an awkward name', new File(['x'], 'dir:a "b"\u0000 ключ', { lastModified: 42 })],
    ['a plain Blob', new Blob(['no name'])],
  ];
  for (const [label, blob] of cases) {
    it(`for ${label}`, () => {
      expect(fileFingerprint(blob)).toBe(fromBlob(blob).fingerprint);
      expect(fileFingerprint(blob)).toBe(blobFingerprint(blob));
    });
  }
});
