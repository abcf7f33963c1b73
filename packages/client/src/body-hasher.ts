import { crc64 } from '@ossup/checksum/crc64';
import { loadOnDemand } from './load-on-demand.ts';

/** Which digests {@link BodyHasher.digest} should compute; at least one is asked for. */
export interface BodyDigestRequest {
  /** The CRC-64/XZ that OSS returns in `x-oss-hash-crc64ecma`. */
  readonly crc64?: boolean;
  /** The MD5, for a `Content-MD5` header. */
  readonly md5?: boolean;
}

/** The digests asked for in a {@link BodyDigestRequest}; the others are absent. */
export interface BodyDigest {
  /** CRC-64/XZ of the bytes. */
  readonly crc64?: bigint;
  /** MD5 of the bytes (16 bytes). */
  readonly md5?: Uint8Array;
}

/**
 * Computes the checksums `upload()` puts on and compares with each part. The uploader asks for
 * a part's MD5 before it sends the part (the header goes first) and for its CRC-64 while the
 * part is on the wire (it is only needed to check the answer), so a hasher that works off the
 * calling thread overlaps hashing with I/O.
 *
 * The default, {@link inlineHasher}, hashes on the calling thread. `@ossup/node`'s
 * `workerThreadHasher()` (the default of `createNodeClient`) hashes in worker threads.
 */
export interface BodyHasher {
  /**
   * Digests `bytes`. The uploader does not touch `bytes` until the promise settles, and the
   * hasher must not read them afterwards. Rejects only on an internal failure (a dead worker);
   * the upload then fails with that error as the cause.
   */
  digest(bytes: Uint8Array, request: BodyDigestRequest): Promise<BodyDigest>;
  /**
   * Allocates a zero-filled buffer of `size` bytes that {@link BodyHasher.digest} reads without
   * copying (a worker-thread hasher returns one on a `SharedArrayBuffer`). The uploader reads
   * parts (or, when parts stream, 2 MiB slices of them) into a few such buffers and reuses
   * them, so memory stays bounded. Optional: without it the uploader allocates plain arrays.
   *
   * @param uses - the digests that will be asked of bodies in this buffer, when known (a
   *   hasher that computes some of them on the calling thread may then return plain memory)
   */
  allocate?(size: number, uses?: BodyDigestRequest): Uint8Array;
  /**
   * How many MD5s this hasher computes together for less CPU time than one after another
   * (`workerThreadHasher` computes four in SIMD lanes). With `contentMd5`, the uploader then
   * reads and hashes up to this many parts ahead of those being sent (never more than
   * `parallel`), so that their MD5s are asked for together: more memory (up to this many
   * extra parts), less CPU. Optional: without it, or at 1, parts are read only when they can
   * be sent.
   */
  readonly md5Batch?: number;
}

/**
 * A {@link BodyHasher} that hashes on the calling thread: CRC-64 with `@ossup/checksum`
 * (WebAssembly, ~2 GB/s, or TypeScript where WebAssembly cannot run), MD5 with `node:crypto` where the runtime has it, else
 * hash-wasm. The default of `createClient`; in a browser, run uploads in a Web Worker to keep
 * hashing off the page's main thread.
 */
export function inlineHasher(): BodyHasher {
  return {
    async digest(bytes, request) {
      return {
        ...(request.crc64 ? { crc64: crc64(bytes) } : {}),
        // MD5 loads on first use (see on-demand.ts): most uploads never need it.
        ...(request.md5 ? { md5: await (await loadOnDemand()).md5(bytes) } : {}),
      };
    },
  };
}
