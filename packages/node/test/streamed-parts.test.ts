// Parts of a file streamed in slices (nodeHttpTransport streams bodies, fromFile reads into
// given memory): each attempt reads the part again, its CRC-64 computed slice by slice, and
// the upload holds a few slices per part instead of whole parts. Against the dev server with
// its fault injection.
import { appendFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BodyHasher,
  type ByteSourceReadOptions,
  inlineHasher,
  OssIntegrityError,
  type RetryInfo,
  type Transport,
  UploadError,
  type UploadWarning,
  upload,
} from '@ossup/client';
import { type DevServer, startDevServer } from '@ossup/dev-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNodeClient, type NodeClientOptions } from '../src/create-node-client.ts';
import { fromFile } from '../src/file-source.ts';
import { FileSourceError } from '../src/file-source-error.ts';
import { nodeHttpTransport } from '../src/node-http-transport.ts';
import { workerThreadHasher } from '../src/worker-thread-hasher.ts';
import { digestStream, writeRandomFile } from './helpers/files.ts';

const MiB = 1024 * 1024;
const BUCKET = 'streamed';
let server: DevServer;
let dir: string;

beforeAll(async () => {
  server = await startDevServer({ buckets: [BUCKET] });
  dir = await mkdtemp(join(tmpdir(), 'ossup-streamed-'));
});
afterEach(() => server.faults.clear());
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

function client(options: Partial<NodeClientOptions> = {}) {
  return createNodeClient({
    endpoint: server.endpoint,
    region: server.region,
    credentials: server.credentials,
    ...options,
  });
}

/** The inline hasher, with the buffers the uploader asks it for recorded. */
function recordingHasher(): BodyHasher & { allocations: number[] } {
  const inner = inlineHasher();
  const allocations: number[] = [];
  return {
    allocations,
    digest: (bytes, request) => inner.digest(bytes, request),
    allocate(size) {
      allocations.push(size);
      return new Uint8Array(size);
    },
  };
}

/** nodeHttpTransport, flipping one byte of the chosen UploadPart attempts on the wire. */
function corruptingStreamTransport(corrupt: (partNumber: number) => boolean): Transport {
  const inner = nodeHttpTransport();
  const transport: Transport = (request, options) => {
    const part = new URL(request.url).searchParams.get('partNumber');
    if (part === null || !(request.body instanceof ReadableStream) || !corrupt(Number(part))) {
      return inner(request, options);
    }
    let first = true;
    const body = request.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          // A copy: the uploader's slice keeps the true bytes.
          const copy = new Uint8Array(chunk);
          if (first) copy[copy.length >> 1]! ^= 0x10;
          first = false;
          controller.enqueue(copy);
        },
      }),
    );
    return inner({ ...request, body }, options);
  };
  return Object.assign(transport, { streamsBodies: true });
}

async function expectStored(key: string, local: { crc64: bigint; sha256: string }, size: number) {
  const got = await client().getObject({ bucket: BUCKET, key });
  expect(got.crc64).toBe(local.crc64);
  const downloaded = await digestStream(got.body);
  expect(downloaded.size).toBe(size);
  expect(downloaded.sha256).toBe(local.sha256);
}

async function openUploads(key: string): Promise<number> {
  const out = await client().listMultipartUploads({ bucket: BUCKET, prefix: key });
  return out.uploads.length;
}

describe('parts streamed from a file', () => {
  it('reads 8 MiB parts in 2 MiB slices, holding at most 2 per part in flight', async () => {
    const file = join(dir, 'slices.bin');
    const size = 24 * MiB + 12345;
    const local = await writeRandomFile(file, size);
    const hasher = recordingHasher();
    const source = await fromFile(file);
    try {
      const result = await upload(client({ hasher }), {
        source,
        bucket: BUCKET,
        key: 'slices.bin',
        partSize: 8 * MiB,
        parallel: 2,
      });
      expect(result.crc64).toBe(local.crc64);
      expect(result.parts.map((p) => p.size)).toEqual([8 * MiB, 8 * MiB, 8 * MiB, 12345]);
    } finally {
      await source.close();
    }
    // Whole parts would have been allocated at 8 MiB each.
    expect(hasher.allocations.length).toBeGreaterThan(0);
    expect(new Set(hasher.allocations)).toEqual(new Set([2 * MiB]));
    expect(hasher.allocations.length).toBeLessThanOrEqual(2 * 2);
    await expectStored('slices.bin', local, size);
  });

  it('hashes shared-memory slices on a worker thread when CRC-64s run there', async () => {
    const file = join(dir, 'worker.bin');
    const size = 10 * MiB + 7;
    const local = await writeRandomFile(file, size);
    const hasher = workerThreadHasher({ crc64OnCallingThread: false, inlineBelow: 0 });
    const source = await fromFile(file);
    try {
      const result = await upload(client({ hasher }), {
        source,
        bucket: BUCKET,
        key: 'worker.bin',
        partSize: 4 * MiB,
      });
      expect(result.crc64).toBe(local.crc64);
      expect(result.parts.every((p) => p.crc64 !== undefined)).toBe(true);
    } finally {
      await source.close();
      await hasher.close();
    }
    await expectStored('worker.bin', local, size);
  });

  it('reads a part again for each attempt: resets mid-body, a lost answer, a slow reply', async () => {
    const file = join(dir, 'faults.bin');
    const size = 20 * MiB;
    const local = await writeRandomFile(file, size);
    const key = 'faults.bin';
    server.faults.add({
      match: { operation: 'UploadPart', key, partNumber: 2 },
      times: 2,
      action: { kind: 'reset', afterBodyBytes: 1536 * 1024 },
    });
    server.faults.add({
      match: { operation: 'UploadPart', key, partNumber: 3 },
      action: { kind: 'drop-after-store' },
    });
    server.faults.add({
      match: { operation: 'UploadPart', key, partNumber: 4 },
      action: { kind: 'delay', ms: 2500 },
    });
    const retries: RetryInfo[] = [];
    const source = await fromFile(file);
    try {
      const result = await upload(
        client({ timeout: 1000, onRetry: (r) => retries.push(r), retry: { baseDelayMs: 10 } }),
        { source, bucket: BUCKET, key, partSize: 4 * MiB, parallel: 3 },
      );
      expect(result.crc64).toBe(local.crc64);
    } finally {
      await source.close();
    }
    expect(server.faults.list()).toHaveLength(0);
    expect(retries.filter((r) => r.operation === 'UploadPart')).toHaveLength(4);
    await expectStored(key, local, size);
    expect(await openUploads(key)).toBe(0);
  });

  it('sends a part corrupted on the wire again, caught by the CRC-64 of its slices', async () => {
    const file = join(dir, 'corrupt-once.bin');
    const size = 12 * MiB;
    const local = await writeRandomFile(file, size);
    let corrupted = 0;
    const transport = corruptingStreamTransport((part) => part === 2 && corrupted++ === 0);
    const warnings: UploadWarning[] = [];
    const source = await fromFile(file);
    try {
      const result = await upload(client({ transport }), {
        source,
        bucket: BUCKET,
        key: 'corrupt-once.bin',
        partSize: 4 * MiB,
        onWarning: (w) => warnings.push(w),
      });
      expect(result.crc64).toBe(local.crc64);
    } finally {
      await source.close();
    }
    expect(corrupted).toBe(2);
    expect(warnings.map((w) => [w.code, w.partNumber])).toEqual([['part-retried', 2]]);
    await expectStored('corrupt-once.bin', local, size);
  });

  it('fails with OssIntegrityError when a streamed part keeps arriving corrupted, and aborts', async () => {
    const file = join(dir, 'corrupt-always.bin');
    await writeRandomFile(file, 8 * MiB);
    const transport = corruptingStreamTransport((part) => part === 1);
    const source = await fromFile(file);
    let failure: unknown;
    try {
      await upload(client({ transport }), {
        source,
        bucket: BUCKET,
        key: 'corrupt-always.bin',
        partSize: 4 * MiB,
      });
    } catch (error) {
      failure = error;
    } finally {
      await source.close();
    }
    expect(failure).toBeInstanceOf(UploadError);
    const cause = (failure as UploadError).cause;
    expect(cause).toBeInstanceOf(OssIntegrityError);
    expect((cause as OssIntegrityError).what).toBe('part-crc64');
    expect(await openUploads('corrupt-always.bin')).toBe(0);
  });

  it('fails at once with a FileSourceError when the file changes mid-part: no retry', async () => {
    const file = join(dir, 'changing.bin');
    await writeRandomFile(file, 16 * MiB);
    const retries: RetryInfo[] = [];
    const file_ = await fromFile(file);
    // The file grows just before the first part's second slice is read.
    let reads = 0;
    const source = {
      size: file_.size,
      fingerprint: file_.fingerprint,
      read: file_.read.bind(file_),
      readInto: (
        start: number,
        end: number,
        target: Uint8Array,
        options?: ByteSourceReadOptions,
      ) => {
        if (++reads === 2) appendFileSync(file, 'more');
        return file_.readInto(start, end, target, options);
      },
    };
    let failure: unknown;
    try {
      await upload(client({ onRetry: (r) => retries.push(r) }), {
        source,
        bucket: BUCKET,
        key: 'changing.bin',
        partSize: 8 * MiB,
        parallel: 1,
      });
    } catch (error) {
      failure = error;
    } finally {
      await file_.close();
    }
    // The part's slices (2 MiB) but the last continue the body, unchecked; the check after its
    // last slice finds the change, before the part could be acknowledged.
    expect(reads).toBe(4);
    expect(failure).toBeInstanceOf(UploadError);
    expect((failure as UploadError).cause).toBeInstanceOf(FileSourceError);
    expect(((failure as UploadError).cause as FileSourceError).kind).toBe('changed');
    expect(retries).toEqual([]);
  });
});
