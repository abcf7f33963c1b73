import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  type BodyDigest,
  type BodyDigestRequest,
  type BodyHasher,
  inlineHasher,
} from '@ossup/client';
import {
  crc64KernelFor,
  type HashJob,
  type HashReply,
  hashWorkerMain,
} from './hash-worker-main.ts';

/** Options for {@link workerThreadHasher}. */
export interface WorkerThreadHasherOptions {
  /**
   * Worker threads to hash on, started on first use. Default: the number of cores, at most
   * 4: a part's MD5 and CRC-64 go to different threads, so two keep up with one upload, and
   * more help several uploads at once.
   */
  threads?: number;
  /**
   * Bodies smaller than this many bytes are hashed on the calling thread, where they cost
   * less than the round trip to a worker. Default `262144` (256 KiB).
   */
  inlineBelow?: number;
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
  readonly resolve: (digest: BodyDigest) => void;
  readonly reject: (error: Error) => void;
}

interface HashThread {
  readonly worker: Worker;
  readonly jobs: Map<number, PendingJob>;
}

// The worker's script: the self-contained function's source, called with what it needs from
// Node (an evaluated worker is CommonJS, so `require` is there).
const WORKER_SOURCE = `(${String(hashWorkerMain)})(require('node:worker_threads').parentPort, require('node:crypto').createHash, ${String(crc64KernelFor)});`;

/**
 * A {@link BodyHasher} that computes CRC-64 and MD5 in worker threads, so the event loop keeps
 * sending while parts are hashed: `upload()` asks for a part's MD5 before sending it and for
 * its CRC-64 while it is on the wire, and the two run on different threads. The buffers it
 * {@link BodyHasher.allocate | allocates} live on a `SharedArrayBuffer`, which the workers
 * read in place; other bodies are copied into shared memory first (about a tenth of the cost
 * of hashing them). `createNodeClient` uses one by default.
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
  const inline = inlineHasher();
  const threads: HashThread[] = [];
  let nextId = 1;
  let unavailable = false;

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
      if ('error' in reply) {
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

  /** The thread with the fewest jobs, starting another while there are fewer than wanted. */
  const pick = (): HashThread | undefined => {
    const idle = threads.find((t) => t.jobs.size === 0);
    if (idle !== undefined) return idle;
    if (threads.length < threadCount && !unavailable) {
      const started = spawn();
      if (started !== undefined) return started;
    }
    if (threads.length === 0) return undefined;
    return threads.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
  };

  return {
    allocate(size) {
      return new Uint8Array(new SharedArrayBuffer(size));
    },

    digest(bytes: Uint8Array, request: BodyDigestRequest): Promise<BodyDigest> {
      if (bytes.length < inlineBelow || (!request.crc64 && !request.md5)) {
        return inline.digest(bytes, request);
      }
      const thread = pick();
      if (thread === undefined) return inline.digest(bytes, request);
      let shared = bytes;
      if (!(bytes.buffer instanceof SharedArrayBuffer)) {
        shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
        shared.set(bytes);
      }
      const id = nextId++;
      return new Promise<BodyDigest>((resolve, reject) => {
        const crc64Wanted = request.crc64 === true;
        thread.jobs.set(id, {
          resolve: (d) => resolve(crc64Wanted ? d : { md5: d.md5 }),
          reject,
        });
        if (thread.jobs.size === 1) thread.worker.ref();
        const job: HashJob = {
          id,
          buffer: shared.buffer as SharedArrayBuffer,
          offset: shared.byteOffset,
          length: shared.length,
          crc64: crc64Wanted,
          md5: request.md5 === true,
        };
        thread.worker.postMessage(job);
      });
    },

    async close() {
      const all = threads.splice(0);
      await Promise.all(all.map((t) => t.worker.terminate()));
    },
  };
}
