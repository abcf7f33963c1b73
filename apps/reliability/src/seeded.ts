import { createCipheriv, createHash } from 'node:crypto';
import type { ByteSource } from '@ossup/client';

/**
 * A small, fast, seeded PRNG (mulberry32). Every random choice of the soak and of the
 * crash matrix goes through one of these, so a seed replays the same schedule.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** `true` with probability `p`. */
  chance(p: number): boolean;
}

/** Creates a seeded {@link Rng}. Different seeds give independent-looking streams. */
export function createRng(seed: number): Rng {
  let state = (seed ^ 0x9e3779b9) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
  };
}

/** A stable 32-bit hash of some values, to derive per-item seeds from a run seed. */
export function hashSeed(...values: (string | number)[]): number {
  return createHash('sha256').update(values.join('\u0000')).digest().readUInt32BE(0);
}

/**
 * Deterministic pseudo-random bytes of any length with random access: AES-128-CTR of zeros
 * under a key derived from `seed`. Reading [start, end) costs only those bytes, so a 200 MiB
 * source never sits in memory and the verifier can regenerate any range.
 */
export function seededBytes(seed: string, start: number, end: number): Uint8Array {
  const key = createHash('sha256').update(`ossup-reliability:${seed}`).digest().subarray(0, 16);
  const firstBlock = Math.floor(start / 16);
  const iv = Buffer.alloc(16);
  // The counter occupies the low 64 bits; 2^53 / 16 blocks is far beyond any test size.
  iv.writeBigUInt64BE(BigInt(firstBlock), 8);
  const cipher = createCipheriv('aes-128-ctr', key, iv);
  const skip = start - firstBlock * 16;
  const out = cipher.update(Buffer.alloc(end - start + skip));
  return new Uint8Array(out.buffer, out.byteOffset + skip, end - start);
}

/** Counters a {@link SeededSource} keeps, for the memory and re-read figures. */
export interface SourceStats {
  /** Bytes handed out by `read`. */
  readBytes: number;
  /** Reads in progress right now, and the most seen at once. */
  inFlight: number;
  maxInFlight: number;
}

/** A {@link ByteSource} over {@link seededBytes}, with a fingerprint so it can be checkpointed. */
export interface SeededSource extends ByteSource {
  readonly size: number;
  readonly seed: string;
  readonly stats: SourceStats;
}

/**
 * A seeded source of `size` bytes. `fingerprint` names seed and size, like a file's
 * path + size + mtime, so a checkpoint store recognises it again (in this or another process).
 */
export function seededSource(seed: string, size: number, withFingerprint = true): SeededSource {
  const stats: SourceStats = { readBytes: 0, inFlight: 0, maxInFlight: 0 };
  return {
    size,
    seed,
    stats,
    fingerprint: withFingerprint ? `seeded:${seed}:${size}` : undefined,
    async read(start, end, options) {
      options?.signal?.throwIfAborted();
      if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end)) || start < 0) {
        throw new RangeError(`read(${start}, ${end}): bad range`);
      }
      if (end > size || end < start) throw new RangeError(`read(${start}, ${end}) past ${size}`);
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      try {
        // Yield once so reads behave like I/O (interleave with other work).
        await new Promise<void>((resolve) => setImmediate(resolve));
        const bytes = seededBytes(seed, start, end);
        stats.readBytes += bytes.length;
        return bytes;
      } finally {
        stats.inFlight--;
      }
    },
    // Into given memory, as fromFile reads: with a transport that streams, upload() then sends
    // parts in slices, and the soak covers that path too.
    async readInto(start, end, target, options) {
      const bytes = await this.read(start, end, options);
      target.set(bytes);
      return target.subarray(0, bytes.length);
    },
  };
}
