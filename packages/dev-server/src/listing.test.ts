import { describe, expect, it } from 'vitest';
import { compareUtf8, paginate, partsPage, uploadsAfter } from './listing.ts';
import type { PartRecord, UploadRecord } from './storage/records.ts';

describe('compareUtf8', () => {
  it('orders by UTF-8 bytes, unlike UTF-16 code units', () => {
    const astral = '\u{1F600}';
    const bmpHigh = '\uFFFD';
    // UTF-16 puts the surrogate pair first; UTF-8 (and OSS) put U+FFFD first.
    expect(astral < bmpHigh).toBe(true);
    expect(compareUtf8(bmpHigh, astral)).toBeLessThan(0);
    const keys = ['b', astral, 'a', bmpHigh, 'ab', 'é'];
    const byBytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...keys].sort(compareUtf8)).toEqual(byBytes);
  });

  it('puts a prefix before its extensions', () => {
    expect(compareUtf8('a', 'ab')).toBeLessThan(0);
    expect(compareUtf8('ab', 'a')).toBeGreaterThan(0);
    expect(compareUtf8('same', 'same')).toBe(0);
  });
});

describe('paginate', () => {
  const keys = ['a', 'b/1', 'b/2', 'c/x/1', 'd'];
  const walk = (prefix: string, delimiter: string, max: number, marker = '') =>
    paginate(
      keys.filter((k) => marker === '' || compareUtf8(k, marker) > 0),
      (k) => k,
      prefix,
      delimiter,
      max,
      marker,
    );

  it('returns every item without a delimiter', () => {
    const p = walk('', '', 100);
    expect(p.entries.map((e) => (e.kind === 'item' ? e.item : e.prefix))).toEqual(keys);
    expect(p.isTruncated).toBe(false);
  });

  it('rolls up at the delimiter and counts a prefix once', () => {
    const p = walk('', '/', 3);
    expect(p.entries.map((e) => (e.kind === 'item' ? e.item : `P:${e.prefix}`))).toEqual([
      'a',
      'P:b/',
      'P:c/',
    ]);
    expect(p.isTruncated).toBe(true);
  });

  it('skips a prefix at or before the marker', () => {
    const p = walk('', '/', 10, 'b/');
    expect(p.entries.map((e) => (e.kind === 'item' ? e.item : `P:${e.prefix}`))).toEqual([
      'P:c/',
      'd',
    ]);
  });

  it('is not truncated when exactly max entries exist', () => {
    const p = walk('', '', keys.length);
    expect(p.entries).toHaveLength(keys.length);
    expect(p.isTruncated).toBe(false);
  });

  it('filters by prefix', () => {
    const p = walk('b/', '/', 10);
    expect(p.entries.map((e) => (e.kind === 'item' ? e.item : e.prefix))).toEqual(['b/1', 'b/2']);
  });
});

describe('uploadsAfter', () => {
  const u = (key: string, uploadId: string): UploadRecord => ({
    key,
    uploadId,
    initiated: 0,
    headers: {},
  });
  const all = [u('b', '2'), u('a', '9'), u('b', '1'), u('c', '0')];

  it('sorts by key, then upload id', () => {
    expect(uploadsAfter(all, '', '').map((x) => `${x.key}${x.uploadId}`)).toEqual([
      'a9',
      'b1',
      'b2',
      'c0',
    ]);
  });

  it('applies the key marker, and the upload-id marker within the marker key', () => {
    expect(uploadsAfter(all, 'b', '').map((x) => `${x.key}${x.uploadId}`)).toEqual(['c0']);
    expect(uploadsAfter(all, 'b', '1').map((x) => `${x.key}${x.uploadId}`)).toEqual(['b2', 'c0']);
  });
});

describe('partsPage', () => {
  const p = (n: number): PartRecord => ({
    partNumber: n,
    size: 1,
    etag: 'E',
    crc64: '0',
    lastModified: 0,
    dataId: 'x',
  });
  it('pages ascending after the marker', () => {
    const parts = [p(5), p(1), p(3)];
    expect(partsPage(parts, 0, 2)).toEqual({ parts: [p(1), p(3)], isTruncated: true });
    expect(partsPage(parts, 3, 2)).toEqual({ parts: [p(5)], isTruncated: false });
    expect(partsPage(parts, 5, 2)).toEqual({ parts: [], isTruncated: false });
  });
});
