import type { createWasmCrc64Kernel } from '@ossup/checksum';

/** The slice of `node:worker_threads`' `parentPort` the hashing worker uses. */
export interface HashWorkerPort {
  on(event: 'message', listener: (message: HashJob) => void): unknown;
  postMessage(message: HashReply): void;
}

/** The slice of `node:crypto` the hashing worker uses. */
export type HashWorkerCrypto = (algorithm: 'md5') => {
  update(data: Uint8Array): unknown;
  digest(): Uint8Array;
};

/** main → worker: hash `length` bytes at `offset` of shared memory. */
export interface HashJob {
  readonly id: number;
  readonly buffer: SharedArrayBuffer;
  readonly offset: number;
  readonly length: number;
  readonly crc64: boolean;
  readonly md5: boolean;
}

/** worker → main: the digests (the CRC as two 32-bit halves), or why there are none. */
export type HashReply =
  | { readonly id: number; readonly lo: number; readonly hi: number; readonly md5?: Uint8Array }
  | { readonly id: number; readonly error: string };

/**
 * Body of the hashing worker thread. It runs from source text (`String(hashWorkerMain)`,
 * evaluated as the worker's script), because a worker file of its own could not be found
 * from TypeScript sources under test, from the built package and from a one-file CLI bundle
 * alike. So it must be self-contained: no imports, no module-level names, nothing but its
 * parameters and language built-ins, and no nested named functions or `const f = () =>`
 * (transpilers may wrap those in a naming helper that does not exist in the worker).
 *
 * The CRC-64 comes from `@ossup/checksum`'s WebAssembly kernel, passed in as its (equally
 * self-contained) factory. Where that kernel cannot start, CRC jobs answer
 * `{ error: 'no-crc64-kernel' }` and the caller hashes them itself.
 */
export function hashWorkerMain(
  port: HashWorkerPort,
  createHash: HashWorkerCrypto,
  createCrc64Kernel: typeof createWasmCrc64Kernel,
): void {
  const kernel = createCrc64Kernel();
  // The running CRC, inverted (init and xorout are all ones), as [low, high] halves.
  const register = new Int32Array(2);

  port.on('message', (job: HashJob) => {
    try {
      const bytes = new Uint8Array(job.buffer, job.offset, job.length);
      register[0] = -1;
      register[1] = -1;
      if (job.crc64) {
        if (kernel === undefined) {
          port.postMessage({ id: job.id, error: 'no-crc64-kernel' });
          return;
        }
        kernel(bytes, register);
      }
      let md5: Uint8Array | undefined;
      if (job.md5) {
        const hash = createHash('md5');
        hash.update(bytes);
        md5 = new Uint8Array(hash.digest());
      }
      port.postMessage({ id: job.id, lo: ~register[0]! >>> 0, hi: ~register[1]! >>> 0, md5 });
    } catch (error) {
      port.postMessage({
        id: job.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  });
}
