import {
  type Checkpoint,
  CheckpointError,
  type CheckpointStore,
  checkpointId,
  memoryCheckpointStore,
} from '@ossup/checkpoint-store';
import { crc64 } from '@ossup/checksum';
import type { DevServer } from '@ossup/dev-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  abortUpload,
  type ByteSource,
  blobFingerprint,
  fetchTransport,
  fromBlob,
  OssArgumentError,
  type OssClient,
  type Transport,
  UploadError,
  type UploadOptions,
  type UploadProgress,
  type UploadWarning,
  upload,
} from '../src/index.ts';
import {
  BUCKET,
  clientFor,
  openUploads,
  pausingClient,
  SMALL_LIMITS,
  SMALL_PART,
  sameBytes,
  startServer,
  storedObject,
  storedPartCounts,
  testBytes,
} from './support/upload-fixtures.ts';

let server: DevServer;
let client: OssClient;

beforeAll(async () => {
  server = await startServer();
  client = clientFor(server);
});
afterEach(() => server.faults.clear());
afterAll(async () => {
  await server.close();
});

const PARTS = 10;

function fileOf(seed: number, lastModified = 1_700_000_000_000) {
  const data = testBytes(PARTS * SMALL_PART - 7, seed);
  return { data, file: new File([data], 'video.bin', { lastModified }) };
}

function optionsFor(key: string, file: File, store: CheckpointStore): UploadOptions {
  return {
    source: fromBlob(file),
    bucket: BUCKET,
    key,
    partSize: SMALL_PART,
    limits: SMALL_LIMITS,
    parallel: 2,
    checkpoint: store,
  };
}

/** Runs an upload that the "user" pauses after `afterParts` acknowledged parts. */
async function pausedUpload(
  options: UploadOptions,
  afterParts = 4,
  wrap?: (transport: Transport) => Transport,
): Promise<unknown> {
  const controller = new AbortController();
  const reason = new Error('paused by the user');
  const pausing = pausingClient(server, afterParts, controller, reason, wrap);
  const err = await upload(pausing, { ...options, signal: controller.signal }).catch(
    (e: unknown) => e,
  );
  expect(err).toBe(reason);
  return err;
}

/** How many UploadPart requests for `key` the server has seen: a mark for {@link partsSentSince}. */
function uploadPartMark(key: string): number {
  return server.requests.entries({ operation: 'UploadPart', key }).length;
}

/** The part numbers of the UploadPart requests for `key` after `mark`. */
function partsSentSince(key: string, mark: number): number[] {
  return server.requests
    .entries({ operation: 'UploadPart', key })
    .slice(mark)
    .map((e) => e.partNumber!);
}

async function expectStored(key: string, data: Uint8Array) {
  const stored = await storedObject(client, key);
  expect(stored.size).toBe(data.length);
  expect(stored.crc64).toBe(crc64(data));
  expect(sameBytes(stored.bytes, data)).toBe(true);
}

async function idFor(file: File, key: string) {
  return checkpointId({
    fingerprint: blobFingerprint(file)!,
    endpoint: client.endpoint,
    bucket: BUCKET,
    key,
  });
}

describe('resume', () => {
  it('continues a paused upload without sending stored parts again', async () => {
    const key = 'resume/pause';
    const { data, file } = fileOf(1);
    const store = memoryCheckpointStore();
    await pausedUpload(optionsFor(key, file, store));

    // Paused, not aborted: the parts and the checkpoint are kept.
    const cp = await store.get(await idFor(file, key));
    expect(cp).toBeDefined();
    expect(cp!.parts.length).toBeGreaterThanOrEqual(3);
    expect(await openUploads(client, key)).toEqual([cp!.uploadId]);
    // Parts the server has stored by now (a part in flight at the pause may still land).
    const storedBefore = storedPartCounts(server, key);
    expect(storedBefore.size).toBeGreaterThanOrEqual(4);
    expect(storedBefore.size).toBeLessThan(PARTS);

    const requestsBefore = uploadPartMark(key);
    const events: UploadProgress[] = [];
    const result = await upload(client, {
      ...optionsFor(key, file, store),
      onProgress: (p) => events.push({ ...p }),
    });
    expect(result.resumed).toBe(true);
    expect(result.uploadId).toBe(cp!.uploadId);
    expect(result.resumedBytes).toBeGreaterThanOrEqual(storedBefore.size * SMALL_PART);
    // The resume sent only parts the server did not have before it started.
    const resent = partsSentSince(key, requestsBefore);
    expect(resent.length).toBeLessThanOrEqual(PARTS - storedBefore.size);
    expect(resent.length).toBeGreaterThanOrEqual(PARTS - storedBefore.size - 2);
    for (const partNumber of storedBefore.keys()) expect(resent).not.toContain(partNumber);
    // Progress starts at the resumed bytes and never goes back.
    const uploading = events.filter((e) => e.phase !== 'preparing');
    expect(uploading[0]!.loaded).toBe(cp!.parts.length * SMALL_PART);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.loaded).toBeGreaterThanOrEqual(events[i - 1]!.loaded);
    }
    expect(events[events.length - 1]!.loaded).toBe(data.length);
    // Done: the checkpoint is gone.
    expect(await store.list()).toEqual([]);
    await expectStored(key, data);
  });

  it('keeps parts the server stored after the last checkpoint write (crash window) by checking their CRC', async () => {
    const key = 'resume/crash-window';
    const { data, file } = fileOf(2);
    const entries = new Map<string, string>();
    const healthy = memoryCheckpointStore({ entries });
    let writes = 0;
    // The store takes the first write (right after Initiate) and then loses every other one,
    // like a process killed before its checkpoint writes landed.
    const lossy: CheckpointStore = {
      ...healthy,
      async set(cp) {
        if (writes++ === 0) await healthy.set(cp);
      },
    };
    await pausedUpload(optionsFor(key, file, lossy), 5);
    const cp = await healthy.get(await idFor(file, key));
    expect(cp!.parts).toEqual([]);
    const storedBefore = storedPartCounts(server, key);
    expect(storedBefore.size).toBeGreaterThanOrEqual(5);

    const result = await upload(client, optionsFor(key, file, healthy));
    expect(result.resumed).toBe(true);
    expect(result.resumedBytes).toBeGreaterThanOrEqual(storedBefore.size * SMALL_PART);
    const storedAfter = storedPartCounts(server, key);
    for (const partNumber of storedBefore.keys()) expect(storedAfter.get(partNumber)).toBe(1);
    expect([...storedAfter.values()].reduce((a, b) => a + b, 0) - PARTS).toBeLessThanOrEqual(2);
    await expectStored(key, data);
  });

  it('uses the part size of the checkpoint, whatever partSize is asked for now', async () => {
    const key = 'resume/part-size';
    const { data, file } = fileOf(3);
    const store = memoryCheckpointStore();
    await pausedUpload(optionsFor(key, file, store), 3);
    const result = await upload(client, {
      ...optionsFor(key, file, store),
      partSize: 3 * SMALL_PART,
    });
    expect(result.resumed).toBe(true);
    expect(result.partSize).toBe(SMALL_PART);
    expect(result.parts).toHaveLength(PARTS);
    await expectStored(key, data);
  });

  it('starts afresh when the source changed, aborting the old upload', async () => {
    const key = 'resume/changed';
    const old = fileOf(4, 1_000);
    const store = memoryCheckpointStore();
    await pausedUpload(optionsFor(key, old.file, store), 3);
    const [oldUpload] = await openUploads(client, key);
    expect(oldUpload).toBeDefined();

    // Same name and size, edited since: a new lastModified and other bytes.
    const edited = fileOf(5, 2_000);
    const warnings: UploadWarning[] = [];
    const result = await upload(client, {
      ...optionsFor(key, edited.file, store),
      onWarning: (w) => warnings.push(w),
    });
    expect(result.resumed).toBe(false);
    expect(result.uploadId).not.toBe(oldUpload);
    expect(warnings.map((w) => [w.code, w.uploadId])).toEqual([
      ['stale-upload-aborted', oldUpload],
    ]);
    expect(await openUploads(client, key)).toEqual([]);
    expect(await store.list()).toEqual([]);
    await expectStored(key, edited.data);
  });

  it('starts afresh when the upload is gone from the server (NoSuchUpload)', async () => {
    const key = 'resume/gone';
    const { data, file } = fileOf(6);
    const store = memoryCheckpointStore();
    await pausedUpload(optionsFor(key, file, store), 3);
    const [uploadId] = await openUploads(client, key);
    await client.abortMultipartUpload({ bucket: BUCKET, key, uploadId: uploadId! });
    const warnings: UploadWarning[] = [];
    const result = await upload(client, {
      ...optionsFor(key, file, store),
      onWarning: (w) => warnings.push(w),
    });
    expect(result.resumed).toBe(false);
    expect(warnings.map((w) => w.code)).toEqual(['upload-missing']);
    await expectStored(key, data);
  });

  it('reports a corrupt checkpoint and starts afresh', async () => {
    const key = 'resume/corrupt';
    const { data, file } = fileOf(7);
    const entries = new Map<string, string>();
    const store = memoryCheckpointStore({ entries });
    const id = await idFor(file, key);
    entries.set(id, '{"kind":"ossup.checkpoint","version":1,"id":');
    const warnings: UploadWarning[] = [];
    const result = await upload(client, {
      ...optionsFor(key, file, store),
      onWarning: (w) => warnings.push(w),
    });
    expect(result.resumed).toBe(false);
    expect(warnings.map((w) => w.code)).toEqual(['checkpoint-unreadable']);
    expect(warnings[0]!.cause).toBeInstanceOf(CheckpointError);
    expect(entries.has(id)).toBe(false);
    await expectStored(key, data);
  });

  it('reports a checkpoint from a newer version and starts afresh', async () => {
    const key = 'resume/future';
    const { data, file } = fileOf(8);
    const entries = new Map<string, string>();
    const id = await idFor(file, key);
    entries.set(id, JSON.stringify({ kind: 'ossup.checkpoint', version: 99, id }));
    const warnings: UploadWarning[] = [];
    await upload(client, {
      ...optionsFor(key, file, memoryCheckpointStore({ entries })),
      onWarning: (w) => warnings.push(w),
    });
    expect(warnings.map((w) => (w.cause as CheckpointError).kind)).toEqual(['future-version']);
    await expectStored(key, data);
  });

  it("with onCheckpointError: 'throw', an unreadable checkpoint fails the upload before anything is sent", async () => {
    const key = 'resume/throw';
    const { file } = fileOf(9);
    const entries = new Map<string, string>();
    const id = await idFor(file, key);
    entries.set(id, '{"not":"ours"}');
    const before = server.requests.count({ key });
    const err = await upload(client, {
      ...optionsFor(key, file, memoryCheckpointStore({ entries })),
      onCheckpointError: 'throw',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UploadError);
    expect(err).toHaveProperty('phase', 'preparing');
    expect((err as UploadError).cause).toHaveProperty('kind', 'foreign');
    expect(server.requests.count({ key })).toBe(before);
    expect(entries.get(id)).toBe('{"not":"ours"}');
  });

  it('refuses to drive the same upload twice at once (store lock)', async () => {
    const key = 'resume/locked';
    const { data, file } = fileOf(10);
    const store = memoryCheckpointStore();
    const [first, second] = await Promise.allSettled([
      upload(client, optionsFor(key, file, store)),
      upload(client, optionsFor(key, file, store)),
    ]);
    expect(first.status).toBe('fulfilled');
    expect(second.status).toBe('rejected');
    const reason = (second as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(UploadError);
    expect((reason as UploadError).cause).toHaveProperty('kind', 'locked');
    await expectStored(key, data);
  });

  it('abortUpload() aborts a paused upload and deletes its checkpoint', async () => {
    const key = 'resume/abort';
    const { file } = fileOf(11);
    const store = memoryCheckpointStore();
    await pausedUpload(optionsFor(key, file, store), 3);
    const [uploadId] = await openUploads(client, key);
    const result = await abortUpload(client, {
      bucket: BUCKET,
      key,
      source: fromBlob(file),
      checkpoint: store,
    });
    expect(result).toEqual({
      uploadId,
      aborted: true,
      checkpointsDeleted: [await idFor(file, key)],
    });
    expect(await openUploads(client, key)).toEqual([]);
    expect(await store.list()).toEqual([]);
  });

  it('without a store, a cancelled upload is aborted (no orphaned parts)', async () => {
    const key = 'resume/no-store';
    const { file } = fileOf(12);
    const options = { ...optionsFor(key, file, memoryCheckpointStore()), checkpoint: undefined };
    await pausedUpload(options, 3);
    expect(await openUploads(client, key)).toEqual([]);
  });

  it('warns that a source without fingerprint cannot be resumed', async () => {
    const key = 'resume/no-fingerprint';
    const data = testBytes(3 * SMALL_PART, 13);
    const store = memoryCheckpointStore();
    const warnings: UploadWarning[] = [];
    await upload(client, {
      ...optionsFor(key, new File([], 'x'), store),
      source: fromBlob(new Blob([data])),
      onWarning: (w) => warnings.push(w),
    });
    expect(warnings.map((w) => w.code)).toEqual(['no-fingerprint']);
    expect(await store.list()).toEqual([]);
    await expectStored(key, data);
  });

  it('verifyResumedParts: another source behind the same fingerprint has its differing parts sent again, never mixed', async () => {
    const key = 'resume/same-fingerprint';
    const store = memoryCheckpointStore();
    const first = fileOf(20, 5_000);
    await pausedUpload(optionsFor(key, first.file, store), 4);
    const storedBefore = storedPartCounts(server, key);
    expect(storedBefore.size).toBeGreaterThanOrEqual(4);

    // Same name, size and lastModified, other bytes: the fingerprint cannot tell them apart.
    const other = fileOf(21, 5_000);
    expect(blobFingerprint(other.file)).toBe(blobFingerprint(first.file));
    const before = uploadPartMark(key);
    const result = await upload(client, {
      ...optionsFor(key, other.file, store),
      verifyResumedParts: true,
    });
    expect(result.resumed).toBe(true);
    const resent = new Set(partsSentSince(key, before));
    for (const partNumber of storedBefore.keys()) expect(resent).toContain(partNumber);
    expect(result.resumedBytes).toBe(0);
    await expectStored(key, other.data);
  });

  it('verifyResumedParts: the same source keeps every stored part after reading it back', async () => {
    const key = 'resume/verify-same';
    const store = memoryCheckpointStore();
    const { data, file } = fileOf(22);
    await pausedUpload(optionsFor(key, file, store), 4);
    const storedBefore = storedPartCounts(server, key);
    const before = uploadPartMark(key);
    const result = await upload(client, {
      ...optionsFor(key, file, store),
      verifyResumedParts: true,
    });
    expect(result.resumed).toBe(true);
    expect(result.resumedBytes).toBeGreaterThanOrEqual(storedBefore.size * SMALL_PART);
    const resent = partsSentSince(key, before);
    for (const partNumber of storedBefore.keys()) expect(resent).not.toContain(partNumber);
    await expectStored(key, data);
  });

  it('rewrites a resumed checkpoint with every kept part from its first write', async () => {
    const key = 'resume/first-write';
    const { data, file } = fileOf(23);
    const store = memoryCheckpointStore();
    await pausedUpload(optionsFor(key, file, store), 4);
    const recorded = (await store.get(await idFor(file, key)))!.parts.length;
    expect(recorded).toBeGreaterThanOrEqual(3);
    const writes: number[] = [];
    const spy: CheckpointStore = {
      ...store,
      async set(cp) {
        writes.push(cp.parts.length);
        await store.set(cp);
      },
    };
    await upload(client, optionsFor(key, file, spy));
    expect(writes[0]).toBeGreaterThanOrEqual(recorded);
    await expectStored(key, data);
  });

  it('with a store that takes no write, a failed or paused upload is aborted and names no checkpoint', async () => {
    const broken: CheckpointStore = {
      ...memoryCheckpointStore(),
      async set() {
        throw new Error('disk full');
      },
    };
    const paused = 'resume/unwritable-pause';
    await pausedUpload(optionsFor(paused, fileOf(24).file, broken), 3);
    expect(await openUploads(client, paused)).toEqual([]);

    const failed = 'resume/unwritable-fail';
    server.faults.add({
      match: { operation: 'UploadPart', key: failed },
      times: 'always',
      action: { kind: 'status', status: 400, code: 'InvalidArgument' },
    });
    const warnings: UploadWarning[] = [];
    const err = await upload(client, {
      ...optionsFor(failed, fileOf(25).file, broken),
      onWarning: (w) => warnings.push(w),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UploadError);
    expect((err as UploadError).checkpointId).toBeUndefined();
    expect((err as UploadError).message).not.toContain('run the upload again to resume');
    expect(warnings.map((w) => w.code)).toContain('checkpoint-write-failed');
    expect(await openUploads(client, failed)).toEqual([]);
  });

  it('keeps the checkpoint of a stale upload whose abort failed, and aborts it on the next run', async () => {
    const key = 'resume/stale-abort-fails';
    const store = memoryCheckpointStore();
    const old = fileOf(26, 1_000);
    await pausedUpload(optionsFor(key, old.file, store), 3);
    const [oldUpload] = await openUploads(client, key);
    const oldId = await idFor(old.file, key);

    const edited = fileOf(27, 2_000);
    server.faults.add({
      match: { operation: 'AbortMultipartUpload', key },
      times: 'always',
      action: { kind: 'status', status: 500, code: 'InternalError' },
    });
    const warnings: UploadWarning[] = [];
    await upload(client, {
      ...optionsFor(key, edited.file, store),
      onWarning: (w) => warnings.push(w),
    });
    expect(warnings.map((w) => w.code)).toEqual(['abort-failed']);
    expect(await openUploads(client, key)).toEqual([oldUpload]);
    expect((await store.get(oldId))?.uploadId).toBe(oldUpload);

    server.faults.clear();
    warnings.length = 0;
    await upload(client, {
      ...optionsFor(key, edited.file, store),
      onWarning: (w) => warnings.push(w),
    });
    expect(warnings.map((w) => [w.code, w.uploadId])).toEqual([
      ['stale-upload-aborted', oldUpload],
    ]);
    expect(await openUploads(client, key)).toEqual([]);
    expect(await store.list()).toEqual([]);
    await expectStored(key, edited.data);
  });

  it('abortUpload() leaves an unreadable checkpoint and its upload alone, and says how to go on', async () => {
    const key = 'resume/abort-unreadable';
    const { file } = fileOf(28);
    const entries = new Map<string, string>();
    const store = memoryCheckpointStore({ entries });
    await pausedUpload(optionsFor(key, file, store), 3);
    const [uploadId] = await openUploads(client, key);
    const id = await idFor(file, key);
    const unreadable = JSON.stringify({ ...JSON.parse(entries.get(id)!), version: 99 });
    entries.set(id, unreadable);

    const err = await abortUpload(client, {
      bucket: BUCKET,
      key,
      source: fromBlob(file),
      checkpoint: store,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OssArgumentError);
    expect((err as OssArgumentError).argument).toBe('uploadId');
    expect((err as Error).message).toContain('could not be read');
    expect(entries.get(id)).toBe(unreadable);
    expect(await openUploads(client, key)).toEqual([uploadId]);

    const result = await abortUpload(client, {
      bucket: BUCKET,
      key,
      uploadId,
      source: fromBlob(file),
      checkpoint: store,
    });
    expect(result).toEqual({ uploadId, aborted: true, checkpointsDeleted: [] });
    expect(await openUploads(client, key)).toEqual([]);
  });

  it('asks the source once more before the object is made (verifyUnchanged)', async () => {
    for (const [key, size] of [
      ['resume/changed-late-multipart', 3 * SMALL_PART],
      ['resume/changed-late-single', SMALL_PART - 1],
    ] as const) {
      const inner = fromBlob(new Blob([testBytes(size, 29)]));
      const changed = new Error('changed while it was being uploaded');
      let asked = 0;
      const source: ByteSource = {
        size: inner.size,
        fingerprint: undefined,
        read: (start, end, options) => inner.read(start, end, options),
        verifyUnchanged: async () => {
          asked++;
          throw changed;
        },
      };
      const err = await upload(client, {
        source,
        bucket: BUCKET,
        key,
        partSize: SMALL_PART,
        limits: SMALL_LIMITS,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UploadError);
      expect((err as UploadError).phase).toBe('uploading');
      expect((err as UploadError).cause).toBe(changed);
      expect(asked).toBe(1);
      expect(server.requests.entries({ key, operation: 'CompleteMultipartUpload' })).toEqual([]);
      expect(server.requests.entries({ key, operation: 'PutObject' })).toEqual([]);
      expect(await openUploads(client, key)).toEqual([]);
    }
  });

  it('reads the parts back when the source identity changed behind the same fingerprint', async () => {
    const withIdentity = (file: File, identity: string): ByteSource => {
      const inner = fromBlob(file);
      return {
        size: inner.size,
        fingerprint: inner.fingerprint,
        identity,
        read: (start, end, options) => inner.read(start, end, options),
      };
    };
    for (const [key, seed] of [
      ['resume/identity-same-bytes', 30],
      ['resume/identity-other-bytes', 31],
    ] as const) {
      const store = memoryCheckpointStore();
      const first = fileOf(30, 6_000);
      await pausedUpload({
        ...optionsFor(key, first.file, store),
        source: withIdentity(first.file, 'ctime-1:ino-1'),
      });
      expect((await store.list())[0]?.uploadId).toBeDefined();
      const cp = (await store.get(await idFor(first.file, key)))!;
      expect(cp.source.identity).toBe('ctime-1:ino-1');
      const storedBefore = storedPartCounts(server, key);

      const now = fileOf(seed, 6_000);
      const before = uploadPartMark(key);
      const warnings: UploadWarning[] = [];
      const result = await upload(client, {
        ...optionsFor(key, now.file, store),
        source: withIdentity(now.file, 'ctime-2:ino-1'),
        onWarning: (w) => warnings.push(w),
      });
      expect(warnings.map((w) => w.code)).toEqual(['source-identity-changed']);
      expect(result.resumed).toBe(true);
      const resent = partsSentSince(key, before);
      for (const partNumber of storedBefore.keys()) {
        if (seed === 30) expect(resent).not.toContain(partNumber);
        else expect(resent).toContain(partNumber);
      }
      await expectStored(key, now.data);
    }
  });

  it('with verifyResumedParts, the first rewrite of the checkpoint still holds the parts being read back', async () => {
    const key = 'resume/verify-first-write';
    const { data, file } = fileOf(32);
    const store = memoryCheckpointStore();
    await pausedUpload(optionsFor(key, file, store), 4);
    const recorded = (await store.get(await idFor(file, key)))!.parts;
    expect(recorded.length).toBeGreaterThanOrEqual(3);
    const writes: Checkpoint[] = [];
    const spy: CheckpointStore = {
      ...store,
      async set(cp) {
        writes.push(cp);
        await store.set(cp);
      },
    };
    await upload(client, { ...optionsFor(key, file, spy), verifyResumedParts: true });
    expect(writes[0]!.parts.length).toBeGreaterThanOrEqual(recorded.length);
    for (const part of recorded) {
      expect(writes[0]!.parts.find((p) => p.partNumber === part.partNumber)?.crc64).toBe(
        part.crc64,
      );
    }
    await expectStored(key, data);
  });

  it('verifies resumed parts by MD5 against their ETags where no CRC-64 is known', async () => {
    // A server that reports no CRC-64 at all (not in UploadPart answers, not in ListParts).
    const noCrc =
      (inner: Transport): Transport =>
      async (request, options) => {
        const response = await inner(request, options);
        const headers = new Headers(response.headers);
        headers.delete('x-oss-hash-crc64ecma');
        const xml = (headers.get('content-type') ?? '').includes('xml');
        const body = xml
          ? (await response.text()).replace(/<HashCrc64ecma>[^<]*<\/HashCrc64ecma>/g, '')
          : response.body;
        return new Response(request.method === 'HEAD' ? null : body, {
          status: response.status,
          headers,
        });
      };
    for (const [key, seed] of [
      ['resume/md5-same-bytes', 33],
      ['resume/md5-other-bytes', 34],
    ] as const) {
      const store = memoryCheckpointStore();
      const first = fileOf(33, 7_000);
      await pausedUpload({ ...optionsFor(key, first.file, store), crc64: false }, 4, noCrc);
      const cp = (await store.get(await idFor(first.file, key)))!;
      expect(cp.parts.length).toBeGreaterThanOrEqual(3);
      expect(cp.parts.every((p) => p.crc64 === undefined)).toBe(true);
      const storedBefore = storedPartCounts(server, key);

      const now = fileOf(seed, 7_000);
      const before = uploadPartMark(key);
      const result = await upload(clientFor(server, { transport: noCrc(fetchTransport()) }), {
        ...optionsFor(key, now.file, store),
        crc64: false,
        verifyResumedParts: true,
      });
      expect(result.resumed).toBe(true);
      const resent = partsSentSince(key, before);
      for (const partNumber of storedBefore.keys()) {
        if (seed === 33) expect(resent).not.toContain(partNumber);
        else expect(resent).toContain(partNumber);
      }
      const stored = await storedObject(client, key);
      expect(sameBytes(stored.bytes, now.data)).toBe(true);
    }
  });

  it("abortUpload() with another upload's id keeps the source's checkpoint, which records a different one", async () => {
    const key = 'resume/abort-other-id';
    const { file } = fileOf(35);
    const store = memoryCheckpointStore();
    await pausedUpload(optionsFor(key, file, store), 3);
    const id = await idFor(file, key);
    const recorded = (await store.get(id))!.uploadId;
    const { uploadId: other } = await client.initiateMultipartUpload({ bucket: BUCKET, key });
    const result = await abortUpload(client, {
      bucket: BUCKET,
      key,
      uploadId: other,
      source: fromBlob(file),
      checkpoint: store,
    });
    expect(result).toEqual({ uploadId: other, aborted: true, checkpointsDeleted: [] });
    expect((await store.get(id))?.uploadId).toBe(recorded);
    expect(await openUploads(client, key)).toEqual([recorded]);
  });

  it('abortUpload() refuses an upload another process or tab is driving (store lock), aborting nothing', async () => {
    const key = 'resume/abort-locked';
    const { file } = fileOf(36);
    const store = memoryCheckpointStore();
    await pausedUpload(optionsFor(key, file, store), 3);
    const [uploadId] = await openUploads(client, key);
    const id = await idFor(file, key);
    // Someone else holds the upload, as a running upload() would.
    const unlock = await store.lock!(id);
    try {
      for (const byId of [false, true]) {
        const err = await abortUpload(client, {
          bucket: BUCKET,
          key,
          ...(byId ? { uploadId } : { source: fromBlob(file) }),
          checkpoint: store,
        }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(CheckpointError);
        expect((err as CheckpointError).kind).toBe('locked');
        expect(await openUploads(client, key)).toEqual([uploadId]);
        expect(await store.get(id)).toBeDefined();
      }
    } finally {
      await unlock();
    }
    const result = await abortUpload(client, {
      bucket: BUCKET,
      key,
      source: fromBlob(file),
      checkpoint: store,
    });
    expect(result.aborted).toBe(true);
  });
});
