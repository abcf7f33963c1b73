import { constants, type Stats } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ByteSource, ByteSourceReadOptions } from '@ossup/client';
import { contentTypeForName } from '@ossup/client/content-types';
import { errnoCode, FileSourceError, fileOpenError, notAFile } from './file-source-error.ts';

/** Options for {@link fromFile}. */
export interface FromFileOptions {
  /**
   * Re-check the file's size, modification and change time (one `fstat` on the open handle) after
   * every `checkEvery`-th read, so an upload of a file that is being written to fails instead
   * of storing a mix of old and new bytes. `1` checks after every read, which costs one
   * `fstat` per part and makes every returned byte verified; `0` turns the periodic check
   * off, leaving only {@link FileSource.verifyUnchanged}. Reads marked `continues` (the
   * slices of a part that `upload()` streams, but its last) are not counted and not checked:
   * the check after the part's last slice covers them. Default: `1`.
   */
  checkEvery?: number;
  /**
   * The media type the source reports ({@link FileSource.type}), which `upload()` sends as the
   * object's Content-Type unless it is given one. Default: the type of the file name's
   * extension for common types (`report.pdf` → `application/pdf`, from
   * `@ossup/client/content-types`), else none, and `upload()` then looks at the key's
   * extension. `''` reports none.
   */
  type?: string;
}

/**
 * A regular file opened for upload: a {@link ByteSource} that reads `[start, end)` with
 * positional reads on one file handle, never holding more than the requested range in
 * memory. Close it when done: `upload()` does not, since the caller may still need it.
 */
export interface FileSource extends ByteSource {
  /** Size in bytes when the file was opened. */
  readonly size: number;
  /**
   * `<absolute path>:<size>:<mtime in whole ms>`: the same file, unchanged, gives the same
   * fingerprint in the next process (and runtime), so an interrupted upload resumes; an
   * edited file gives another, so a stale checkpoint is never used for it.
   */
  readonly fingerprint: string;
  /**
   * `<ctime in whole ms>:<inode>`. A modification time can be set back (`cp -p`, `rsync -t`,
   * `touch -r`, a backup restore); the change time and inode cannot: any write, `utimes` or
   * replacement changes one of them. When it differs from the checkpoint's on resume, the
   * uploaded parts are read back and compared before they are kept, so a file put back with
   * its old timestamps is never mixed in, and a mere `chmod` costs a read, not the upload.
   */
  readonly identity: string;
  /**
   * The file's media type: {@link FromFileOptions.type}, by default from the file name's
   * extension; `undefined` when not known.
   */
  readonly type: string | undefined;
  /** Absolute path of the file. */
  readonly path: string;
  /** Modification time (ms since the epoch) when the file was opened. */
  readonly mtimeMs: number;
  /**
   * Reads exactly `end - start` bytes from `start` into a fresh `Uint8Array`.
   * Rejects with a {@link FileSourceError}: `changed` when the file was modified since it
   * was opened (or is now shorter than the range), `closed` after {@link FileSource.close};
   * with the signal's reason when aborted; with a `RangeError` for a range outside the file.
   */
  read(start: number, end: number, options?: ByteSourceReadOptions): Promise<Uint8Array>;
  /**
   * Like {@link FileSource.read}, but into `target` (from its index 0), resolving with
   * `target.subarray(0, end - start)`; the uploader reuses its part buffers through it.
   * @throws RangeError as `read` does, and when `target` is shorter than `end - start`.
   */
  readInto(
    start: number,
    end: number,
    target: Uint8Array,
    options?: ByteSourceReadOptions,
  ): Promise<Uint8Array>;
  /**
   * Re-checks the open file against the size, mtime and ctime it had when opened, and rejects
   * with a {@link FileSourceError} of kind `changed` if any differs. `upload()` calls it after
   * the last read, before the object is made.
   */
  verifyUnchanged(): Promise<void>;
  /** Closes the file handle. Idempotent; reads after it reject with kind `closed`. */
  close(): Promise<void>;
}

// One read(2) is limited to INT32_MAX bytes; parts may be up to 5 GiB, so large ranges are
// read in slices of this size into the one destination array.
const MAX_SINGLE_READ = 1 << 30;

// O_NONBLOCK keeps open() from hanging on a FIFO that slipped past the stat check; it has
// no effect on regular files. Windows has no such flag.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function describeKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * Opens a regular file as an upload source.
 *
 * The file is opened once; every `read` is a positional read on that handle into a new
 * array of exactly the requested length, so memory stays bounded by what the uploader has
 * in flight, whatever the file size. The fingerprint (absolute path, size, mtime) lets a
 * checkpoint store recognise the file after a crash; the identity (change time, inode) tells
 * whether its parts must be read back before they are trusted.
 *
 * Change detection: the size and mtime seen at open are compared with an `fstat` of the
 * handle after reads (see {@link FromFileOptions.checkEvery}) and by
 * {@link FileSource.verifyUnchanged}; a difference fails the read with a
 * {@link FileSourceError} of kind `changed`. A file replaced by rename (as editors save) is
 * not a change for the open handle: it keeps reading the file that was opened, so the
 * upload is still consistent; the next run sees a new fingerprint.
 *
 * @param path - path of the file; relative paths resolve against the current directory.
 * @throws {@link FileSourceError} of kind `not-found`, `not-a-file`, `permission-denied` or `io`.
 *
 * @example
 * ```ts
 * const source = await fromFile('backup.tar');
 * try {
 *   const head = await source.read(0, 512);
 * } finally {
 *   await source.close();
 * }
 * ```
 */
export async function fromFile(path: string, options: FromFileOptions = {}): Promise<FileSource> {
  const checkEvery = options.checkEvery ?? 1;
  if (!Number.isSafeInteger(checkEvery) || checkEvery < 0) {
    throw new RangeError(
      `fromFile: checkEvery must be a non-negative integer (0 = never, 1 = after every read), got ${checkEvery}`,
    );
  }
  if (options.type !== undefined && typeof options.type !== 'string') {
    throw new TypeError(`fromFile: type must be a string (a media type, or '' for none)`);
  }
  const cwd = process.cwd();
  const absolute = resolve(cwd, path);
  const type =
    options.type === undefined ? contentTypeForName(absolute) : options.type || undefined;

  // stat before open: opening a FIFO would block, and a directory opens fine on Linux.
  let before: Stats;
  try {
    before = await stat(absolute);
  } catch (err) {
    throw fileOpenError(err, absolute, cwd);
  }
  if (!before.isFile()) throw notAFile(absolute, describeKind(before));

  let handle: FileHandle;
  try {
    handle = await open(absolute, OPEN_FLAGS);
  } catch (err) {
    throw fileOpenError(err, absolute, cwd);
  }
  let opened: Opened;
  try {
    // The handle's own stat is the reference: the path could have been swapped in between.
    const st = await handle.stat({ bigint: true });
    if (!st.isFile()) throw notAFile(absolute, 'not a regular file');
    opened = {
      size: st.size,
      mtimeNs: st.mtimeNs,
      mtimeMs: Number(st.mtimeMs),
      ctimeMs: Number(st.ctimeMs),
      ctimeNs: st.ctimeNs,
      ino: st.ino,
    };
  } catch (err) {
    await handle.close().catch(() => {});
    throw err instanceof FileSourceError ? err : fileOpenError(err, absolute, cwd);
  }
  return new NodeFileSource(absolute, handle, opened, checkEvery, type);
}

/** The open file's identity and state, from `fstat` on the handle. */
interface Opened {
  size: bigint;
  mtimeNs: bigint;
  mtimeMs: number;
  ctimeMs: number;
  ctimeNs: bigint;
  ino: bigint;
}

class NodeFileSource implements FileSource {
  readonly size: number;
  readonly fingerprint: string;
  readonly identity: string;
  readonly type: string | undefined;
  readonly path: string;
  readonly mtimeMs: number;
  readonly #handle: FileHandle;
  readonly #opened: Opened;
  readonly #checkEvery: number;
  #reads = 0;
  #closed = false;

  constructor(
    path: string,
    handle: FileHandle,
    opened: Opened,
    checkEvery: number,
    type: string | undefined,
  ) {
    this.path = path;
    this.type = type;
    this.#handle = handle;
    this.#opened = opened;
    this.#checkEvery = checkEvery;
    this.size = Number(opened.size);
    this.mtimeMs = opened.mtimeMs;
    this.fingerprint = `${path}:${this.size}:${Math.trunc(opened.mtimeMs)}`;
    this.identity = `${Math.trunc(opened.ctimeMs)}:${opened.ino}`;
  }

  async read(start: number, end: number, options?: ByteSourceReadOptions): Promise<Uint8Array> {
    // Checked here too, so a bad range is reported before trying to allocate its length.
    this.#checkRange(start, end);
    return this.readInto(start, end, new Uint8Array(end - start), options);
  }

  async readInto(
    start: number,
    end: number,
    target: Uint8Array,
    options?: ByteSourceReadOptions,
  ): Promise<Uint8Array> {
    const signal = options?.signal;
    signal?.throwIfAborted();
    this.#checkRange(start, end);
    if (!(target instanceof Uint8Array) || target.length < end - start) {
      throw new RangeError(
        `fromFile: readInto(${start}, ${end}) needs a Uint8Array of at least ${end - start} bytes, got ${target instanceof Uint8Array ? `${target.length} bytes` : typeof target}`,
      );
    }
    this.#assertOpen();
    const out = target.subarray(0, end - start);
    let filled = 0;
    while (filled < out.length) {
      const length = Math.min(out.length - filled, MAX_SINGLE_READ);
      let bytesRead: number;
      try {
        ({ bytesRead } = await this.#handle.read(out, filled, length, start + filled));
      } catch (err) {
        throw this.#ioError(err);
      }
      if (bytesRead === 0) {
        throw this.#changed(
          `${this.path} ended at byte ${start + filled}, before the ${this.size} bytes it had when opened`,
        );
      }
      filled += bytesRead;
      // A positional read cannot be interrupted; the signal is honoured between slices.
      signal?.throwIfAborted();
    }
    // A read that continues a body leaves the check to the read that ends it (one fstat per
    // part, not per slice): that check proves the file unchanged since it was opened, so it
    // covers every byte read before it.
    if (options?.continues !== true) {
      this.#reads++;
      if (this.#checkEvery > 0 && this.#reads % this.#checkEvery === 0)
        await this.verifyUnchanged();
    }
    signal?.throwIfAborted();
    return out;
  }

  #checkRange(start: number, end: number): void {
    if (
      !Number.isSafeInteger(start) ||
      !Number.isSafeInteger(end) ||
      start < 0 ||
      end < start ||
      end > this.size
    ) {
      throw new RangeError(
        `fromFile: read(${start}, ${end}) is outside ${this.path} (size ${this.size}); ranges are half-open [start, end) with 0 <= start <= end <= size`,
      );
    }
  }

  async verifyUnchanged(): Promise<void> {
    this.#assertOpen();
    let now: { size: bigint; mtimeNs: bigint; ctimeNs: bigint };
    try {
      now = await this.#handle.stat({ bigint: true });
    } catch (err) {
      throw this.#ioError(err);
    }
    if (now.size !== this.#opened.size) {
      throw this.#changed(
        `${this.path} changed while it was being uploaded: its size went from ${this.#opened.size} to ${now.size} bytes`,
      );
    }
    if (now.mtimeNs !== this.#opened.mtimeNs) {
      throw this.#changed(
        `${this.path} changed while it was being uploaded: it was modified at ${new Date(Number(now.mtimeNs / 1_000_000n)).toISOString()}`,
      );
    }
    // An in-place rewrite that puts the old mtime back (`rsync -t --inplace`, `touch -r`)
    // still moves the change time. So does a chmod: failing on it is the safe side, and the
    // next run resumes after reading the parts back.
    if (now.ctimeNs !== this.#opened.ctimeNs) {
      throw this.#changed(
        `${this.path} changed while it was being uploaded: its metadata or content changed at ${new Date(Number(now.ctimeNs / 1_000_000n)).toISOString()}`,
      );
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // FileHandle.close waits for reads in flight to finish before releasing the descriptor.
    await this.#handle.close();
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new FileSourceError(
        'closed',
        this.path,
        `fromFile: ${this.path} was closed; open it again with fromFile() to read from it.`,
      );
    }
  }

  #changed(what: string): FileSourceError {
    return new FileSourceError(
      'changed',
      this.path,
      `${what}. Uploading it would store a mix of old and new bytes, so the upload stops. Wait until nothing writes to the file (or upload a copy), then upload again.`,
    );
  }

  #ioError(err: unknown): FileSourceError {
    if (this.#closed) {
      return new FileSourceError(
        'closed',
        this.path,
        `fromFile: ${this.path} was closed during a read; open it again with fromFile() to read from it.`,
        { cause: err },
      );
    }
    const code = errnoCode(err);
    return new FileSourceError(
      'io',
      this.path,
      `Reading ${this.path} failed (${code ?? String(err)}). Check the disk and try again; the upload can resume from its checkpoint.`,
      { ...(code === undefined ? {} : { code }), cause: err },
    );
  }
}
