import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { crc64, md5 } from '@ossup/checksum';
import { afterAll, describe, expect, it } from 'vitest';
import { pattern } from '../test/helpers/pattern.ts';
import { workerThreadHasher } from './worker-thread-hasher.ts';

// CRC-64s on the workers too (the default on a 2-core machine computes them on this thread).
const hasher = workerThreadHasher({ threads: 2, inlineBelow: 0, crc64OnCallingThread: false });
afterAll(() => hasher.close());

describe('workerThreadHasher', () => {
  it('agrees with @ossup/checksum on every alignment and on lengths around the block sizes', async () => {
    const shared = hasher.allocate!(300_000);
    shared.set(pattern(shared.length, 7));
    for (const offset of [0, 1, 2, 3, 5]) {
      for (const length of [0, 1, 15, 16, 31, 32, 33, 65_536 + 3, 262_147, 299_990 - offset]) {
        const bytes = shared.subarray(offset, offset + length);
        const got = await hasher.digest(bytes, { crc64: true, md5: true });
        expect(got.crc64).toBe(crc64(bytes));
        expect(Array.from(got.md5!)).toEqual(Array.from(await md5(bytes)));
      }
    }
  });

  it('hashes bodies that are not in shared memory (copies them) and returns only what was asked', async () => {
    const plain = pattern(1 << 20, 3);
    const onlyCrc = await hasher.digest(plain, { crc64: true });
    expect(onlyCrc.crc64).toBe(crc64(plain));
    expect(onlyCrc.md5).toBeUndefined();
    const onlyMd5 = await hasher.digest(plain, { md5: true });
    expect(onlyMd5.crc64).toBeUndefined();
    expect(Array.from(onlyMd5.md5!)).toEqual(Array.from(await md5(plain)));
  });

  it('runs many digests at once on its threads, each with its own result', async () => {
    const bodies = Array.from({ length: 12 }, (_, i) => pattern(100_000 + i * 997, i));
    const got = await Promise.all(bodies.map((b) => hasher.digest(b, { crc64: true })));
    expect(got.map((d) => d.crc64)).toEqual(bodies.map((b) => crc64(b)));
  });

  it('computes MD5s asked for together on one thread, four at a time (md5Batch)', async () => {
    expect(hasher.md5Batch).toBe(4);
    const bodies = Array.from({ length: 9 }, (_, i) => pattern(500_000 + i * 1031, i + 20));
    const got = await Promise.all(bodies.map((b) => hasher.digest(b, { md5: true })));
    for (const [i, d] of got.entries()) {
      expect(Array.from(d.md5!)).toEqual(Array.from(await md5(bodies[i]!)));
    }
  });

  it('allocates zero-filled buffers on a SharedArrayBuffer', () => {
    const b = hasher.allocate!(64);
    expect(b.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(b.every((x) => x === 0)).toBe(true);
  });

  it('refuses a thread count below 1 with a clear message', () => {
    expect(() => workerThreadHasher({ threads: 0 })).toThrow(/threads must be a whole number/);
  });

  it('hashes on the calling thread where WebAssembly cannot run (node --jitless, ESM eval)', () => {
    // The workers' CRC-64 kernel is WebAssembly; without it they answer that they cannot,
    // and the hasher falls back to @ossup/checksum's TypeScript kernel on this thread.
    const script = `
const { workerThreadHasher } = await import(${JSON.stringify(fileURLToPath(new URL('./worker-thread-hasher.ts', import.meta.url)))});
const { crc64 } = await import('@ossup/checksum');
const hasher = workerThreadHasher({ threads: 1, inlineBelow: 0 });
const bytes = hasher.allocate(1 << 20).map((_, i) => (i * 2654435761) >>> 24);
const got = await hasher.digest(bytes, { crc64: true, md5: true });
console.log(JSON.stringify({ wasm: typeof WebAssembly, crc: got.crc64 === crc64(bytes), md5: got.md5?.length }));`;
    const child = spawnSync(
      process.execPath,
      [
        '--jitless',
        '--no-warnings',
        '--conditions=source',
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        script,
      ],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8', timeout: 60_000 },
    );
    // (stderr holds V8's note that --jitless turns WebAssembly off.) --input-type=module also
    // reaches the workers, whose script must then load Node's modules without `require`.
    expect(child.status, child.stderr).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual({ wasm: 'undefined', crc: true, md5: 16 });
  });

  it('with crc64OnCallingThread, hashes CRC-64s here in steps, leaving the event loop turns', async () => {
    const local = workerThreadHasher({ crc64OnCallingThread: true });
    try {
      // Plain memory for buffers only ever CRC'd here; shared memory where a worker reads.
      expect(local.allocate!(1024, { crc64: true, md5: false }).buffer).toBeInstanceOf(ArrayBuffer);
      expect(local.allocate!(1024, { crc64: false, md5: true }).buffer).toBeInstanceOf(
        SharedArrayBuffer,
      );
      const bytes = pattern(4 * 1024 * 1024 + 5, 11);
      let turns = 0;
      let counting = true;
      const count = () => {
        if (!counting) return;
        turns++;
        setImmediate(count);
      };
      setImmediate(count);
      const got = await local.digest(bytes, { crc64: true });
      counting = false;
      expect(got.crc64).toBe(crc64(bytes));
      // 5 steps of at most 1 MiB, with a turn of the event loop between each two.
      expect(turns).toBeGreaterThanOrEqual(4);
    } finally {
      await local.close();
    }
  });
});
