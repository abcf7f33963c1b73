// Content-MD5 uploads through the whole Node stack against the dev server: createNodeClient's
// workerThreadHasher computes the parts' MD5s on a worker thread, four at a time in SIMD lanes,
// with parts read and hashed ahead of the sends. The server recomputes each part's MD5 and
// refuses one that differs (InvalidDigest), so a wrong MD5 from the lanes fails the upload.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { multipartEtag } from '@ossup/checksum';
import { upload } from '@ossup/client';
import { type DevServer, startDevServer } from '@ossup/dev-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeClient } from '../src/create-node-client.ts';
import { fromFile } from '../src/file-source.ts';
import { writeRandomFile } from './helpers/files.ts';

const MiB = 1024 * 1024;
const BUCKET = 'content-md5';
let server: DevServer;
let dir: string;

beforeAll(async () => {
  server = await startDevServer({ buckets: [BUCKET] });
  dir = await mkdtemp(join(tmpdir(), 'ossup-content-md5-'));
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('upload with contentMd5 and createNodeClient', () => {
  it('sends every part with the MD5 the server computes, under resets and 5xx, and the object ETag follows', async () => {
    const file = join(dir, 'md5.bin');
    const size = 22 * MiB + 999;
    const local = await writeRandomFile(file, size);
    const key = 'md5.bin';
    server.faults.add({
      match: { operation: 'UploadPart', key, partNumber: 3 },
      action: { kind: 'reset', afterBodyBytes: 300 * 1024 },
    });
    server.faults.add({
      match: { operation: 'UploadPart', key, partNumber: 7 },
      times: 2,
      action: { kind: 'status', status: 503, code: 'ServiceUnavailable' },
    });
    const client = createNodeClient({
      endpoint: server.endpoint,
      region: server.region,
      credentials: server.credentials,
      retry: { baseDelayMs: 10 },
    });
    const source = await fromFile(file);
    let result: Awaited<ReturnType<typeof upload>>;
    try {
      result = await upload(client, {
        source,
        bucket: BUCKET,
        key,
        partSize: MiB,
        parallel: 4,
        contentMd5: true,
      });
    } finally {
      await source.close();
    }
    expect(result.crc64).toBe(local.crc64);
    expect(result.parts).toHaveLength(23);
    expect(server.faults.list()).toHaveLength(0);
    const parts = server.requests.entries({ operation: 'UploadPart', key });
    expect(parts.filter((r) => r.errorCode === 'InvalidDigest')).toEqual([]);
    expect(parts.filter((r) => r.status === 200)).toHaveLength(23);
    // The object's ETag is the multipart rule over the parts' MD5s, computed here from the file.
    const bytes = await readFile(file);
    const md5s: Uint8Array[] = [];
    for (let at = 0; at < size; at += MiB) {
      md5s.push(
        createHash('md5')
          .update(bytes.subarray(at, at + MiB))
          .digest(),
      );
    }
    expect(result.etag.replaceAll('"', '').toUpperCase()).toBe(
      (await multipartEtag(md5s)).replaceAll('"', '').toUpperCase(),
    );
  });
});
