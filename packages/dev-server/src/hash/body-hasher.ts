import { createHash, type Hash } from 'node:crypto';
import { type Crc64Hasher, createCrc64 } from '@ossup/checksum';

/** MD5 and CRC-64 of one body, computed in the same pass as the disk write. */
export interface BodyDigest {
  readonly size: number;
  /** Raw 16-byte MD5. */
  readonly md5: Buffer;
  /** CRC-64/XZ as unsigned bigint. */
  readonly crc64: bigint;
}

/**
 * Incremental MD5 + CRC-64 over the chunks of a body. MD5 comes from node:crypto (native,
 * synchronous: the checksum package's MD5 is async and meant for portable code).
 */
export class BodyHasher {
  private readonly md5: Hash = createHash('md5');
  private readonly crc: Crc64Hasher = createCrc64();
  private size = 0;

  update(chunk: Uint8Array): void {
    this.md5.update(chunk);
    this.crc.update(chunk);
    this.size += chunk.byteLength;
  }

  digest(): BodyDigest {
    return { size: this.size, md5: this.md5.digest(), crc64: this.crc.digest() };
  }
}
