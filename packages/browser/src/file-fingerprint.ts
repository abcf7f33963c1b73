/** The fields a `File` adds to a `Blob`; checked structurally so `Bun.file()` qualifies too. */
interface FileLike {
  readonly name: string;
  readonly lastModified: number;
}

function isFileLike(blob: Blob): blob is Blob & FileLike {
  const b = blob as Blob & Partial<FileLike>;
  return (
    typeof b.name === 'string' &&
    b.name !== '' &&
    typeof b.lastModified === 'number' &&
    Number.isFinite(b.lastModified)
  );
}

/**
 * Identifies a picked `File` for resume: its name, size and last-modified time. Picking the
 * same file again after a page reload gives the same fingerprint, so the upload resumes from
 * its checkpoint; a different file with the same name but another size or modification time
 * gets another fingerprint and starts afresh instead of resuming with the wrong bytes.
 *
 * Returns `undefined` for a plain `Blob` (no name, no date): such data cannot be recognised
 * after a reload. The format is the one `fromBlob()` of `@ossup/client` uses, so a fingerprint
 * computed here matches the one recorded in the upload's checkpoint (`checkpoint.source.fingerprint`).
 *
 * Browsers give the file's contents no identity cheaper than reading it all, so an edit that
 * keeps the size and the modification time is not noticed; the uploader's per-part CRC-64 and
 * the final CRC-64 check still catch bytes that differ from those already uploaded.
 *
 * @example
 * ```ts
 * // Tell the user a picked file can be resumed, before starting the upload.
 * const fingerprint = fileFingerprint(file);
 * if (fingerprint !== undefined) {
 *   const id = await checkpointId({ fingerprint, endpoint, bucket, key: file.name });
 *   const saved = await store.get(id); // defined: part of this very file is already uploaded
 * }
 * ```
 */
export function fileFingerprint(file: File | Blob): string | undefined {
  if (!isFileLike(file)) return undefined;
  // JSON keeps a name containing ':' or digits from colliding with another (name, size) pair.
  return `file:${JSON.stringify([file.name, file.size, file.lastModified])}`;
}
