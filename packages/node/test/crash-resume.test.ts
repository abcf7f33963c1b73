// kill -9 an uploading process again and again, then resume in this process: the object must
// come out byte-identical, and no resume may re-send more than the parts that were in flight.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { upload } from '@ossup/client';
import { type DevServer, type RequestLogEntry, startDevServer } from '@ossup/dev-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeClient } from '../src/create-node-client.ts';
import { fileCheckpointStore } from '../src/file-checkpoint-store.ts';
import { fromFile } from '../src/file-source.ts';
import { digestStream, writeRandomFile } from './helpers/files.ts';
import { fixture, spawnTs, watch } from './helpers/spawn-ts.ts';

const KiB = 1024;
const PART_SIZE = 256 * KiB;
const PARALLEL = 4;
const PARTS = 96;
const SIZE = PARTS * PART_SIZE - 123 * KiB; // a short last part: about 24 MiB
const KILLS = 10;
const BUCKET = 'crash';
const KEY = 'resume/data.bin';

let server: DevServer;
let dir: string;

beforeAll(async () => {
  server = await startDevServer({ buckets: [BUCKET] });
  dir = await mkdtemp(join(tmpdir(), 'ossup-node-crash-'));
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function partBytes(partNumber: number): number {
  return Math.min(PART_SIZE, SIZE - (partNumber - 1) * PART_SIZE);
}

/**
 * Bytes of UploadPart requests in `run` for parts of the same multipart upload that an
 * earlier run had already sent (whole or in part): the cost of the crash. A request cut by
 * the kill counts as its whole part, an upper bound.
 */
function resentBytes(run: RequestLogEntry[], earlier: Set<string>): number {
  let total = 0;
  for (const e of run) {
    if (e.operation !== 'UploadPart' || e.partNumber === undefined) continue;
    if (earlier.has(`${e.uploadId}:${e.partNumber}`)) total += partBytes(e.partNumber);
  }
  return total;
}

describe('crash and resume with fileCheckpointStore', () => {
  it(`survives ${KILLS} SIGKILLs at random points and resumes to a byte-identical object`, async () => {
    const file = join(dir, 'data.bin');
    const local = await writeRandomFile(file, SIZE);
    const checkpoints = join(dir, 'checkpoints');

    const attempted = new Set<string>();
    const maxResent: number[] = [];
    let kills = 0;
    let completedByChild = false;
    let partsAcked = 0;
    for (let round = 0; kills < KILLS; round++) {
      server.requests.clear();
      const child = spawnTs(
        fixture('upload-worker.ts'),
        [
          server.endpoint,
          server.region,
          file,
          checkpoints,
          BUCKET,
          KEY,
          String(PART_SIZE),
          String(PARALLEL),
        ],
        {
          OSSUP_TEST_AK: server.credentials.accessKeyId,
          OSSUP_TEST_SK: server.credentials.accessKeySecret,
          // 1 MiB/s per request: a part takes a quarter second, so kills land mid-body.
          OSSUP_TEST_THROTTLE: String(1024 * 1024),
        },
      );
      const w = watch(child);
      await w.waitFor((l) => l === 'ready');
      // Kill points: some by time (during initiate, list, first parts), some after a random
      // number of parts this run acknowledged (between parts, mid-part, mid-checkpoint write).
      if (round % 2 === 0) {
        await Promise.race([sleep(Math.random() * 400), w.exited]);
      } else {
        const target = partsAcked + 1 + Math.floor(Math.random() * 3);
        await Promise.race([
          w.waitFor((l) => l.startsWith('progress') && Number(l.split(' ')[2]) >= target),
          w.exited,
        ]).catch(() => {});
        await sleep(Math.random() * 40);
      }
      if (w.lines.some((l) => l.startsWith('done'))) {
        completedByChild = true;
        break;
      }
      child.kill('SIGKILL');
      const exit = await w.exited;
      if (exit.signal !== 'SIGKILL') {
        throw new Error(`upload child ended by itself (code ${exit.code}): ${w.stderr()}`);
      }
      kills++;
      for (const l of w.lines) {
        if (l.startsWith('progress')) partsAcked = Math.max(partsAcked, Number(l.split(' ')[2]));
      }
      const run = server.requests.entries();
      maxResent.push(resentBytes(run, attempted));
      for (const e of run) {
        if (e.operation === 'UploadPart') attempted.add(`${e.uploadId}:${e.partNumber}`);
      }
    }
    expect(completedByChild).toBe(false);
    expect(kills).toBe(KILLS);

    // What the server holds now: the resume must send exactly the other parts.
    const client = createNodeClient({
      endpoint: server.endpoint,
      region: server.region,
      credentials: server.credentials,
    });
    const store = fileCheckpointStore(checkpoints);
    const entries = await store.list();
    expect(entries).toHaveLength(1);
    // A part whose whole body reached the server before the kill is stored a moment later:
    // list until two listings agree.
    const listStored = async () => {
      const parts: number[] = [];
      for await (const part of client.listAllParts({
        bucket: BUCKET,
        key: KEY,
        uploadId: entries[0]!.uploadId,
      })) {
        parts.push(part.partNumber);
      }
      return parts.join(',');
    };
    let listing = await listStored();
    for (let again = ''; again !== listing; ) {
      await sleep(100);
      [again, listing] = [listing, await listStored()];
    }
    const stored = new Set(listing.split(',').filter(Boolean).map(Number));
    expect(stored.size).toBeGreaterThan(0);
    expect(stored.size).toBeLessThan(PARTS);

    // Resume here, in the test process, with fresh objects as a restarted program would.
    server.requests.clear();
    const source = await fromFile(file);
    let result: Awaited<ReturnType<typeof upload>>;
    try {
      result = await upload(
        createNodeClient({
          endpoint: server.endpoint,
          region: server.region,
          credentials: server.credentials,
        }),
        {
          source,
          bucket: BUCKET,
          key: KEY,
          checkpoint: fileCheckpointStore(checkpoints),
          partSize: PART_SIZE,
          parallel: PARALLEL,
        },
      );
    } finally {
      await source.close();
    }
    const finalRun = server.requests.entries();
    maxResent.push(resentBytes(finalRun, attempted));

    expect(result.resumed).toBe(true);
    expect(result.resumedBytes).toBeGreaterThan(0);
    expect(result.size).toBe(SIZE);
    expect(result.crc64).toBe(local.crc64);
    // No run, the children's or this one, re-sent more than what was in flight at the kill.
    for (const bytes of maxResent) expect(bytes).toBeLessThanOrEqual(PARALLEL * PART_SIZE);
    // The final run sent exactly the missing parts, each once, and resumed the same upload.
    const sentNow = finalRun
      .filter((e) => e.operation === 'UploadPart')
      .map((e) => e.partNumber!)
      .sort((a, b) => a - b);
    const missing = Array.from({ length: PARTS }, (_, i) => i + 1).filter((n) => !stored.has(n));
    expect(sentNow).toEqual(missing);
    expect(result.uploadId).toBe(entries[0]!.uploadId);
    let storedBytes = 0;
    for (const n of stored) storedBytes += partBytes(n);
    expect(result.resumedBytes).toBe(storedBytes);
    // The checkpoint is deleted and its lock released.
    expect((await readdir(checkpoints)).filter((n) => !n.startsWith('.'))).toEqual([]);

    const got = await client.getObject({ bucket: BUCKET, key: KEY });
    expect(got.crc64).toBe(local.crc64);
    const downloaded = await digestStream(got.body);
    expect(downloaded.size).toBe(SIZE);
    expect(downloaded.crc64).toBe(local.crc64);
    expect(downloaded.sha256).toBe(local.sha256);
  }, 120_000); // ten child processes start, each with a TypeScript loader: slow on a busy CI box
});
