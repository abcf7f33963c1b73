import type { ByteSource, ByteSourceReadOptions } from '../byte-source.ts';
import { checkRange, throwIfAborted } from './source-util.ts';

/** Options for {@link fromBlob}. */
export interface FromBlobOptions {
  /**
   * Identity of the blob for resume. Default: for a `File` (a browser file picker's result,
   * `Bun.file()`, Node's `File`), `name + size + lastModified`; for a plain `Blob`, `undefined`
   * (no checkpoint across processes). Pass your own when you can recognise the data again, e.g.
   * a content hash; an empty string counts as none.
   */
  fingerprint?: string;
}

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
 * The fingerprint {@link fromBlob} gives a `File`: name, size and last-modified time, so a file
 * picked again after a page reload is recognised, and an edited file (new size or time) is not.
 * Returns `undefined` for a plain `Blob`.
 */
export function blobFingerprint(blob: Blob): string | undefined {
  if (!isFileLike(blob)) return undefined;
  return `file:${JSON.stringify([blob.name, blob.size, blob.lastModified])}`;
}

/**
 * Uploads a `Blob` or `File`: a browser file picker's result, `Bun.file(path)`, Node's
 * `fs.openAsBlob(path)`, or any blob. Each part is read with `blob.slice(start, end)` when a
 * worker needs it, so the whole file is never in memory.
 *
 * A `File` gets a fingerprint (name + size + lastModified) and so can be resumed after a page
 * reload with a checkpoint store; a plain `Blob` cannot, unless you pass `fingerprint`.
 *
 * @example
 * const file = input.files[0];
 * await upload(client, { source: fromBlob(file), bucket, key: file.name, checkpoint: store });
 */
export function fromBlob(blob: Blob, options: FromBlobOptions = {}): ByteSource {
  if (typeof blob !== 'object' || blob === null || typeof blob.slice !== 'function') {
    throw new TypeError(
      `fromBlob() needs a Blob or File, got ${blob === null ? 'null' : typeof blob}.`,
    );
  }
  const size = blob.size;
  const fingerprint =
    options.fingerprint !== undefined && options.fingerprint !== ''
      ? options.fingerprint
      : blobFingerprint(blob);
  return {
    size,
    fingerprint,
    // A File's type is what the browser made of its extension; '' when it did not know.
    ...(blob.type !== '' ? { type: blob.type } : {}),
    async read(start: number, end: number, readOptions?: ByteSourceReadOptions) {
      const signal = readOptions?.signal;
      throwIfAborted(signal);
      checkRange(start, end, size);
      const buffer = await blob.slice(start, end).arrayBuffer();
      throwIfAborted(signal);
      if (buffer.byteLength !== end - start) {
        // A File whose underlying file shrank after it was picked reads short.
        throw new Error(
          `Reading bytes [${start}, ${end}) of the blob returned ${buffer.byteLength} bytes instead of ${end - start}; the file was probably changed or truncated while uploading. Upload it again.`,
        );
      }
      return new Uint8Array(buffer);
    },
  };
}
