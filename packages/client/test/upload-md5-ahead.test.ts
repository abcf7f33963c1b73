import type { DevServer } from '@ossup/dev-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BodyHasher,
  fetchTransport,
  fromBytes,
  inlineHasher,
  type Transport,
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

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

const PARTS = 10;
const data = testBytes(PARTS * SMALL_PART, 31);

/**
 * Uploads `data` with Content-MD5 through a transport that holds every UploadPart 20 ms, and
 * reports how many MD5s were asked for before the first part was answered, and the most parts
 * on the wire at once.
 */
async function run(md5Batch: number | undefined, parallel: number) {
  const inline = inlineHasher();
  let md5Asked = 0;
  let askedBeforeFirstAnswer: number | undefined;
  let sending = 0;
  let mostSending = 0;
  const inner = fetchTransport();
  const transport: Transport = async (request, options) => {
    if (!new URL(request.url).searchParams.has('partNumber')) return inner(request, options);
    sending++;
    mostSending = Math.max(mostSending, sending);
    try {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return await inner(request, options);
    } finally {
      sending--;
      askedBeforeFirstAnswer ??= md5Asked;
    }
  };
  const hasher: BodyHasher = {
    ...(md5Batch === undefined ? {} : { md5Batch }),
    digest(bytes, request) {
      if (request.md5) md5Asked++;
      return inline.digest(bytes, request);
    },
  };
  const client = clientFor(server, { transport, hasher });
  const key = `md5-ahead/${md5Batch}-${parallel}`;
  const result = await upload(client, {
    source: fromBytes(data),
    bucket: BUCKET,
    key,
    partSize: SMALL_PART,
    parallel,
    contentMd5: true,
    limits: SMALL_LIMITS,
  });
  const stored = await storedObject(client, key);
  expect(sameBytes(stored.bytes, data)).toBe(true);
  expect(result.parts).toHaveLength(PARTS);
  expect(md5Asked).toBe(PARTS);
  return { askedBeforeFirstAnswer, mostSending };
}

describe('upload() with contentMd5 and a hasher that computes MD5s together (md5Batch)', () => {
  it.each([
    // [md5Batch, parallel, MD5s asked before the first part is answered]
    [undefined, 3, 3],
    [1, 3, 3],
    [4, 3, 6], // `parallel` parts ahead at most
    [2, 3, 5],
  ])(
    'md5Batch %s, parallel %i: %i MD5s asked before the first answer, never more than parallel parts sent at once',
    async (md5Batch, parallel, asked) => {
      const seen = await run(md5Batch, parallel);
      expect(seen.askedBeforeFirstAnswer).toBe(asked);
      expect(seen.mostSending).toBe(parallel);
    },
  );
});

describe('cancelling an upload that hashes parts ahead', () => {
  it('rejects with the signal reason, parts waiting for a send slot included', async () => {
    const inline = inlineHasher();
    const inner = fetchTransport();
    const controller = new AbortController();
    let answered = 0;
    let sent = 0;
    let hashed = 0;
    let hashedButNotSentAtAbort = 0;
    const transport: Transport = async (request, options) => {
      if (!new URL(request.url).searchParams.has('partNumber')) return inner(request, options);
      sent++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      const response = await inner(request, options);
      // Cancel once the first part is stored: parts are then on the wire, hashed and waiting
      // for a slot, or not read yet.
      if (++answered === 1) {
        hashedButNotSentAtAbort = hashed - sent;
        controller.abort(new Error('stop here'));
      }
      return response;
    };
    const client = clientFor(server, {
      transport,
      hasher: {
        md5Batch: 4,
        digest: (bytes, request) => {
          if (request.md5) hashed++;
          return inline.digest(bytes, request);
        },
      },
    });
    const key = 'md5-ahead/cancelled';
    const error = await upload(client, {
      source: fromBytes(data),
      bucket: BUCKET,
      key,
      partSize: SMALL_PART,
      parallel: 2,
      contentMd5: true,
      limits: SMALL_LIMITS,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('stop here');
    // Some parts were hashed and waiting for a send slot when the upload was cancelled.
    expect(hashedButNotSentAtAbort).toBeGreaterThan(0);
    // Fewer parts sent than the upload has: the sends stopped at the cancel.
    const stored = server.requests.entries({ operation: 'UploadPart', key }).length;
    expect(stored).toBeLessThan(PARTS);
  });
});
