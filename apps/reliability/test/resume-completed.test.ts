// A crash after CompleteMultipartUpload succeeded but before the checkpoint was deleted leaves
// a checkpoint whose upload no longer exists, while the object is already complete. Resuming
// must recognise the object (same size, same CRC-64) instead of uploading everything again.
// Found by the crash matrix (the "after complete" row sent the whole object twice).
import { type CheckpointStore, memoryCheckpointStore } from '@ossup/checkpoint-store';
import { crc64 } from '@ossup/checksum';
import { type ByteSource, createClient, type UploadOptions, upload } from '@ossup/client';
import { type DevServer, startDevServer } from '@ossup/dev-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededBytes, seededSource } from '../src/seeded.ts';

const KiB = 1024;
const PART = 64 * KiB;
const SIZE = 5 * PART + 123;
const LIMITS = { minPartSize: 16 * KiB };

let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({ buckets: ['done'], limits: LIMITS, onWarning: () => {} });
});
afterAll(async () => {
  await server?.close();
});

function clientFor() {
  return createClient({
    endpoint: server.endpoint,
    region: server.region,
    credentials: server.credentials,
  });
}

/**
 * The store of a process that "crashed" after CompleteMultipartUpload: its delete never
 * happens, and only parts 1..`recordedUpTo` ever reached it (the writer coalesces writes).
 */
function crashedAfterComplete(inner: CheckpointStore, recordedUpTo: number): CheckpointStore {
  return {
    ...inner,
    delete: async () => {},
    set: async (c) =>
      inner.set({ ...c, parts: c.parts.filter((p) => p.partNumber <= recordedUpTo) }),
  };
}

/** `upload()` of `source` to `done/<key>` in parts of `partSize` (default PART). */
function uploadTo(
  key: string,
  source: ByteSource,
  options: Partial<UploadOptions> = {},
): ReturnType<typeof upload> {
  return upload(clientFor(), {
    source,
    bucket: 'done',
    key,
    partSize: PART,
    limits: LIMITS,
    ...options,
  });
}

describe('resume after a crash between Complete and the checkpoint delete', () => {
  for (const missing of [0, 2]) {
    it(`sends nothing again when the object is complete (${missing} parts missing from the checkpoint)`, async () => {
      const key = `completed-${missing}.bin`;
      const inner = memoryCheckpointStore();
      const first = await uploadTo(key, seededSource(key, SIZE), {
        checkpoint: crashedAfterComplete(inner, 6 - missing),
      });
      expect(first.parts).toHaveLength(6);
      expect((await inner.list()).length).toBe(1);

      const before = server.requests.count({ key, operation: 'UploadPart' });
      const warnings: string[] = [];
      const second = await uploadTo(key, seededSource(key, SIZE), {
        checkpoint: inner,
        onWarning: (w) => warnings.push(w.code),
      });
      expect(server.requests.count({ key, operation: 'UploadPart' })).toBe(before);
      expect(server.requests.count({ key, operation: 'InitiateMultipartUpload' })).toBe(1);
      expect(second.resumed).toBe(true);
      expect(second.resumedBytes).toBe(SIZE);
      expect(second.crc64).toBe(crc64(seededBytes(key, 0, SIZE)));
      expect(second.etag).toBe(first.etag);
      expect(await inner.list()).toEqual([]);
    });
  }

  it('still starts afresh when the object at the key is not this source', async () => {
    const key = 'replaced.bin';
    const inner = memoryCheckpointStore();
    await uploadTo(key, seededSource(key, SIZE), { checkpoint: crashedAfterComplete(inner, 6) });
    // Someone overwrites the object with other bytes of the same size.
    await clientFor().putObject({ bucket: 'done', key, body: seededBytes('other', 0, SIZE) });
    const before = server.requests.count({ key, operation: 'UploadPart' });
    const result = await uploadTo(key, seededSource(key, SIZE), { checkpoint: inner });
    expect(result.resumed).toBe(false);
    expect(server.requests.count({ key, operation: 'UploadPart' })).toBe(before + 6);
    expect(result.crc64).toBe(crc64(seededBytes(key, 0, SIZE)));
  });

  for (const replacement of ['a Normal object', 'a Multipart object of another part count']) {
    it(`reads nothing of the source to compare with ${replacement} at the key`, async () => {
      const key = `replaced-${replacement.split(' ')[1]}.bin`;
      const inner = memoryCheckpointStore();
      // Only parts 1-2 reach the checkpoint, so a comparison would have to read parts 3-6.
      await uploadTo(key, seededSource(key, SIZE), { checkpoint: crashedAfterComplete(inner, 2) });
      if (replacement === 'a Normal object') {
        await clientFor().putObject({ bucket: 'done', key, body: seededBytes('other', 0, SIZE) });
      } else {
        await uploadTo(key, seededSource('other', SIZE), { partSize: 2 * PART });
        expect((await clientFor().headObject({ bucket: 'done', key })).etag).toMatch(/-3"?$/);
      }
      const source = seededSource(key, SIZE);
      const result = await uploadTo(key, source, { checkpoint: inner });
      expect(result.resumed).toBe(false);
      // Each byte read once, to be uploaded: none read to compare first.
      expect(source.stats.readBytes).toBe(SIZE);
      expect(result.crc64).toBe(crc64(seededBytes(key, 0, SIZE)));
    });
  }
});
