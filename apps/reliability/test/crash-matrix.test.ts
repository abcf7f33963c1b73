// Crash matrix: SIGKILL the uploading process in each phase of an upload, and SIGKILL the
// dev server mid-upload (then restart it on the same data directory); resume each case and
// check the object, the bytes sent twice, and that nothing the server acknowledged was lost.
// Each phase is reached deterministically: the dev server's `delay` fault holds the request
// of interest, or the child holds itself where the server cannot see (a source read between
// parts, the checkpoint delete after Complete).
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc64 } from '@ossup/checksum';
import { type OssClient, UploadError, type UploadResult, upload } from '@ossup/client';
import { type DevServer, type RequestLogEntry, startDevServer } from '@ossup/dev-server';
import { createNodeClient, fileCheckpointStore, fromFile, nodeHttpTransport } from '@ossup/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededBytes } from '../src/seeded.ts';
import { markdownTable, mib } from '../src/table.ts';
import { appDir, freePort, repoRoot, spawnTs, until, watch } from './helpers/processes.ts';

const MiB = 1024 * 1024;
const BUCKET = 'crash';
// Parts larger than what loopback socket buffers hold while the server is not reading, so a
// part held by the server is really cut mid-body when the sender dies.
const PART = 8 * MiB;
const SIZE = 4 * PART + 12_345; // five parts, the last one short
const PARTS = 5;
const CHILD = join(appDir, 'test', 'fixtures', 'crash-uploader.ts');

let server: DevServer;
let client: OssClient;
let work: string;
let file: string;
let data: Uint8Array;
let dataCrc: bigint;
const matrix: string[][] = [
  [
    'Killed',
    'Held by',
    'Acked parts at kill',
    'Acked parts lost',
    'Resume',
    'Bytes sent twice',
    'Bound',
    'Object',
    'Uploads left',
  ],
];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ossup-crash-matrix-'));
  file = join(work, 'source.bin');
  data = seededBytes('crash-matrix', 0, SIZE);
  dataCrc = crc64(data);
  await writeFile(file, data);
  server = await startDevServer({ buckets: [BUCKET], onWarning: () => {} });
  client = createNodeClient({
    endpoint: server.endpoint,
    region: server.region,
    credentials: server.credentials,
  });
});

afterAll(async () => {
  console.log(`crash matrix (part ${mib(PART)}, object ${mib(SIZE)}):\n${markdownTable(matrix)}`);
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

const partSize = (n: number) => Math.min(PART, SIZE - (n - 1) * PART);

async function objectMatches(c: OssClient, key: string): Promise<boolean> {
  try {
    const got = await c.getObject({ bucket: BUCKET, key });
    const bytes = new Uint8Array(await new Response(got.body).arrayBuffer());
    return got.crc64 === dataCrc && crc64(bytes) === dataCrc && Buffer.from(bytes).equals(data);
  } catch {
    return false;
  }
}

async function openUploads(c: OssClient, key: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const u of c.listUploadsForKey({ bucket: BUCKET, key })) ids.push(u.uploadId);
  return ids;
}

async function listedParts(c: OssClient, key: string, uploadId: string): Promise<Set<number>> {
  const parts = new Set<number>();
  try {
    for await (const p of c.listAllParts({ bucket: BUCKET, key, uploadId }))
      parts.add(p.partNumber);
  } catch {
    // NoSuchUpload: completed (checked through the object) or never made.
  }
  return parts;
}

interface ClientCase {
  phase: string;
  heldBy: string;
  parallel: number;
  /** Env hold for the child (see the fixture). */
  hold?: string;
  /** A delay fault that holds the request of interest. */
  fault?: {
    operation: 'InitiateMultipartUpload' | 'UploadPart' | 'CompleteMultipartUpload';
    partNumber?: number;
  };
  /** Resolves when the child is in the phase. */
  inPhase: (key: string, child: ReturnType<typeof watch>) => Promise<void>;
}

const uploadEntries = (key: string): RequestLogEntry[] =>
  server.requests.entries({ key }).filter((e) => e.operation === 'UploadPart');

const heldRequest = (key: string, operation: string) =>
  until(
    () =>
      server.requests
        .entries({ key })
        .some((e) => e.operation === operation && e.fault === 'delay'),
    `${operation} to be held`,
  );

const CASES: ClientCase[] = [
  {
    phase: 'during initiate',
    heldBy: 'delay on InitiateMultipartUpload',
    parallel: 2,
    fault: { operation: 'InitiateMultipartUpload' },
    inPhase: (key) => heldRequest(key, 'InitiateMultipartUpload'),
  },
  {
    phase: 'mid-part (part 3 body in flight)',
    heldBy: 'delay on UploadPart 3',
    parallel: 2,
    fault: { operation: 'UploadPart', partNumber: 3 },
    inPhase: async (key, child) => {
      await heldRequest(key, 'UploadPart');
      // Let the body fill the socket buffers: the kill lands mid-body.
      await child.waitFor((l) => /^progress uploading \d+ \d+$/.test(l));
      await new Promise((r) => setTimeout(r, 300));
    },
  },
  {
    phase: 'between parts (2 acked, 3 not started)',
    heldBy: 'child waits before reading part 3',
    parallel: 1,
    hold: 'read:3',
    inPhase: async (_key, child) => {
      await child.waitFor((l) => l === 'hold read 3');
    },
  },
  {
    phase: 'during complete',
    heldBy: 'delay on CompleteMultipartUpload',
    parallel: 2,
    fault: { operation: 'CompleteMultipartUpload' },
    inPhase: (key) => heldRequest(key, 'CompleteMultipartUpload'),
  },
  {
    phase: 'after complete, before the checkpoint is deleted',
    heldBy: 'child waits in checkpoint delete',
    parallel: 2,
    hold: 'delete',
    inPhase: async (_key, child) => {
      await child.waitFor((l) => l === 'hold delete');
    },
  },
];

describe('crash matrix: SIGKILL of the uploading process in every phase, then resume', () => {
  CASES.forEach((c, index) => {
    it(`kill ${c.phase}`, async () => {
      const key = `matrix/${index}-${c.phase.replace(/\W+/g, '-')}.bin`;
      const checkpoints = join(work, `checkpoints-${index}`);
      if (c.fault !== undefined) {
        server.faults.add({
          match: { key, ...c.fault },
          action: { kind: 'delay', ms: 600_000 },
        });
      }
      const child = spawnTs(CHILD, [], {
        OSSUP_ENDPOINT: server.endpoint,
        OSSUP_REGION: server.region,
        OSSUP_ACCESS_KEY_ID: server.credentials.accessKeyId,
        OSSUP_ACCESS_KEY_SECRET: server.credentials.accessKeySecret,
        OSSUP_FILE: file,
        OSSUP_CHECKPOINTS: checkpoints,
        OSSUP_BUCKET: BUCKET,
        OSSUP_KEY: key,
        OSSUP_PART_SIZE: String(PART),
        OSSUP_PARALLEL: String(c.parallel),
        OSSUP_HOLD: c.hold ?? '',
      });
      const w = watch(child);
      try {
        await c.inPhase(key, w);
      } finally {
        child.kill('SIGKILL');
      }
      const exit = await w.exited;
      expect(exit.signal).toBe('SIGKILL');
      expect(w.lines.some((l) => l.startsWith('done'))).toBe(false);
      server.faults.clear();

      // What the server acknowledged (answered 200) before the kill.
      const acked = uploadEntries(key).filter((e) => e.status === 200);
      const ackedParts = new Set(acked.map((e) => `${e.uploadId}#${e.partNumber}`));
      // Let the server finish what the dead client left (a held request wakes up and runs).
      await new Promise((r) => setTimeout(r, 300));
      // Nothing acknowledged is lost: every acked part is still listed, or is in the object.
      let lost = 0;
      const completedObject = await objectMatches(client, key);
      for (const uploadId of new Set(acked.map((e) => e.uploadId!))) {
        const listed = await listedParts(client, key, uploadId);
        for (const e of acked.filter((x) => x.uploadId === uploadId)) {
          if (!listed.has(e.partNumber!) && !completedObject) lost++;
        }
      }
      expect(lost).toBe(0);

      const sentBefore = uploadEntries(key).reduce((sum, e) => sum + partSize(e.partNumber!), 0);
      const logMark = server.requests.entries({ key }).length;
      const source = await fromFile(file);
      let result: UploadResult;
      try {
        result = await upload(client, {
          source,
          bucket: BUCKET,
          key,
          partSize: PART,
          parallel: c.parallel,
          checkpoint: fileCheckpointStore(checkpoints),
        });
      } finally {
        await source.close();
      }
      const resumeEntries = server.requests.entries({ key }).slice(logMark);
      const sentInResume = resumeEntries
        .filter((e) => e.operation === 'UploadPart')
        .reduce((sum, e) => sum + partSize(e.partNumber!), 0);
      // Every part has to go once; anything beyond that is the price of the crash (a part cut
      // by the kill counts whole, an upper bound).
      const sentTwice = Math.max(0, sentBefore + sentInResume - SIZE);
      const bound = c.parallel * PART;
      const ok = await objectMatches(client, key);
      const left = await openUploads(client, key);
      matrix.push([
        c.phase,
        c.heldBy,
        `${ackedParts.size}/${PARTS}`,
        `${lost}`,
        result.resumed ? `resumed, ${mib(result.resumedBytes)} kept` : 'started afresh',
        mib(sentTwice),
        `${c.parallel} × ${mib(PART)}`,
        ok ? 'bytes + CRC-64 equal' : 'WRONG',
        `${left.length}`,
      ]);
      expect(ok).toBe(true);
      expect(result.crc64).toBe(dataCrc);
      expect(sentTwice).toBeLessThanOrEqual(bound);
      // Parts the server acknowledged before the kill are never sent again to the same upload.
      for (const e of resumeEntries.filter((x) => x.operation === 'UploadPart')) {
        expect(ackedParts.has(`${e.uploadId}#${e.partNumber}`)).toBe(false);
      }
      expect((await readdir(checkpoints)).filter((f) => f.endsWith('.json'))).toEqual([]);
      // An Initiate the server ran after its client died made an upload nobody knows the id
      // of (see docs/reliability.md); every other case leaves nothing open.
      expect(left.length).toBeLessThanOrEqual(
        c.fault?.operation === 'InitiateMultipartUpload' ? 1 : 0,
      );
      for (const id of left)
        await client.abortMultipartUpload({ bucket: BUCKET, key, uploadId: id });
    });
  });
});

describe('crash matrix: SIGKILL of the dev server mid-upload, restart on the same data', () => {
  it('keeps every acknowledged part and resumes to the same object', async () => {
    const dataDir = join(work, 'server-data');
    const checkpoints = join(work, 'checkpoints-server');
    const port = await freePort();
    const secret = 'crash-matrix-server-secret';
    const startServer = async () => {
      const child = spawnTs(
        join(repoRoot, 'packages', 'dev-server', 'src', 'cli.ts'),
        ['--data', dataDir, '--port', String(port), '--bucket', BUCKET, '--json'],
        { OSS_ACCESS_KEY_ID: 'crash-matrix-id', OSS_ACCESS_KEY_SECRET: secret },
      );
      const w = watch(child);
      await w.waitFor((l) => l.startsWith('{'));
      return { child, w };
    };
    const acked = new Set<number>();
    let sent = 0;
    let killAfter: (() => void) | undefined;
    const remote = createNodeClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'cn-hangzhou',
      credentials: { accessKeyId: 'crash-matrix-id', accessKeySecret: secret },
      retry: { attempts: 3, baseDelayMs: 50 },
    });
    // Counts part bodies sent and parts answered 200; kills the server after two acks.
    const http = nodeHttpTransport();
    const counting = createNodeClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'cn-hangzhou',
      credentials: { accessKeyId: 'crash-matrix-id', accessKeySecret: secret },
      retry: { attempts: 3, baseDelayMs: 50 },
      transport: async (request, options) => {
        const part = /[?&]partNumber=(\d+)/.exec(request.url);
        let progress = 0;
        const response = await http(request, {
          ...options,
          onUploadProgress: (bytes) => {
            progress = Math.max(progress, bytes);
            options.onUploadProgress?.(bytes);
          },
        }).finally(() => {
          // Bytes that left this process (a refused connection sends none).
          sent += progress;
        });
        if (part !== null && response.status === 200) {
          acked.add(Number(part[1]));
          if (acked.size === 2) killAfter?.();
        }
        return response;
      },
    });
    let first = await startServer();
    killAfter = () => first.child.kill('SIGKILL');
    const source = await fromFile(file);
    let failure: unknown;
    try {
      await upload(counting, {
        source,
        bucket: BUCKET,
        key: 'server-crash.bin',
        partSize: PART,
        parallel: 2,
        checkpoint: fileCheckpointStore(checkpoints),
      });
    } catch (error) {
      failure = error;
    }
    const exit = await first.w.exited;
    expect(exit.signal).toBe('SIGKILL');
    // The upload ran out of retries against a dead server: a typed error, checkpoint kept.
    expect(failure).toBeInstanceOf(UploadError);
    expect((failure as UploadError).checkpointId).toBeDefined();
    const ackedAtKill = new Set(acked);

    first = await startServer();
    try {
      const uploadId = (failure as UploadError).uploadId!;
      const listed = await listedParts(remote, 'server-crash.bin', uploadId);
      const lost = [...ackedAtKill].filter((n) => !listed.has(n));
      expect(lost).toEqual([]);
      const sentBefore = sent;
      const result = await upload(counting, {
        source,
        bucket: BUCKET,
        key: 'server-crash.bin',
        partSize: PART,
        parallel: 2,
        checkpoint: fileCheckpointStore(checkpoints),
      });
      const sentTwice = Math.max(0, sent - SIZE);
      const got = await remote.getObject({ bucket: BUCKET, key: 'server-crash.bin' });
      const bytes = new Uint8Array(await new Response(got.body).arrayBuffer());
      const same = Buffer.from(bytes).equals(data) && got.crc64 === dataCrc;
      const left = await openUploads(remote, 'server-crash.bin');
      matrix.push([
        'dev server (SIGKILL, restart on same data dir)',
        `kill after 2 parts acked (${mib(sentBefore)} sent)`,
        `${ackedAtKill.size}/${PARTS}`,
        `${lost.length}`,
        result.resumed ? `resumed, ${mib(result.resumedBytes)} kept` : 'started afresh',
        mib(sentTwice),
        `2 × ${mib(PART)}`,
        same ? 'bytes + CRC-64 equal' : 'WRONG',
        `${left.length}`,
      ]);
      expect(result.resumed).toBe(true);
      expect(same).toBe(true);
      expect(sentTwice).toBeLessThanOrEqual(2 * PART);
      expect(left).toEqual([]);
    } finally {
      await source.close();
      first.child.kill('SIGTERM');
      await first.w.exited;
    }
  });
});
