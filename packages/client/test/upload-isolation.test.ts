import { crc64 } from '@ossup/checksum';
import type { DevServer } from '@ossup/dev-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchTransport } from '../src/fetch-transport.ts';
import { fromBytes, type OssClient, UploadError, upload } from '../src/index.ts';
import {
  BUCKET,
  clientFor,
  openUploads,
  SMALL_LIMITS,
  SMALL_PART,
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

const options = (key: string, data: Uint8Array) => ({
  source: fromBytes(data),
  bucket: BUCKET,
  key,
  partSize: SMALL_PART,
  limits: SMALL_LIMITS,
  parallel: 2,
});

describe('uploads on one client are independent', () => {
  it('cancelling one leaves the other untouched', async () => {
    const a = testBytes(12 * SMALL_PART, 1);
    const b = testBytes(12 * SMALL_PART, 2);
    // One client for both; A's parts are held back a little (on the client side) so that A
    // is surely mid-way when cancelled.
    const inner = fetchTransport();
    const shared = clientFor(server, {
      transport: async (request, opts) => {
        if (request.url.includes('cancel-a?partNumber=')) {
          await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(resolve, 30);
            opts.signal?.addEventListener('abort', () => {
              clearTimeout(timer);
              reject(opts.signal?.reason);
            });
          });
        }
        return inner(request, opts);
      },
    });
    const controller = new AbortController();
    const reason = new Error('cancel A');
    const uploadA = upload(shared, {
      ...options('iso/cancel-a', a),
      signal: controller.signal,
      onProgress: (p) => {
        if (p.partsDone >= 2) controller.abort(reason);
      },
    });
    const uploadB = upload(shared, options('iso/cancel-b', b));
    const [ra, rb] = await Promise.allSettled([uploadA, uploadB]);
    expect(ra.status).toBe('rejected');
    expect((ra as PromiseRejectedResult).reason).toBe(reason);
    expect(rb.status).toBe('fulfilled');
    const stored = await storedObject(client, 'iso/cancel-b');
    expect(stored.crc64).toBe(crc64(b));
    expect(await openUploads(client, 'iso/cancel-a')).toEqual([]);
  });

  it("one upload's failure does not fail or abort the other", async () => {
    const a = testBytes(8 * SMALL_PART, 3);
    const b = testBytes(8 * SMALL_PART, 4);
    server.faults.add({
      match: { operation: 'UploadPart', key: 'iso/fail-a', partNumber: 2 },
      times: 'always',
      action: { kind: 'status', status: 403, code: 'AccessDenied' },
    });
    const [ra, rb] = await Promise.allSettled([
      upload(client, options('iso/fail-a', a)),
      upload(client, options('iso/fail-b', b)),
    ]);
    server.faults.clear();
    expect((ra as PromiseRejectedResult).reason).toBeInstanceOf(UploadError);
    expect(rb.status).toBe('fulfilled');
    expect((await storedObject(client, 'iso/fail-b')).crc64).toBe(crc64(b));
  });
});
