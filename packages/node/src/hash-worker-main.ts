import type { createMd5Lanes, createWasmCrc64Kernel, Md5LaneHasher } from '@ossup/checksum';

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

/** Timers and the clock the hashing worker uses (the host's, passed in like everything else). */
export interface HashWorkerTimers {
  setImmediate(callback: () => void): unknown;
  setTimeout(callback: () => void, ms: number): unknown;
  /** Milliseconds from any fixed origin, e.g. `performance.now()`. */
  now(): number;
}

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
 *
 * MD5s are hashed together where they can be: `@ossup/checksum`'s 4-lane SIMD MD5
 * (`createMd5Lanes`, passed in the same way) hashes four parts in about the CPU time
 * node:crypto needs for 1.6. A job that arrives to find no other is hashed with node:crypto,
 * which is faster for one input, except shortly after the lanes last ran (jobs are coming in
 * batches, as from an upload hashing parts ahead): then it waits up to `gatherMs` for company
 * first. A lone job in a quiet worker (one small upload) never waits. A job already in a lane
 * stays there when the others finish first, and goes on alone at about 0.4 GB/s (its state
 * cannot move to node:crypto). Lanes hash
 * 1 MiB of each at a time, between turns of the event loop, so jobs that arrive meanwhile
 * take the lanes that free up.
 */
export function hashWorkerMain(
  port: HashWorkerPort,
  createHash: HashWorkerCrypto,
  createCrc64Kernel: typeof createWasmCrc64Kernel,
  createLanes?: typeof createMd5Lanes,
  timers?: HashWorkerTimers,
  gatherMs = 10,
): void {
  const kernel = createCrc64Kernel();
  // The running CRC, inverted (init and xorout are all ones), as [low, high] halves.
  const register = new Int32Array(2);
  const lanes = timers === undefined ? undefined : createLanes?.();
  /** MD5 jobs waiting for a lane (with when they came), and those on one (with their CRC). */
  const waiting: { job: HashJob; at: number }[] = [];
  const running: { job: HashJob; lane: Md5LaneHasher; lo: number; hi: number }[] = [];
  let turnScheduled = false;
  let gathering = false;
  /** When the lanes last hashed: a lone job within RECENT_MS of it waits for company. */
  let lanesRanAt = Number.NEGATIVE_INFINITY;
  const RECENT_MS = 100;
  // 16 steps of 64 KiB: 1 MiB of every lane per turn, a few milliseconds.
  const STEPS_PER_TURN = 16;

  const work = {
    /** The job's CRC-64 into `register` (or nothing asked); false if it cannot be had. */
    crc(job: HashJob, bytes: Uint8Array): boolean {
      register[0] = -1;
      register[1] = -1;
      if (!job.crc64) return true;
      if (kernel === undefined) {
        port.postMessage({ id: job.id, error: 'no-crc64-kernel' });
        return false;
      }
      kernel(bytes, register);
      return true;
    },
    fail(job: HashJob, error: unknown): void {
      port.postMessage({
        id: job.id,
        error: error instanceof Error ? error.message : String(error),
      });
    },
    /** The whole job at once, MD5 with node:crypto. */
    whole(job: HashJob): void {
      try {
        const bytes = new Uint8Array(job.buffer, job.offset, job.length);
        if (!work.crc(job, bytes)) return;
        let md5: Uint8Array | undefined;
        if (job.md5) {
          const hash = createHash('md5');
          hash.update(bytes);
          md5 = new Uint8Array(hash.digest());
        }
        port.postMessage({ id: job.id, lo: ~register[0]! >>> 0, hi: ~register[1]! >>> 0, md5 });
      } catch (error) {
        work.fail(job, error);
      }
    },
    schedule(): void {
      if (turnScheduled || timers === undefined) return;
      turnScheduled = true;
      timers.setImmediate(work.turn);
    },
    gathered(): void {
      gathering = false;
      work.schedule();
    },
    /** One turn: waiting jobs take free lanes, the lanes hash a while, finished jobs answer. */
    turn(): void {
      turnScheduled = false;
      if (lanes === undefined || timers === undefined) return;
      if (running.length === 0 && waiting.length === 1) {
        const now = timers.now();
        const wait = now - lanesRanAt < RECENT_MS ? waiting[0]!.at + gatherMs - now : 0;
        if (wait > 0) {
          if (!gathering) {
            gathering = true;
            timers.setTimeout(work.gathered, wait);
          }
          return;
        }
        work.whole(waiting.shift()!.job);
        return;
      }
      while (waiting.length > 0 && lanes.free > 0) {
        const { job } = waiting.shift()!;
        try {
          const bytes = new Uint8Array(job.buffer, job.offset, job.length);
          if (!work.crc(job, bytes)) continue;
          const lane = lanes.open();
          if (lane === undefined) throw new Error('no MD5 lane free');
          running.push({ job, lane: lane.update(bytes), lo: register[0]!, hi: register[1]! });
        } catch (error) {
          work.fail(job, error);
        }
      }
      // No lane could be had and none is running (a lane lost to a bug): hash the rest with
      // node:crypto rather than turning forever.
      if (running.length === 0) for (const { job } of waiting.splice(0)) work.whole(job);
      for (let i = 0; i < STEPS_PER_TURN && lanes.step(); i++) {}
      lanesRanAt = timers.now();
      for (let i = 0; i < running.length; i++) {
        const r = running[i]!;
        if (r.lane.queued >= 64) continue;
        running.splice(i--, 1);
        try {
          const md5 = r.lane.digest();
          port.postMessage({ id: r.job.id, lo: ~r.lo >>> 0, hi: ~r.hi >>> 0, md5 });
        } catch (error) {
          work.fail(r.job, error);
        }
      }
      if (running.length > 0 || waiting.length > 0) work.schedule();
    },
  };

  port.on('message', (job: HashJob) => {
    if (job.md5 && lanes !== undefined) {
      waiting.push({ job, at: timers!.now() });
      work.schedule();
      return;
    }
    work.whole(job);
  });
}
