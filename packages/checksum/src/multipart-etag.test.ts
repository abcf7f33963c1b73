import { describe, expect, it } from 'vitest';
import vectors from '../test/vectors/checksums.json' with { type: 'json' };
import { fromHex } from './encoding.ts';
import { ChecksumFormatError } from './errors.ts';
import { md5 } from './md5.ts';
import { multipartEtag, partEtag } from './multipart-etag.ts';

describe('multipartEtag', () => {
  for (const implementation of ['node-crypto', 'portable'] as const) {
    for (const { parts, etag } of vectors.multipartEtag) {
      it(`matches the shared vector for ${parts.length} part(s) (${implementation})`, async () => {
        expect(await multipartEtag(parts, { implementation })).toBe(etag);
      });
    }
  }

  it('returns the quoted "HEX-N" form of the vector file', async () => {
    const etag = await multipartEtag(vectors.multipartEtag[0]!.parts);
    expect(etag).toMatch(/^"[0-9A-F]{32}-2"$/);
  });

  it('accepts quoted, lower-case and binary part MD5s alike', async () => {
    for (const { parts, etag } of vectors.multipartEtag) {
      expect(await multipartEtag(parts.map((p) => `"${p}"`))).toBe(etag);
      expect(await multipartEtag(parts.map((p) => p.toLowerCase()))).toBe(etag);
      expect(await multipartEtag(parts.map((p) => fromHex(p)))).toBe(etag);
    }
  });

  it('hashes the hex text, not the binary digests (the S3 rule gives another value)', async () => {
    const { parts } = vectors.multipartEtag[0]!;
    expect(await multipartEtag(parts)).not.toBe('"0DF038210DB5A89CC49FF5BD8E784E95-2"');
  });

  it('rejects an empty list and malformed entries', async () => {
    await expect(multipartEtag([])).rejects.toThrow(RangeError);
    await expect(multipartEtag(['4DE8075FB607DF4D13FBC480EA488EF'])).rejects.toThrow(
      ChecksumFormatError,
    );
    await expect(multipartEtag(['4DE8075FB607DF4D13FBC480EA488EFG'])).rejects.toThrow(
      ChecksumFormatError,
    );
    await expect(multipartEtag(['"4DE8075FB607DF4D13FBC480EA488EFA-2"'])).rejects.toThrow(
      ChecksumFormatError,
    );
    await expect(multipartEtag([new Uint8Array(15)])).rejects.toThrow(TypeError);
    await expect(multipartEtag([42 as unknown as string])).rejects.toThrow(TypeError);
  });
});

describe('partEtag', () => {
  it('is the quoted upper-case hex MD5 of the part', async () => {
    const digest = await md5(new Uint8Array(0));
    expect(partEtag(digest)).toBe('"D41D8CD98F00B204E9800998ECF8427E"');
  });

  it('feeds multipartEtag the way a Complete request would', async () => {
    const enc = new TextEncoder();
    const etags = [
      partEtag(await md5(enc.encode('upload part 1'))),
      partEtag(await md5(enc.encode('upload part 2'))),
    ];
    const concatenated = etags.map((e) => e.slice(1, -1)).join('');
    const digest = await md5(enc.encode(concatenated));
    expect(await multipartEtag(etags)).toBe(`${partEtag(digest).slice(0, -1)}-2"`);
  });

  it('rejects anything but a 16-byte digest', () => {
    expect(() => partEtag(new Uint8Array(20))).toThrow(TypeError);
    expect(() => partEtag('abc' as unknown as Uint8Array)).toThrow(TypeError);
  });
});
