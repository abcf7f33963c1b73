import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc64 } from '@ossup/checksum';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashPool } from '../hash/hash-pool.ts';
import { WorkerSink } from './body-sink.ts';

let dir: string;
let pool: HashPool;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ossup-sink-'));
  pool = new HashPool(1);
  // Workers start on first use and announce themselves: wait (bounded) for one.
  for (let i = 0; i < 200; i++) {
    await writeFile(join(dir, 'probe'), '');
    const probe = WorkerSink.create(pool, join(dir, 'probe'));
    if (probe !== undefined) {
      await probe.abort();
      return;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no hash worker became ready');
});
afterAll(async () => {
  await pool.close();
  await rm(dir, { recursive: true, force: true });
});

describe('WorkerSink', () => {
  it('moves chunks that own their memory and copies views into shared memory', async () => {
    // Chunks as Node's HTTP parser makes them (each its own ArrayBuffer), and views into one
    // larger buffer (as another producer might hand over), which must be left intact.
    const shared = Buffer.from(Array.from({ length: 3_000_000 }, (_, i) => (i * 7) & 255));
    const owned = Array.from({ length: 40 }, (_, i) => Buffer.alloc(65_536, i));
    const views = [shared.subarray(0, 1_000_001), shared.subarray(1_000_001)];
    const chunks = [...owned.slice(0, 20), ...views, ...owned.slice(20)];
    const expected = Buffer.concat(chunks);
    const sharedBefore = Buffer.from(shared);

    const path = join(dir, 'body');
    await writeFile(path, '');
    const sink = WorkerSink.create(pool, path)!;
    for (const c of chunks) sink.push(c);
    const digest = await sink.finish();

    expect(digest.size).toBe(expected.byteLength);
    expect(digest.md5.equals(createHash('md5').update(expected).digest())).toBe(true);
    expect(digest.crc64).toBe(crc64(expected));
    expect((await readFile(path)).equals(expected)).toBe(true);
    expect(shared.equals(sharedBefore)).toBe(true);
  });
});
