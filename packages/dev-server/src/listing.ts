import type { ObjectRecord, PartRecord, UploadRecord } from './storage/records.ts';

/** Orders strings by their UTF-8 bytes (= code point order), the order OSS lists keys in. */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 code units order code points wrongly only when one side is a surrogate:
    // surrogates (D800-DFFF) encode code points above FFFF, which sort after E000-FFFF.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** One entry of a delimited listing: an item or a rolled-up common prefix. */
export type ListEntry<T> =
  | { readonly kind: 'item'; readonly item: T }
  | { readonly kind: 'prefix'; readonly prefix: string };

/** Result of {@link paginate}. */
export interface Page<T> {
  readonly entries: ListEntry<T>[];
  readonly isTruncated: boolean;
}

/**
 * The S3/OSS listing walk shared by ListObjects and ListMultipartUploads: `sorted` items
 * (already past the marker), filtered by `prefix`, rolled up at `delimiter`, at most `max`
 * entries (a common prefix counts as one). `skipPrefixUpTo` is the key marker: a common
 * prefix that sorts at or before it was returned on an earlier page.
 */
export function paginate<T>(
  sorted: Iterable<T>,
  keyOf: (item: T) => string,
  prefix: string,
  delimiter: string,
  max: number,
  skipPrefixUpTo: string,
): Page<T> {
  const entries: ListEntry<T>[] = [];
  let lastPrefix: string | undefined;
  for (const item of sorted) {
    const key = keyOf(item);
    if (!key.startsWith(prefix)) continue;
    let cp: string | undefined;
    if (delimiter !== '') {
      const at = key.indexOf(delimiter, prefix.length);
      if (at >= 0) cp = key.slice(0, at + delimiter.length);
    }
    if (cp !== undefined) {
      if (cp === lastPrefix) continue;
      if (skipPrefixUpTo !== '' && compareUtf8(cp, skipPrefixUpTo) <= 0) continue;
      if (entries.length >= max) return { entries, isTruncated: true };
      entries.push({ kind: 'prefix', prefix: cp });
      lastPrefix = cp;
      continue;
    }
    if (entries.length >= max) return { entries, isTruncated: true };
    entries.push({ kind: 'item', item });
  }
  return { entries, isTruncated: false };
}

/** Objects with key > marker, sorted. */
export function objectsAfter(objects: Iterable<ObjectRecord>, marker: string): ObjectRecord[] {
  const out: ObjectRecord[] = [];
  for (const o of objects) if (marker === '' || compareUtf8(o.key, marker) > 0) out.push(o);
  return out.sort((a, b) => compareUtf8(a.key, b.key));
}

/**
 * Uploads after the markers, sorted by key then upload id (§4.7): without an upload-id
 * marker, keys > keyMarker; with it, also key == keyMarker and id > uploadIdMarker.
 */
export function uploadsAfter(
  uploads: Iterable<UploadRecord>,
  keyMarker: string,
  uploadIdMarker: string,
): UploadRecord[] {
  const out: UploadRecord[] = [];
  for (const u of uploads) {
    const c = keyMarker === '' ? 1 : compareUtf8(u.key, keyMarker);
    if (c > 0 || (c === 0 && uploadIdMarker !== '' && u.uploadId > uploadIdMarker)) out.push(u);
  }
  return out.sort(
    (a, b) =>
      compareUtf8(a.key, b.key) || (a.uploadId < b.uploadId ? -1 : a.uploadId > b.uploadId ? 1 : 0),
  );
}

/** ListParts page: parts with number > marker, ascending, at most `max`. */
export function partsPage(
  parts: Iterable<PartRecord>,
  marker: number,
  max: number,
): { parts: PartRecord[]; isTruncated: boolean } {
  const sorted = [...parts]
    .filter((p) => p.partNumber > marker)
    .sort((a, b) => a.partNumber - b.partNumber);
  return { parts: sorted.slice(0, max), isTruncated: sorted.length > max };
}
