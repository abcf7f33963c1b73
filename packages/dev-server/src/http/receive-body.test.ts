import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashPool } from '../hash/hash-pool.ts';
import type { DataFileWriter } from '../storage/data-file.ts';
import { InlineSink, WorkerSink } from './body-sink.ts';
import { receiveBody } from './receive-body.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ossup-receive-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A request body that keeps coming, 64 KiB at a time, as long as it is read (up to `total`). */
function endlessBody(total: number): IncomingMessage {
  const req = new PassThrough({ highWaterMark: 1 << 16 });
  let sent = 0;
  const pump = () => {
    while (sent < total) {
      sent += 1 << 16;
      if (!req.write(Buffer.alloc(1 << 16, sent & 255))) {
        req.once('drain', pump);
        return;
      }
    }
    req.end();
  };
  pump();
  return Object.assign(req, { socket: { destroy() {} } }) as unknown as IncomingMessage;
}

/** Settles with what `p` settled with, or says it hung. */
function within<T>(
  p: Promise<T>,
  ms: number,
): Promise<{ value?: T; error?: unknown; hung?: true }> {
  return Promise.race([
    p.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    ),
    new Promise<{ hung: true }>((r) => setTimeout(() => r({ hung: true }), ms)),
  ]);
}

describe('receiveBody when the body cannot be stored', () => {
  it('fails at once when a write fails (a full disk), instead of waiting for a drain', async () => {
    const full = new Error('ENOSPC: no space left on device');
    const writer = { write: () => Promise.reject(full) } as unknown as DataFileWriter;
    const outcome = await within(
      receiveBody(endlessBody(64 << 20), new InlineSink(writer), { maxBytes: 1 << 30 }),
      10_000,
    );
    expect(outcome.hung).toBeUndefined();
    expect(outcome.error).toBe(full);
  });

  it('fails at once when the hash worker dies mid-body', async () => {
    const pool = new HashPool(1);
    try {
      const path = join(dir, 'body');
      let sink: WorkerSink | undefined;
      for (let i = 0; i < 200 && sink === undefined; i++) {
        await writeFile(path, '');
        sink = WorkerSink.create(pool, path);
        if (sink === undefined) await new Promise((r) => setTimeout(r, 10));
      }
      expect(sink).toBeDefined();
      const receiving = receiveBody(endlessBody(256 << 20), sink!, { maxBytes: 1 << 30 });
      await new Promise((r) => setTimeout(r, 50));
      await pool.close(); // the worker is terminated: its session can never finish
      const outcome = await within(receiving, 10_000);
      expect(outcome.hung).toBeUndefined();
      expect(String(outcome.error)).toMatch(/hash worker exited/);
    } finally {
      await pool.close();
    }
  });
});
