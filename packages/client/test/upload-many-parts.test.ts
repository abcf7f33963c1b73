import { memoryCheckpointStore } from '@ossup/checkpoint-store';
import { crc64 } from '@ossup/checksum';
import { type DevServer, startDevServer } from '@ossup/dev-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBytes, fromStream, type OssClient, upload } from '../src/index.ts';
import { clientFor, storedObject, testBytes } from './support/upload-fixtures.ts';

// The OSS ceiling: 10,000 parts in one upload. Parts are tiny (1 KiB, the dev server's
// lowered minimum) so the whole thing stays small, but every count, page and XML body is
// as large as OSS allows.
const PART = 1024;
const LIMITS = { minPartSize: PART };

let server: DevServer;
let client: OssClient;

beforeAll(async () => {
  // The request log must hold every one of the 10,000 UploadPart requests.
  server = await startDevServer({
    buckets: ['upload-test'],
    limits: LIMITS,
    requestLogLimit: 30_000,
    onWarning: () => {},
  });
  client = clientFor(server);
});
afterAll(async () => {
  await server.close();
});

/** A stream that generates `parts × PART` deterministic bytes in odd-sized chunks, never holding them all. */
function generated(parts: number): { stream: ReadableStream<Uint8Array>; crc: bigint } {
  const total = parts * PART;
  const all = testBytes(total, 77);
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= total) {
        controller.close();
        return;
      }
      const n = Math.min(3001, total - offset);
      controller.enqueue(all.slice(offset, offset + n));
      offset += n;
    },
  });
  return { stream, crc: crc64(all) };
}

describe('10,000 parts', () => {
  it('uploads a stream of exactly 10,000 parts and completes with all of them', async () => {
    const { stream, crc } = generated(10_000);
    server.requests.clear();
    const result = await upload(client, {
      source: fromStream(stream),
      bucket: 'upload-test',
      key: 'many/ten-thousand.bin',
      partSize: PART,
      parallel: 8,
      limits: LIMITS,
    });
    expect(result.parts).toHaveLength(10_000);
    expect(result.crc64).toBe(crc);
    expect(result.etag).toMatch(/-10000$/);
    expect(server.requests.count({ operation: 'UploadPart', status: 200 })).toBe(10_000);
    const head = await client.headObject({ bucket: 'upload-test', key: 'many/ten-thousand.bin' });
    expect(head.size).toBe(10_000 * PART);
    expect(head.crc64).toBe(crc);
  }, 240_000);

  it('resumes a 2,500-part upload by paging through ListParts', async () => {
    const data = testBytes(2_500 * PART, 5);
    const source = fromBytes(data, { fingerprint: 'many-parts-resume' });
    const store = memoryCheckpointStore();
    const controller = new AbortController();
    await expect(
      upload(client, {
        source,
        bucket: 'upload-test',
        key: 'many/resume.bin',
        partSize: PART,
        parallel: 8,
        limits: LIMITS,
        checkpoint: store,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.partsDone >= 1_500) controller.abort(new Error('pause'));
        },
      }),
    ).rejects.toThrow('pause');
    server.requests.clear();
    const result = await upload(client, {
      source,
      bucket: 'upload-test',
      key: 'many/resume.bin',
      partSize: PART,
      parallel: 8,
      limits: LIMITS,
      checkpoint: store,
    });
    expect(result.resumed).toBe(true);
    expect(result.crc64).toBe(crc64(data));
    // ListParts answers at most 1,000 parts a page: at least two pages for 1,500+ parts.
    expect(server.requests.count({ operation: 'ListParts' })).toBeGreaterThanOrEqual(2);
    // Only the parts not yet stored were sent again (plus at most the 8 in flight at the pause).
    const resent = server.requests.count({ operation: 'UploadPart', status: 200 });
    expect(resent).toBeLessThanOrEqual(2_500 - 1_500 + 8);
    const stored = await storedObject(client, 'many/resume.bin');
    expect(stored.crc64).toBe(crc64(data));
  }, 240_000);
});
