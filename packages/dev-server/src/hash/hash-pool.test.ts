import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc64 } from '@ossup/checksum';
import { describe, expect, it } from 'vitest';
import { MAX_UNACKNOWLEDGED } from '../http/receive-body.ts';
import type { BodyDigest } from './body-hasher.ts';
import { HashPool, type HashSession, pickWorker } from './hash-pool.ts';

async function readyPool(size: number): Promise<HashPool> {
  const pool = new HashPool(size);
  // Workers announce themselves; wait (bounded) until one takes a session.
  for (let i = 0; i < 200; i++) {
    const probe = pool.open('/nonexistent/probe', {
      onAck() {},
      onResult() {},
      onError() {},
      onAborted() {},
    });
    if (probe !== undefined) {
      probe.abort();
      return pool;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no hash worker became ready');
}

/** A body being fed to a pool session the way WorkerSink does, with its acknowledgements. */
interface Feed {
  readonly path: string;
  readonly data: Uint8Array;
  sent: number;
  unacked: number;
  lane?: boolean;
  result?: BodyDigest;
  error?: string;
  aborted?: boolean;
}

/**
 * Feeds `bodies` to the pool at once, in random slices (some empty) and in random order,
 * never letting a body have more than receive-body.ts's MAX_UNACKNOWLEDGED in flight (the
 * main thread pauses the socket there). Bodies open at random moments; `abortAt` aborts one
 * after that many bytes. Rejects if nothing moves for 10 s (a worker withholding
 * acknowledgements would stall the socket forever).
 */
function feedTogether(
  pool: HashPool,
  bodies: Feed[],
  rnd: () => number,
  abortAt?: { body: number; after: number },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const sessions: (HashSession | undefined)[] = bodies.map(() => undefined);
    let settled = 0;
    let stall: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      if (++settled === bodies.length) {
        clearTimeout(stall);
        resolve();
      }
    };
    const open = (i: number) => {
      const b = bodies[i]!;
      const s = pool.open(b.path, {
        onAck: (n) => {
          b.unacked -= n;
          tick();
        },
        onResult: (d, lane) => {
          b.result = d;
          b.lane = lane;
          done();
        },
        onError: (m) => {
          b.error = m;
        },
        onAborted: () => {
          b.aborted = true;
          done();
        },
      });
      if (s === undefined) throw new Error('no worker');
      sessions[i] = s;
    };
    const tick = () => {
      clearTimeout(stall);
      stall = setTimeout(
        () =>
          reject(new Error(`stalled: ${JSON.stringify(bodies.map((b) => [b.sent, b.unacked]))}`)),
        10_000,
      );
      for (;;) {
        const ready = bodies.flatMap((b, i) =>
          b.sent <= b.data.length && !b.aborted && b.unacked < MAX_UNACKNOWLEDGED ? [i] : [],
        );
        const i = ready[Math.floor((rnd() / 2 ** 32) * ready.length)];
        if (i === undefined) return;
        const b = bodies[i]!;
        if (sessions[i] === undefined) open(i);
        const s = sessions[i]!;
        if (b.sent === b.data.length) {
          b.sent++; // ended
          s.end();
          continue;
        }
        const n = Math.min(
          b.data.length - b.sent,
          [0, 1, 63, 65, 4096, 300_000, 1 << 20][rnd() % 7]!,
        );
        const slice = b.data.slice(b.sent, b.sent + n);
        b.sent += n;
        b.unacked += n;
        s.post([slice.buffer as ArrayBuffer]);
        if (abortAt !== undefined && i === abortAt.body && b.sent >= abortAt.after) {
          b.sent = b.data.length + 1;
          s.abort();
        }
      }
    };
    tick();
  });
}

function hashThroughPool(pool: HashPool, path: string, chunks: Uint8Array[]): Promise<BodyDigest> {
  return new Promise((resolve, reject) => {
    const s = pool.open(path, {
      onAck() {},
      onResult: resolve,
      onError: (m) => reject(new Error(m)),
      onAborted() {},
    });
    if (s === undefined) {
      reject(new Error('no worker'));
      return;
    }
    // One message per chunk, then all of them in one message: both must add up the same.
    const half = chunks.length >> 1;
    for (const c of chunks.slice(0, half)) s.post([c.slice().buffer as ArrayBuffer]);
    s.post(chunks.slice(half).map((c) => c.slice().buffer as ArrayBuffer));
    s.end();
  });
}

describe('HashPool', () => {
  it('computes the same MD5 and CRC-64 as node:crypto and @ossup/checksum, and writes the bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ossup-pool-'));
    const pool = await readyPool(2);
    try {
      let seed = 7;
      const rnd = () => {
        seed = (seed * 1103515245 + 12345) >>> 0;
        return seed;
      };
      for (const sizes of [
        [],
        [0],
        [9],
        [1, 15, 16, 17],
        [100_000, 3, 65_536],
        [31, 33, 1_000_001],
      ]) {
        const chunks = sizes.map((n) => Uint8Array.from({ length: n }, () => rnd() >>> 24));
        const whole = Buffer.concat(chunks);
        await writeFile(join(dir, 'f'), '');
        const d = await hashThroughPool(pool, join(dir, 'f'), chunks);
        expect(d.size).toBe(whole.byteLength);
        expect(d.md5.toString('hex')).toBe(createHash('md5').update(whole).digest('hex'));
        expect(d.crc64).toBe(crc64(whole));
        expect((await readFile(join(dir, 'f'))).equals(whole)).toBe(true);
      }
      // An open or write error is reported, not swallowed.
      await expect(
        hashThroughPool(pool, join(dir, 'missing', 'file'), [
          new TextEncoder().encode('123456789'),
        ]),
      ).rejects.toThrow(Error);
    } finally {
      await pool.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('hashes overlapping bodies in SIMD lanes and a lone body with node:crypto, every byte right', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ossup-pool-'));
    // One worker: every body lands on it, as parts do on the worker the pool packs them onto.
    const pool = await readyPool(1);
    try {
      let seed = 11;
      const rnd = () => {
        seed = (seed * 1103515245 + 12345) >>> 0;
        return seed;
      };
      const body = async (name: string, size: number): Promise<Feed> => {
        const data = new Uint8Array(size);
        for (let i = 0; i < size; i++) data[i] = rnd() >>> 24;
        await writeFile(join(dir, name), '');
        return { path: join(dir, name), data, sent: 0, unacked: 0 };
      };
      const check = async (b: Feed) => {
        expect(b.error).toBeUndefined();
        expect(b.result?.size).toBe(b.data.length);
        expect(b.result?.md5.toString('hex')).toBe(createHash('md5').update(b.data).digest('hex'));
        expect(b.result?.crc64).toBe(crc64(b.data));
        expect((await readFile(b.path)).equals(Buffer.from(b.data))).toBe(true);
      };

      // Alone, and longer than a body may wait for company: node:crypto.
      const lone = await body('lone', 20_000_000);
      await feedTogether(pool, [lone], rnd);
      await check(lone);
      expect(lone.lane).toBe(false);

      // Five at once on four lanes, with sizes around the block and window edges.
      for (const round of [0, 1, 2]) {
        const sizes = [0, 63, 64, 65_537, 20_000_001].sort(() => rnd() - 2 ** 31);
        const bodies = await Promise.all(sizes.map((n, i) => body(`r${round}-${i}`, n)));
        await feedTogether(pool, bodies, rnd);
        for (const b of bodies) await check(b);
        expect(bodies.filter((b) => b.lane).length).toBeGreaterThanOrEqual(2);
      }

      // One body aborted half-way while others share the lanes: theirs stay right, and its
      // lane is free again for the next bodies.
      const bodies = await Promise.all([1, 2, 3].map((i) => body(`a${i}`, 12_000_000)));
      await feedTogether(pool, bodies, rnd, { body: 1, after: 5_000_000 });
      expect(bodies[1]!.aborted).toBe(true);
      await check(bodies[0]!);
      await check(bodies[2]!);
      const next = await Promise.all([1, 2, 3, 4].map((i) => body(`n${i}`, 3_000_000)));
      await feedTogether(pool, next, rnd);
      for (const b of next) await check(b);
    } finally {
      await pool.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('packs bodies onto the busiest worker with a free lane, then spreads them', () => {
    const w = (active: number, lanes = 4) => ({ active, lanes });
    const a = w(1);
    const b = w(2);
    expect(pickWorker([a, b])).toBe(b);
    const full = w(4);
    const c = w(3);
    expect(pickWorker([full, c, w(0)])).toBe(c);
    // No lane free anywhere, or no lanes at all: the least busy.
    const idle = w(4);
    expect(pickWorker([w(5), idle, w(6)])).toBe(idle);
    const none = w(1, 0);
    expect(pickWorker([w(2, 0), none])).toBe(none);
  });

  it('has no session to offer without workers', async () => {
    const pool = new HashPool(0);
    expect(
      pool.open('/x', { onAck() {}, onResult() {}, onError() {}, onAborted() {} }),
    ).toBeUndefined();
    await pool.close();
  });

  it('starts its workers in a process run with --input-type=module (evaluated as ESM)', () => {
    // Workers inherit --input-type=module, and their evaluated script then has no `require`.
    const script = `
const { HashPool } = await import(${JSON.stringify(fileURLToPath(new URL('./hash-pool.ts', import.meta.url)))});
const pool = new HashPool(1);
const callbacks = { onAck() {}, onResult() {}, onError() {}, onAborted() {} };
let ready = false;
for (let i = 0; i < 300 && !ready; i++) {
  const probe = pool.open('/nonexistent/probe', callbacks);
  if (probe !== undefined) { probe.abort(); ready = true; } else await new Promise((r) => setTimeout(r, 10));
}
console.log(ready ? 'ready' : 'no worker');
process.exit(0);`;
    const child = spawnSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.stdout.trim(), child.stderr).toBe('ready');
  });
});
