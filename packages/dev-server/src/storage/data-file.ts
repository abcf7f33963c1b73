import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, unlinkQuiet } from './fs-util.ts';

/** A fresh data file id: 32 lower-case hex characters. */
export function newDataId(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Writes one data file. Bytes go to `<id>.tmp`; `commit()` fsyncs, renames the file to `<id>`
 * and fsyncs the directory, so a file named `<id>` is always complete and durable. Nothing
 * refers to the file until the caller commits metadata that names it.
 */
export class DataFileWriter {
  private closed = false;

  private constructor(
    readonly dir: string,
    readonly id: string,
    private readonly fh: FileHandle,
  ) {}

  static async create(dir: string): Promise<DataFileWriter> {
    const id = newDataId();
    const fh = await open(join(dir, `${id}.tmp`), 'wx', 0o600);
    return new DataFileWriter(dir, id, fh);
  }

  /** Path of the file being written (for a hashing worker writing on our behalf). */
  get tmpPath(): string {
    return join(this.dir, `${this.id}.tmp`);
  }

  /** Appends the buffers in order with one vectored write (no concatenation copy). */
  async write(chunks: readonly Uint8Array[]): Promise<void> {
    let total = 0;
    for (const c of chunks) total += c.byteLength;
    let written = 0;
    let list = chunks as Uint8Array[];
    while (written < total) {
      const { bytesWritten } = await this.fh.writev(list);
      written += bytesWritten;
      if (written < total) list = remaining(chunks, written);
    }
  }

  /** Makes the file durable under its final name. */
  async commit(): Promise<void> {
    // fdatasync: flushes the bytes and the size; the timestamps it skips are not needed.
    await this.fh.datasync();
    await this.fh.close();
    this.closed = true;
    await rename(join(this.dir, `${this.id}.tmp`), join(this.dir, this.id));
    await fsyncDir(this.dir);
  }

  /** Throws the partial file away. Safe to call after a failed commit or twice. */
  async discard(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.fh.close().catch(() => {});
    }
    await unlinkQuiet(join(this.dir, `${this.id}.tmp`)).catch(() => {});
    await unlinkQuiet(join(this.dir, this.id)).catch(() => {});
  }
}

function remaining(chunks: readonly Uint8Array[], skip: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let s = skip;
  for (const c of chunks) {
    if (s >= c.byteLength) {
      s -= c.byteLength;
      continue;
    }
    out.push(s > 0 ? c.subarray(s) : c);
    s = 0;
  }
  return out;
}
