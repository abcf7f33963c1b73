import { describe, expect, it } from 'vitest';
import { fileFingerprint } from './file-fingerprint.ts';

const file = (name: string, body: string, lastModified: number) =>
  new File([body], name, { lastModified });

describe('fileFingerprint', () => {
  it('is name + size + lastModified, in the format fromBlob() records', () => {
    expect(fileFingerprint(file('photo.raw', 'abcd', 1700000000000))).toBe(
      'file:["photo.raw",4,1700000000000]',
    );
  });

  it('is the same for the same file picked twice', () => {
    const a = file('a.bin', 'hello', 5);
    const b = file('a.bin', 'hello', 5);
    expect(fileFingerprint(a)).toBe(fileFingerprint(b));
  });

  it('differs for a same-named file with another size or modification time', () => {
    const base = fileFingerprint(file('a.bin', 'hello', 5));
    expect(fileFingerprint(file('a.bin', 'hello!', 5))).not.toBe(base);
    expect(fileFingerprint(file('a.bin', 'hello', 6))).not.toBe(base);
    expect(fileFingerprint(file('b.bin', 'hello', 5))).not.toBe(base);
  });

  it('keeps names with separators or digits apart', () => {
    // A naive "name:size:mtime" join would make these two equal.
    const x = fileFingerprint(file('a:1', 'xx', 3));
    const y = fileFingerprint(file('a', 'x', 3));
    expect(x).not.toBe(y);
    expect(fileFingerprint(file('名前 "q".txt', 'é', 0))).toBe('file:["名前 \\"q\\".txt",2,0]');
  });

  it('returns undefined for a plain Blob, which cannot be recognised after a reload', () => {
    expect(fileFingerprint(new Blob(['hello']))).toBeUndefined();
  });
});
