/** Options for {@link ByteSource.read}. */
export interface ByteSourceReadOptions {
  /** Aborts the read; it then rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * `true` when the caller reads the bytes right after this range next, as more of one body:
   * `upload()` streaming a part in slices sets it on every slice but the last. A source that
   * checks for changes after reading (`fromFile` does) may then leave its check to the read
   * that ends the body, whose check covers everything read before it, and the body is not
   * acknowledged before that read is done. Default: `false`.
   */
  continues?: boolean;
}

/**
 * Random-access bytes to upload. Ranges are half-open: `read(start, end)` returns exactly
 * `end - start` bytes from offset `start`, or rejects. Implementations never buffer the whole
 * source: `fromFile` reads positionally from one file handle, `fromBlob` slices, `fromBytes`
 * views the array.
 */
export interface ByteSource {
  /** Total size in bytes; `undefined` for a stream of unknown length. */
  readonly size: number | undefined;
  /**
   * Identity of the source for resume: absolute path + size + mtime for a file,
   * name + size + lastModified for a browser `File`. `undefined` when the source cannot be
   * recognised again later (bytes in memory, a stream), in which case no checkpoint is kept
   * across processes.
   */
  readonly fingerprint: string | undefined;
  /**
   * Optional: a finer identity that can change while the content does not (`fromFile`: the
   * file's change time and inode, which a `chmod` or a copy with preserved timestamps changes).
   * Stored in the checkpoint; when it differs on resume, the parts already uploaded are read
   * back and compared with the server's before they are kept (as with `verifyResumedParts`),
   * instead of being trusted or thrown away.
   */
  readonly identity?: string | undefined;
  /**
   * Optional: the media type of the bytes, when the source knows it (`fromBlob`: the Blob's or
   * File's `type`; `fromFile`: the type of the file name's extension). `upload()` sends it as the object's Content-Type unless `contentType` (or a
   * `content-type` in `headers`) is given.
   */
  readonly type?: string | undefined;
  /**
   * Reads `[start, end)`. For a source of known size the result holds exactly `end - start`
   * bytes. For a stream of unknown size (`size: undefined`), a read that reaches the end of
   * the data returns fewer bytes than asked, possibly none: that is how the end is found.
   */
  read(start: number, end: number, options?: ByteSourceReadOptions): Promise<Uint8Array>;
  /**
   * Optional: like {@link ByteSource.read}, but fills `target` from its index 0 instead of a
   * new array, and resolves with the filled part, `target.subarray(0, n)`. `target` holds at
   * least `end - start` bytes. The uploader reads parts through it into a few buffers that it
   * reuses, which saves allocating (and collecting) one array per part: `fromFile` has it.
   */
  readInto?(
    start: number,
    end: number,
    target: Uint8Array,
    options?: ByteSourceReadOptions,
  ): Promise<Uint8Array>;
  /**
   * Optional: rejects when the source changed since it was opened (`fromFile` compares the
   * file's size and modification time). `upload()` calls it after the last read, before the
   * object is made (CompleteMultipartUpload or the single PutObject), so a change between two
   * of the source's own periodic checks still fails the upload instead of storing a mix.
   */
  verifyUnchanged?(): Promise<void>;
  /** Releases resources (a file handle). Idempotent. */
  close?(): Promise<void>;
}
