import { crc64 } from '@ossup/checksum';
import type { DevServer } from '@ossup/dev-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ByteSource,
  fromBlob,
  fromBytes,
  fromStream,
  type OssClient,
  type UploadProgress,
  upload,
} from '../src/index.ts';
import {
  BUCKET,
  clientFor,
  SMALL_LIMITS,
  SMALL_PART,
  sameBytes,
  startServer,
  storedObject,
  testBytes,
} from './support/upload-fixtures.ts';

let server: DevServer;
let client: OssClient;

beforeAll(async () => {
  server = await startServer();
  client = clientFor(server);
});
afterAll(async () => {
  await server.close();
});

function chunkedStream(data: Uint8Array, chunk: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= data.length) {
        controller.close();
        return;
      }
      controller.enqueue(data.slice(offset, offset + chunk));
      offset += chunk;
    },
  });
}

async function expectStored(key: string, data: Uint8Array) {
  const stored = await storedObject(client, key);
  expect(stored.size).toBe(data.length);
  expect(stored.crc64).toBe(crc64(data));
  expect(stored.bytesCrc).toBe(crc64(data));
  expect(sameBytes(stored.bytes, data)).toBe(true);
}

describe('upload() stores exactly the source', () => {
  const sizes = [
    0,
    1,
    SMALL_PART - 1,
    SMALL_PART,
    SMALL_PART + 1,
    3 * SMALL_PART,
    5 * SMALL_PART + 123,
  ];
  for (const size of sizes) {
    it(`fromBytes, ${size} bytes`, async () => {
      const data = testBytes(size, size + 7);
      const key = `bytes/${size}`;
      const result = await upload(client, {
        source: fromBytes(data),
        bucket: BUCKET,
        key,
        partSize: SMALL_PART,
        limits: SMALL_LIMITS,
      });
      const partCount = Math.max(1, Math.ceil(size / SMALL_PART));
      expect(result.size).toBe(size);
      expect(result.crc64).toBe(crc64(data));
      expect(result.resumed).toBe(false);
      if (partCount === 1) {
        expect(result.uploadId).toBeUndefined();
        expect(result.parts).toHaveLength(0);
        expect(result.etag).toMatch(/^[0-9A-F]{32}$/);
      } else {
        expect(result.uploadId).toBeDefined();
        expect(result.parts.map((p) => p.partNumber)).toEqual(
          Array.from({ length: partCount }, (_, i) => i + 1),
        );
        expect(result.etag).toMatch(new RegExp(`^[0-9A-F]{32}-${partCount}$`));
      }
      await expectStored(key, data);
    });
  }

  it('fromBlob with real 100 KiB OSS limits and default settings', async () => {
    const data = testBytes(350 * 1024, 3);
    const result = await upload(client, {
      source: fromBlob(new Blob([data])),
      bucket: BUCKET,
      key: 'blob/oss-limits',
      partSize: 100 * 1024,
    });
    expect(result.parts).toHaveLength(4);
    expect(result.partSize).toBe(100 * 1024);
    await expectStored('blob/oss-limits', data);
  });

  for (const size of [0, 1000, SMALL_PART, 3 * SMALL_PART, 3 * SMALL_PART + 5]) {
    it(`fromStream of unknown length, ${size} bytes`, async () => {
      const data = testBytes(size, size + 11);
      const key = `stream/${size}`;
      const result = await upload(client, {
        source: fromStream(chunkedStream(data, 1000)),
        bucket: BUCKET,
        key,
        partSize: SMALL_PART,
        limits: SMALL_LIMITS,
        parallel: 3,
      });
      expect(result.size).toBe(size);
      expect(result.crc64).toBe(crc64(data));
      if (size < SMALL_PART) expect(result.uploadId).toBeUndefined();
      else expect(result.parts).toHaveLength(Math.ceil(size / SMALL_PART));
      await expectStored(key, data);
    });
  }

  it('fromStream with a known size is planned up front', async () => {
    const data = testBytes(4 * SMALL_PART + 10, 5);
    const events: UploadProgress[] = [];
    const result = await upload(client, {
      source: fromStream(chunkedStream(data, 777), { size: data.length }),
      bucket: BUCKET,
      key: 'stream/sized',
      partSize: SMALL_PART,
      limits: SMALL_LIMITS,
      onProgress: (p) => events.push(p),
    });
    expect(result.parts).toHaveLength(5);
    expect(events.every((e) => e.total === data.length && e.partsTotal === 5)).toBe(true);
    await expectStored('stream/sized', data);
  });

  it('a stream longer than its plan fails before the part past the limit', async () => {
    const data = testBytes(3 * SMALL_PART + 1, 9);
    const before = server.requests.count({ operation: 'UploadPart', key: 'stream/too-long' });
    const err = await upload(client, {
      source: fromStream(chunkedStream(data, 1000)),
      bucket: BUCKET,
      key: 'stream/too-long',
      partSize: SMALL_PART,
      limits: { ...SMALL_LIMITS, maxParts: 3 },
    }).catch((e: unknown) => e);
    expect(err).toHaveProperty('name', 'UploadError');
    expect(err).toHaveProperty('partNumber', 4);
    expect((err as Error).message).toMatch(/more than its upload plan/);
    // Part 4 never goes out. (Parts 1-3 may or may not have reached the server: the failure
    // cancels whatever is still in flight.)
    const sent = server.requests
      .entries({ operation: 'UploadPart', key: 'stream/too-long' })
      .slice(before)
      .map((e) => e.partNumber);
    expect(sent).not.toContain(4);
    expect(sent.length).toBeLessThanOrEqual(3);
    // Nothing is left behind: the multipart upload was aborted.
    expect(
      server.requests.count({ operation: 'AbortMultipartUpload', key: 'stream/too-long' }),
    ).toBe(1);
  });

  it('with contentMd5 and object settings on the multipart path', async () => {
    const data = testBytes(3 * SMALL_PART, 21);
    await upload(client, {
      source: fromBytes(data),
      bucket: BUCKET,
      key: 'settings/multi',
      partSize: SMALL_PART,
      limits: SMALL_LIMITS,
      contentMd5: true,
      contentType: 'text/x-test',
      meta: { origin: 'upload-test' },
    });
    const head = await client.headObject({ bucket: BUCKET, key: 'settings/multi' });
    expect(head.contentType).toBe('text/x-test');
    expect(head.meta).toEqual({ origin: 'upload-test' });
    expect(head.objectType).toBe('Multipart');
    await expectStored('settings/multi', data);
  });

  it('with contentMd5 and object settings on the single-request path', async () => {
    const data = testBytes(100, 22);
    await upload(client, {
      source: fromBytes(data),
      bucket: BUCKET,
      key: 'settings/single',
      contentMd5: true,
      contentType: 'text/x-single',
      meta: { a: 'b' },
    });
    const head = await client.headObject({ bucket: BUCKET, key: 'settings/single' });
    expect(head.contentType).toBe('text/x-single');
    expect(head.meta).toEqual({ a: 'b' });
    expect(head.objectType).toBe('Normal');
  });

  it('forbidOverwrite refuses to replace an object', async () => {
    const data = testBytes(3 * SMALL_PART, 23);
    const options = {
      source: fromBytes(data),
      bucket: BUCKET,
      key: 'settings/forbid',
      partSize: SMALL_PART,
      limits: SMALL_LIMITS,
      forbidOverwrite: true,
    };
    await upload(client, options);
    const err = await upload(client, options).catch((e: unknown) => e);
    // OSS (and the dev server) check it at Complete, once the parts are sent.
    expect((err as { phase: string }).phase).toBe('completing');
    expect((err as { cause: unknown }).cause).toHaveProperty('code', 'FileAlreadyExists');
  });

  it('reports monotonic progress through every phase, ending at the total', async () => {
    const data = testBytes(6 * SMALL_PART + 1, 31);
    const events: UploadProgress[] = [];
    await upload(client, {
      source: fromBytes(data),
      bucket: BUCKET,
      key: 'progress/basic',
      partSize: SMALL_PART,
      limits: SMALL_LIMITS,
      onProgress: (p) => events.push({ ...p }),
    });
    const phases = events.map((e) => e.phase).filter((p, i, all) => i === 0 || all[i - 1] !== p);
    expect(phases).toEqual(['preparing', 'uploading', 'completing', 'done']);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.loaded).toBeGreaterThanOrEqual(events[i - 1]!.loaded);
      expect(events[i]!.partsDone).toBeGreaterThanOrEqual(events[i - 1]!.partsDone);
    }
    const last = events[events.length - 1]!;
    expect(last).toHaveProperty('loaded', data.length);
    expect(last).toHaveProperty('total', data.length);
    expect(last).toHaveProperty('partsDone', 7);
    expect(last).toHaveProperty('partsTotal', 7);
    expect(JSON.stringify(events)).not.toContain(server.credentials.accessKeySecret);
  });

  it('keeps at most `parallel` parts read and in flight', async () => {
    const data = testBytes(20 * SMALL_PART, 41);
    const inner = fromBytes(data);
    let held = 0;
    let maxHeld = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const partsAcknowledged = new Set<number>();
    // Counts buffers from the moment they are read until their part is acknowledged.
    const source: ByteSource = {
      size: inner.size,
      fingerprint: undefined,
      async read(start, end, options) {
        held++;
        maxHeld = Math.max(maxHeld, held);
        return inner.read(start, end, options);
      },
    };
    const counting = clientFor(server, {
      transport: async (request, options) => {
        const isPart = request.url.includes('partNumber=');
        if (isPart) inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          return await fetch(request.url, {
            method: request.method,
            headers: request.headers,
            body: request.body as BodyInit | undefined,
            signal: options.signal,
          });
        } finally {
          if (isPart) {
            inFlight--;
            const n = Number(new URL(request.url).searchParams.get('partNumber'));
            if (!partsAcknowledged.has(n)) {
              partsAcknowledged.add(n);
              held--;
            }
          }
        }
      },
    });
    await upload(counting, {
      source,
      bucket: BUCKET,
      key: 'pool/bound',
      partSize: SMALL_PART,
      limits: SMALL_LIMITS,
      parallel: 3,
    });
    expect(maxInFlight).toBe(3);
    expect(maxHeld).toBeLessThanOrEqual(3);
    await expectStored('pool/bound', data);
  });

  it('rejects invalid options before sending anything', async () => {
    const before = server.requests.count();
    await expect(
      upload(client, { source: fromBytes(new Uint8Array(1)), bucket: BUCKET, key: '' }),
    ).rejects.toThrow(/key/);
    await expect(
      upload(client, {
        source: fromBytes(new Uint8Array(1)),
        bucket: BUCKET,
        key: 'k',
        parallel: 0,
      }),
    ).rejects.toThrow(/parallel/);
    await expect(
      upload(client, {
        source: fromBytes(new Uint8Array(1)),
        bucket: BUCKET,
        key: 'k',
        partSize: 10,
      }),
    ).rejects.toThrow(/partSize/);
    expect(server.requests.count()).toBe(before);
  });
});
