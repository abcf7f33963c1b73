// The same upload paths with hashing on the event loop (hashWorkers: 0) instead of workers.
import { crc64 } from '@ossup/checksum';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevServer } from '../src/index.ts';
import { initiate, uploadPart } from './helpers/multipart.ts';
import { errorCode } from './helpers/oss-client.ts';
import { bytes, clientFor, md5B64, md5Hex, testServer } from './helpers/server.ts';

let server: DevServer;
let oss: ReturnType<typeof clientFor>;

beforeAll(async () => {
  server = await testServer({ buckets: ['inline'], hashWorkers: 0 });
  oss = clientFor(server);
});
afterAll(async () => {
  await server?.close();
});

describe('hashing on the event loop', () => {
  it('stores bodies of several batches, chunked or not', async () => {
    const body = bytes(3_500_000, 4);
    for (const chunked of [false, true]) {
      const res = await oss({ method: 'PUT', bucket: 'inline', key: `k${chunked}`, body, chunked });
      expect(res.headers.etag).toBe(`"${md5Hex(body)}"`);
      expect(res.headers['x-oss-hash-crc64ecma']).toBe(crc64(body).toString());
      expect(
        (await oss({ method: 'GET', bucket: 'inline', key: `k${chunked}` })).body.equals(body),
      ).toBe(true);
    }
  });

  it('checks Content-MD5 and honours reset faults', async () => {
    const bad = await oss({
      method: 'PUT',
      bucket: 'inline',
      key: 'bad',
      body: 'abc',
      headers: { 'content-md5': md5B64('x') },
    });
    expect(errorCode(bad)).toBe('InvalidDigest');
    const id = await initiate(oss, 'inline', 'reset');
    server.faults.add({
      match: { operation: 'UploadPart' },
      action: { kind: 'reset', afterBodyBytes: 100 },
    });
    await expect(uploadPart(oss, 'inline', 'reset', id, 1, bytes(10_000))).rejects.toThrow();
    expect((await uploadPart(oss, 'inline', 'reset', id, 1, 'fine')).status).toBe(200);
  });
});
