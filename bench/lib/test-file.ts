// Source files for the upload benchmark: random bytes (incompressible, no repeated blocks),
// written once per run and deleted after it, with their CRC-64 to check what the server stored.

import { randomFillSync } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createCrc64 } from '@ossup/checksum';

/**
 * A RAM-backed directory (/dev/shm) when there is one: the source files are read from memory
 * like a warm page cache, and writing them does not queue gigabytes of writeback on the disk
 * the dev server fsyncs to. Else the system temp directory.
 */
export function ramDir(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

/** Writes `size` random bytes to `path`; resolves with their CRC-64/XZ. */
export async function writeRandomFile(path: string, size: number): Promise<bigint> {
  const chunk = Buffer.allocUnsafe(64 << 20);
  const crc = createCrc64();
  const fh = await open(path, 'wx', 0o600);
  try {
    for (let written = 0; written < size; ) {
      const n = Math.min(chunk.length, size - written);
      const piece = chunk.subarray(0, n);
      randomFillSync(piece);
      crc.update(piece);
      let off = 0;
      while (off < n) off += (await fh.write(piece, off, n - off, written + off)).bytesWritten;
      written += n;
    }
  } finally {
    await fh.close();
  }
  return crc.digest();
}
