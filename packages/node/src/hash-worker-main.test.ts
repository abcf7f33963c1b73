import { createHash } from 'node:crypto';
import { crc64, createMd5Lanes, createWasmCrc64Kernel } from '@ossup/checksum';
import { describe, expect, it } from 'vitest';
import { helpersAddedByKeepNames } from '../../checksum/test/standalone-source.ts';
import { pattern } from '../test/helpers/pattern.ts';
import { type HashJob, type HashReply, hashWorkerMain } from './hash-worker-main.ts';

// The worker's body, run on this thread with a port of our own, to see which MD5 it uses.

function startWorker(gatherMs?: number, crcKernel = createWasmCrc64Kernel) {
  let listener: ((job: HashJob) => void) | undefined;
  const replies = new Map<number, (reply: HashReply) => void>();
  let nodeCryptoHashes = 0;
  hashWorkerMain(
    {
      on: (_event, l) => {
        listener = l;
      },
      postMessage: (reply) => replies.get(reply.id)?.(reply),
    },
    (algorithm) => {
      nodeCryptoHashes++;
      return createHash(algorithm);
    },
    crcKernel,
    createMd5Lanes,
    { setImmediate, setTimeout, now: () => performance.now() },
    gatherMs,
  );
  let nextId = 1;
  return {
    get nodeCryptoHashes() {
      return nodeCryptoHashes;
    },
    digest(bytes: Uint8Array, crc: boolean): Promise<HashReply> {
      const id = nextId++;
      const answer = new Promise<HashReply>((resolve) => replies.set(id, resolve));
      listener!({
        id,
        buffer: bytes.buffer as SharedArrayBuffer,
        offset: bytes.byteOffset,
        length: bytes.length,
        crc64: crc,
        md5: true,
      });
      return answer;
    },
  };
}

function expectDigests(reply: HashReply, bytes: Uint8Array, crc: boolean) {
  if ('error' in reply) throw new Error(reply.error);
  expect(Buffer.from(reply.md5!).toString('hex')).toBe(
    createHash('md5').update(bytes).digest('hex'),
  );
  if (crc) expect((BigInt(reply.hi) << 32n) | BigInt(reply.lo)).toBe(crc64(bytes));
}

describe('hashWorkerMain', () => {
  it('stays self-contained under a transpiler that keeps names (the worker runs its source)', async () => {
    expect(await helpersAddedByKeepNames(hashWorkerMain)).toEqual([]);
  });

  it('hashes MD5s asked for together in SIMD lanes, each with its own digest and CRC-64', async () => {
    const worker = startWorker();
    // More jobs than lanes, of lengths that end anywhere in a block, some with a CRC-64.
    const bodies = Array.from({ length: 7 }, (_, i) => pattern(300_000 + i * 4099, i, true));
    const replies = await Promise.all(bodies.map((b, i) => worker.digest(b, i % 2 === 0)));
    for (const [i, reply] of replies.entries()) expectDigests(reply, bodies[i]!, i % 2 === 0);
    expect(worker.nodeCryptoHashes).toBe(0);
  });

  it('hashes a lone MD5 in a quiet worker with node:crypto at once, without waiting', async () => {
    const worker = startWorker(60_000);
    const bytes = pattern(100_003, 9, true);
    expectDigests(await worker.digest(bytes, true), bytes, true);
    expect(worker.nodeCryptoHashes).toBe(1);
  });

  it('right after the lanes ran, lets a lone MD5 wait gatherMs for company, then uses node:crypto', async () => {
    const worker = startWorker(500);
    const a = pattern(200_000, 1, true);
    const b = pattern(200_000, 2, true);
    await Promise.all([worker.digest(a, false), worker.digest(b, false)]);
    expect(worker.nodeCryptoHashes).toBe(0);
    // Alone, but soon after the lanes ran: it waits, and a second job joins it in the lanes.
    const lone = worker.digest(a, false);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const company = worker.digest(b, false);
    expectDigests(await lone, a, false);
    expectDigests(await company, b, false);
    expect(worker.nodeCryptoHashes).toBe(0);
    // Alone for good: after gatherMs it is hashed with node:crypto.
    expectDigests(await worker.digest(b, true), b, true);
    expect(worker.nodeCryptoHashes).toBe(1);
  });

  it('answers no-crc64-kernel for CRC jobs on the lanes path without a CRC-64 kernel, and goes on', async () => {
    const worker = startWorker(5, () => undefined);
    const a = pattern(100_000, 1, true);
    const b = pattern(100_000, 2, true);
    const replies = await Promise.all([worker.digest(a, true), worker.digest(b, true)]);
    expect(replies.map((r) => ('error' in r ? r.error : 'digests'))).toEqual([
      'no-crc64-kernel',
      'no-crc64-kernel',
    ]);
    // MD5-only jobs are still served, in the lanes.
    const more = await Promise.all([worker.digest(a, false), worker.digest(b, false)]);
    expectDigests(more[0]!, a, false);
    expectDigests(more[1]!, b, false);
  });

  it('lets a job that comes while lanes are busy join them', async () => {
    const worker = startWorker(5);
    const long = pattern(8 * 1024 * 1024, 1, true);
    const other = pattern(4 * 1024 * 1024, 2, true);
    const first = [worker.digest(long, false), worker.digest(long.subarray(5), false)];
    // After a turn or two of the lanes, a third job arrives.
    await new Promise((resolve) => setImmediate(resolve));
    const late = worker.digest(other, false);
    expectDigests(await first[0]!, long, false);
    expectDigests(await first[1]!, long.subarray(5), false);
    expectDigests(await late, other, false);
    expect(worker.nodeCryptoHashes).toBe(0);
  });
});
