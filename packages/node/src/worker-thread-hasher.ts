import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createCrc64, createMd5Lanes, createWasmCrc64Kernel } from '@ossup/checksum';
import {
  type BodyDigest,
  type BodyDigestRequest,
  type BodyHasher,
  inlineHasher,
} from '@ossup/client';
import { type HashJob, type HashReply, hashWorkerMain } from './hash-worker-main.ts';
import { SharedBufferPool } from './shared-buffer-pool.ts';

/** Options for {@link workerThreadHasher}. */
export interface WorkerThreadHasherOptions {
  /**
   * Most worker threads to hash on, started on first use. CRC-64s (computed while a part is
   * on the wire) use one; MD5s (which a part waits for before it is sent) go four at a time to
   * one thread, which hashes them together in SIMD lanes, and start another thread when those
   * are taken, up to this number. Default: the number of cores, at most 4.
   */
  threads?: number;
  /**
   * Bodies smaller than this many bytes are hashed on the calling thread, where they cost
   * less than the round trip to a worker. Default `262144` (256 KiB).
   */
  inlineBelow?: number;
  /**
   * Compute CRC-64s (when no MD5 of the same body is asked for) on the calling thread instead
   * of a worker, 1 MiB at a time with the event loop free in between (each step about
   * 0.5 ms with `@ossup/checksum`'s WebAssembly kernel).
   *
   * Default: `true` on machines with 2 cores or fewer, where a worker thread has no core of
   * its own: there, uploading 8 MiB parts to a local sink measured as fast this way as with
   * a worker, and about 10 MiB leaner (a worker thread's memory). `false` on larger
   * machines, where the worker keeps about 0.45 CPU seconds per GB off the event loop.
   */
  crc64OnCallingThread?: boolean;
}

/** A {@link BodyHasher} on worker threads, with a way to stop them. */
export interface WorkerThreadHasher extends BodyHasher {
  /**
   * Stops the worker threads. Optional: idle workers never keep the process alive. Digests
   * still running reject; later ones start new workers.
   */
  close(): Promise<void>;
}

interface PendingJob {
  /** Hashes the job on this thread instead (when the worker cannot compute a CRC-64). */
  readonly inline: () => void;
  readonly resolve: (digest: BodyDigest) => void;
  readonly reject: (error: Error) => void;
}

interface HashThread {
  readonly worker: Worker;
  readonly jobs: Map<number, PendingJob>;
}

// The worker's script: the self-contained function's source, called with what it needs from
// Node. Loaded with import(), not require: an evaluated worker is CommonJS, unless the process
// runs with --input-type=module, which workers inherit. Jobs posted before the imports finish
// wait in the port's queue.
const WORKER_SOURCE = `Promise.all([import('node:worker_threads'), import('node:crypto')]).then(([threads, crypto]) => (${String(hashWorkerMain)})(threads.parentPort, crypto.createHash, ${String(createWasmCrc64Kernel)}, ${String(createMd5Lanes)}, { setImmediate, setTimeout, now: () => performance.now() }));`;

/**
 * A {@link BodyHasher} that computes MD5 and CRC-64 in worker threads, so the event loop keeps
 * sending while parts are hashed: `upload()` asks for a part's CRC-64 while the part is on the
 * wire (or, with `contentMd5`, for its MD5 before sending it). CRC-64 uses the WebAssembly
 * kernel of `@ossup/checksum`. MD5s asked for at about the same time share the 4-lane
 * WebAssembly SIMD MD5 of `@ossup/checksum` (`createMd5Lanes`) on one thread, four in about the
 * CPU time of 1.6; a lone one uses `node:crypto`. Its `md5Batch` of 4 tells `upload()` to hash
 * parts ahead so that their MD5s come together. On machines with 2 cores or fewer, CRC-64s run
 * on the calling thread in short steps instead (see
 * {@link WorkerThreadHasherOptions.crc64OnCallingThread}), so a default upload there starts no
 * worker at all. Buffers for bodies a worker reads are
 * {@link BodyHasher.allocate | allocated} on a `SharedArrayBuffer`, which the workers read in
 * place; other bodies are copied into shared memory first (about a tenth of the cost of
 * hashing them). Those shared buffers are reused once dropped, because a worker thread keeps
 * every one it has read alive until its own, seldom, garbage collection.
 * `createNodeClient` uses one by default.
 *
 * Workers start on first use and hold the process open only while they have work. Where
 * worker threads cannot start, it hashes on the calling thread instead.
 *
 * @example
 * ```ts
 * const client = createClient({ endpoint, credentials, hasher: workerThreadHasher({ threads: 2 }) });
 * ```
 */
export function workerThreadHasher(options: WorkerThreadHasherOptions = {}): WorkerThreadHasher {
  const threadCount = options.threads ?? Math.max(1, Math.min(4, availableParallelism()));
  if (!Number.isSafeInteger(threadCount) || threadCount < 1) {
    throw new RangeError(
      `workerThreadHasher: threads must be a whole number of at least 1, got ${threadCount}`,
    );
  }
  const inlineBelow = options.inlineBelow ?? 256 * 1024;
  if (!(inlineBelow >= 0)) {
    throw new RangeError(
      `workerThreadHasher: inlineBelow must be a number of bytes >= 0, got ${inlineBelow}`,
    );
  }
  const crc64OnCallingThread = options.crc64OnCallingThread ?? availableParallelism() <= 2;
  const inline = inlineHasher();
  const shared = new SharedBufferPool(MAX_POOLED_BYTES);
  const threads: HashThread[] = [];
  let nextId = 1;
  let unavailable = false;
  let noCrc64Kernel = false;

  const spawn = (): HashThread | undefined => {
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true });
    } catch {
      unavailable = true;
      return undefined;
    }
    worker.unref();
    const thread: HashThread = { worker, jobs: new Map() };
    worker.on('message', (reply: HashReply) => {
      const job = thread.jobs.get(reply.id);
      if (job === undefined) return;
      thread.jobs.delete(reply.id);
      if (thread.jobs.size === 0) worker.unref();
      if ('error' in reply && reply.error === 'no-crc64-kernel') {
        // WebAssembly cannot run here (e.g. --jitless): CRC-64s are hashed on this thread
        // from now on (@ossup/checksum falls back to its TypeScript kernel).
        noCrc64Kernel = true;
        job.inline();
      } else if ('error' in reply) {
        job.reject(new Error(`Hashing failed in a worker thread: ${reply.error}`));
      } else {
        job.resolve({
          crc64: (BigInt(reply.hi) << 32n) | BigInt(reply.lo),
          ...(reply.md5 === undefined ? {} : { md5: reply.md5 }),
        });
      }
    });
    const fail = (error: Error) => {
      const at = threads.indexOf(thread);
      if (at >= 0) threads.splice(at, 1);
      for (const job of thread.jobs.values()) job.reject(error);
      thread.jobs.clear();
    };
    worker.on('error', (error) =>
      fail(new Error(`A hashing worker thread failed: ${error.message}`, { cause: error })),
    );
    worker.on('exit', (code) => fail(new Error(`A hashing worker thread exited (code ${code})`)));
    threads.push(thread);
    return thread;
  };

  /**
   * The thread for a job: for an MD5, where the lanes run, the busiest thread with a lane free;
   * else an idle one, else a new one while there are fewer than wanted, else
   * the one with the fewest jobs. Only jobs that hold up a send (MD5s: the part waits for its
   * Content-MD5) start a second thread and more: a CRC-64 runs while its part is on the wire,
   * and one thread computes those faster than a network carries the parts (~2 GB/s), so a
   * CRC-only upload costs one thread's memory (~10 MiB) and never contends for more cores.
   */
  const pick = (urgent: boolean): HashThread | undefined => {
    if (urgent && md5LanesRun()) {
      // MD5s are packed onto the busiest thread with a lane free, so that they overlap there
      // and share its SIMD lanes (see hashWorkerMain) instead of each taking a thread.
      let packed: HashThread | undefined;
      for (const t of threads) {
        if (
          t.jobs.size > 0 &&
          t.jobs.size < MD5_LANES &&
          (packed === undefined || t.jobs.size > packed.jobs.size)
        )
          packed = t;
      }
      if (packed !== undefined) return packed;
    }
    const idle = threads.find((t) => t.jobs.size === 0);
    if (idle !== undefined) return idle;
    if (threads.length < threadCount && !unavailable && (urgent || threads.length === 0)) {
      const started = spawn();
      if (started !== undefined) return started;
    }
    if (threads.length === 0) return undefined;
    return threads.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
  };

  return {
    get md5Batch() {
      return !unavailable && md5LanesRun() ? MD5_LANES : 1;
    },

    allocate(size, uses) {
      // Shared memory only for bodies a worker will read: a CRC-64 computed here reads plain
      // memory faster (copying out of a SharedArrayBuffer into the WebAssembly kernel is
      // slower, ~1.9 instead of ~2.3 GB/s).
      if (uses !== undefined && !uses.md5 && crc64OnCallingThread) return new Uint8Array(size);
      return shared.view(size);
    },

    digest(bytes: Uint8Array, request: BodyDigestRequest): Promise<BodyDigest> {
      if (request.crc64 && !request.md5 && crc64OnCallingThread && bytes.length >= inlineBelow) {
        return crc64InSteps(bytes);
      }
      if (
        bytes.length < inlineBelow ||
        (!request.crc64 && !request.md5) ||
        (request.crc64 && noCrc64Kernel)
      ) {
        return inline.digest(bytes, request);
      }
      const thread = pick(request.md5 === true);
      if (thread === undefined) return inline.digest(bytes, request);
      let body = bytes;
      let copy: SharedArrayBuffer | undefined;
      if (!(bytes.buffer instanceof SharedArrayBuffer)) {
        // Rounded up to whole MiB, so that copies of bodies of different sizes reuse buffers.
        copy = shared.take(Math.ceil(bytes.length / COPY_UNIT) * COPY_UNIT || COPY_UNIT);
        body = new Uint8Array(copy, 0, bytes.length);
        body.set(bytes);
      }
      const id = nextId++;
      const digest = new Promise<BodyDigest>((resolve, reject) => {
        const crc64Wanted = request.crc64 === true;
        thread.jobs.set(id, {
          inline: () => inline.digest(bytes, request).then(resolve, reject),
          resolve: (d) => resolve(crc64Wanted ? d : { md5: d.md5 }),
          reject,
        });
        if (thread.jobs.size === 1) thread.worker.ref();
        const job: HashJob = {
          id,
          buffer: body.buffer as SharedArrayBuffer,
          offset: body.byteOffset,
          length: body.length,
          crc64: crc64Wanted,
          md5: request.md5 === true,
        };
        thread.worker.postMessage(job);
      });
      if (copy === undefined) return digest;
      // The copy is ours: once the job has settled (the worker reads it no more), reuse it.
      const done = copy;
      return digest.finally(() => shared.give(done));
    },

    async close() {
      const all = threads.splice(0);
      await Promise.all(all.map((t) => t.worker.terminate()));
    },
  };
}

/** Copies of bodies not in shared memory are made in buffers of whole multiples of this. */
const COPY_UNIT = 1024 * 1024;

/** Most bytes of shared buffers kept for reuse (see shared-buffer-pool.ts). */
const MAX_POOLED_BYTES = 256 * 1024 * 1024;

/** MD5s one worker hashes together (`createMd5Lanes` has four lanes). */
const MD5_LANES = 4;

let lanesProbe: boolean | undefined;

/** Whether the 4-lane SIMD MD5 runs here (and so in the workers, which share the runtime). */
function md5LanesRun(): boolean {
  lanesProbe ??= createMd5Lanes() !== undefined;
  return lanesProbe;
}

/** Bytes of CRC-64 computed per turn of the event loop by {@link crc64InSteps}. */
const CRC64_STEP = 1024 * 1024;

/**
 * The CRC-64 of `bytes`, a step at a time, yielding to the event loop between steps so that
 * sockets, timers and other uploads are served while a large part is hashed.
 */
async function crc64InSteps(bytes: Uint8Array): Promise<BodyDigest> {
  const crc = createCrc64();
  for (let at = 0; at < bytes.length; at += CRC64_STEP) {
    if (at > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    crc.update(bytes.subarray(at, at + CRC64_STEP));
  }
  return { crc64: crc.digest() };
}
