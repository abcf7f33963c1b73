import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc64 } from '@ossup/checksum';
import { describe, expect, it } from 'vitest';
import type { BodyDigest } from './body-hasher.ts';
import { HashPool } from './hash-pool.ts';

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
