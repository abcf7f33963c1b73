// The whole Node stack against the real dev server over a loopback socket: fromFile +
// fileCheckpointStore + nodeHttpTransport (through createNodeClient) + upload().
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc64ToString } from '@ossup/checksum';
import { upload } from '@ossup/client';
import { type DevServer, startDevServer } from '@ossup/dev-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeClient } from '../src/create-node-client.ts';
import { fileCheckpointStore } from '../src/file-checkpoint-store.ts';
import { fromFile } from '../src/file-source.ts';
import { digestStream, writeRandomFile } from './helpers/files.ts';

const MiB = 1024 * 1024;
let server: DevServer;
let dir: string;

beforeAll(async () => {
  server = await startDevServer({ buckets: ['node-it'] });
  dir = await mkdtemp(join(tmpdir(), 'ossup-node-it-'));
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

function client() {
  return createNodeClient({
    endpoint: server.endpoint,
    region: server.region,
    credentials: server.credentials,
  });
}

describe('upload with @ossup/node against the dev server', () => {
  it('uploads a 40 MiB file, verified by GetObject CRC-64 and bytes', async () => {
    const file = join(dir, 'forty.bin');
    const local = await writeRandomFile(file, 40 * MiB);
    const checkpoints = join(dir, 'checkpoints');
    const source = await fromFile(file);
    const events: number[] = [];
    let result: Awaited<ReturnType<typeof upload>>;
    try {
      result = await upload(client(), {
        source,
        bucket: 'node-it',
        key: 'it/forty.bin',
        checkpoint: fileCheckpointStore(checkpoints),
        partSize: 4 * MiB,
        parallel: 4,
        onProgress: (p) => events.push(p.loaded),
      });
    } finally {
      await source.close();
    }
    expect(result.size).toBe(40 * MiB);
    expect(result.parts).toHaveLength(10);
    expect(result.crc64).toBe(local.crc64);
    expect(result.resumed).toBe(false);
    expect(server.requests.count({ operation: 'UploadPart', status: 200 })).toBe(10);
    // Progress never goes backwards and ends at the size.
    for (let i = 1; i < events.length; i++)
      expect(events[i]!).toBeGreaterThanOrEqual(events[i - 1]!);
    expect(events.at(-1)).toBe(40 * MiB);
    // The checkpoint is gone after success (the directory may remain, empty of entries).
    const left = await readdir(checkpoints).catch(() => [] as string[]);
    expect(left.filter((n) => n.endsWith('.json'))).toEqual([]);

    const got = await client().getObject({ bucket: 'node-it', key: 'it/forty.bin' });
    expect(got.crc64).toBe(local.crc64);
    expect(got.headers['x-oss-hash-crc64ecma']).toBe(crc64ToString(local.crc64));
    const downloaded = await digestStream(got.body);
    expect(downloaded.size).toBe(40 * MiB);
    expect(downloaded.crc64).toBe(local.crc64);
    expect(downloaded.sha256).toBe(local.sha256);
  });

  it("gives the object the type of the file name's extension, whatever the key", async () => {
    const file = join(dir, 'report.pdf');
    await writeRandomFile(file, 5000);
    const source = await fromFile(file);
    try {
      await upload(client(), { source, bucket: 'node-it', key: 'it/report-without-extension' });
    } finally {
      await source.close();
    }
    const head = await client().headObject({
      bucket: 'node-it',
      key: 'it/report-without-extension',
    });
    expect(head.contentType).toBe('application/pdf');
  });

  it('fails an upload whose file is changed underneath it, with a FileSourceError cause', async () => {
    const file = join(dir, 'changing.bin');
    await writeRandomFile(file, 6 * MiB);
    const source = await fromFile(file);
    const { appendFile } = await import('node:fs/promises');
    // Part 2 waits on the server, so the file is surely changed before part 3 is read.
    server.faults.add({
      match: { operation: 'UploadPart', key: 'it/changing.bin', partNumber: 2 },
      action: { kind: 'delay', ms: 300 },
    });
    let changed = false;
    let err: unknown;
    try {
      await upload(client(), {
        source,
        bucket: 'node-it',
        key: 'it/changing.bin',
        partSize: 1 * MiB,
        parallel: 1,
        onProgress: (p) => {
          if (p.partsDone >= 1 && !changed) {
            changed = true;
            void appendFile(file, 'x');
          }
        },
      });
    } catch (e) {
      err = e;
    } finally {
      await source.close();
    }
    expect(err).toBeDefined();
    const chain: unknown[] = [];
    for (let e: unknown = err; e instanceof Error && chain.length < 5; e = e.cause) chain.push(e);
    const fileError = chain.find((e) => (e as Error).name === 'FileSourceError') as
      | { kind: string; path: string }
      | undefined;
    expect(fileError?.kind).toBe('changed');
    expect(fileError?.path).toBe(file);
  });
});
