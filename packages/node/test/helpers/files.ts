import { createHash, randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { createCrc64 } from '@ossup/checksum';

/** Writes `size` random bytes to `path` in 1 MiB blocks; returns the file's CRC-64 and SHA-256. */
export async function writeRandomFile(
  path: string,
  size: number,
): Promise<{ crc64: bigint; sha256: string }> {
  const crc = createCrc64();
  const sha = createHash('sha256');
  const handle = await open(path, 'w');
  try {
    for (let off = 0; off < size; off += 1 << 20) {
      const block = randomBytes(Math.min(1 << 20, size - off));
      crc.update(block);
      sha.update(block);
      await handle.write(block);
    }
  } finally {
    await handle.close();
  }
  return { crc64: crc.digest(), sha256: sha.digest('hex') };
}

/** Reads a whole web stream, hashing it; returns byte count, CRC-64 and SHA-256. */
export async function digestStream(
  body: ReadableStream<Uint8Array>,
): Promise<{ size: number; crc64: bigint; sha256: string }> {
  const crc = createCrc64();
  const sha = createHash('sha256');
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    crc.update(value);
    sha.update(value);
  }
  return { size, crc64: crc.digest(), sha256: sha.digest('hex') };
}
