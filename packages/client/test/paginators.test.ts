import type { DevServer } from '@ossup/dev-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OssClient } from '../src/oss-client.ts';
import { bytes, clientFor, collect, startServer } from './low-level-helpers.ts';

let server: DevServer;
let client: OssClient;
const bucket = 'pages';
const uploads: Array<{ key: string; uploadId: string }> = [];

beforeAll(async () => {
  server = await startServer([bucket]);
  client = clientFor(server);
  const keys = [
    'a/1.bin',
    'a/2.bin',
    'a/deep/3.bin',
    'a/deep/er/4.bin',
    'b/5.bin',
    'root.bin',
    'same',
    'same',
    'same',
    'samepath/x',
  ];
  for (const key of keys) {
    const init = await client.initiateMultipartUpload({ bucket, key });
    uploads.push({ key, uploadId: init.uploadId });
  }
});
afterAll(async () => {
  await server.close();
});

const sorted = () =>
  [...uploads].sort((x, y) =>
    x.key === y.key ? (x.uploadId < y.uploadId ? -1 : 1) : x.key < y.key ? -1 : 1,
  );

describe('ListParts paginator', () => {
  it('walks every part across several pages', async () => {
    const key = 'many-parts.bin';
    const init = await client.initiateMultipartUpload({ bucket, key });
    for (let n = 1; n <= 7; n += 1) {
      await client.uploadPart({
        bucket,
        key,
        uploadId: init.uploadId,
        partNumber: n * 3,
        body: bytes(10 + n, n),
      });
    }
    server.requests.clear();
    const parts = await collect(
      client.listAllParts({ bucket, key, uploadId: init.uploadId, pageSize: 2 }),
    );
    expect(parts.map((p) => p.partNumber)).toEqual([3, 6, 9, 12, 15, 18, 21]);
    expect(parts.map((p) => p.size)).toEqual([11, 12, 13, 14, 15, 16, 17]);
    expect(server.requests.count('ListParts')).toBe(4);

    const page = await client.listParts({
      bucket,
      key,
      uploadId: init.uploadId,
      maxParts: 3,
      partNumberMarker: 9,
    });
    expect(page.parts.map((p) => p.partNumber)).toEqual([12, 15, 18]);
    expect(page.isTruncated).toBe(true);
    expect(page.nextPartNumberMarker).toBe(18);
    await client.abortMultipartUpload({ bucket, key, uploadId: init.uploadId });
  });
});

describe('ListMultipartUploads paginators', () => {
  it('lists every upload of the bucket, across pages, by key then upload id', async () => {
    server.requests.clear();
    const all = await collect(client.listAllMultipartUploads({ bucket, pageSize: 3 }));
    expect(all.map((u) => [u.key, u.uploadId])).toEqual(sorted().map((u) => [u.key, u.uploadId]));
    expect(server.requests.count('ListMultipartUploads')).toBe(4);
    expect(all.every((u) => u.initiated !== '')).toBe(true);
  });

  it('lists the uploads under a prefix', async () => {
    const under = await collect(
      client.listAllMultipartUploads({ bucket, prefix: 'a/deep/', pageSize: 1 }),
    );
    expect(under.map((u) => u.key)).toEqual(['a/deep/3.bin', 'a/deep/er/4.bin']);
  });

  it('lists the uploads of exactly one key, not of keys that extend it', async () => {
    const same = await collect(client.listUploadsForKey({ bucket, key: 'same', pageSize: 2 }));
    expect(same.map((u) => u.uploadId)).toEqual(
      uploads
        .filter((u) => u.key === 'same')
        .map((u) => u.uploadId)
        .sort(),
    );
    expect(same.every((u) => u.key === 'same')).toBe(true);
  });

  it('yields uploads and rolled-up common prefixes under a delimiter', async () => {
    const top = await collect(client.listUploadsAndPrefixes({ bucket, pageSize: 2 }));
    const described = top.map((e) =>
      e.kind === 'prefix' ? `prefix:${e.prefix}` : `upload:${e.key}`,
    );
    expect(described.filter((d) => d.startsWith('prefix:'))).toEqual([
      'prefix:a/',
      'prefix:b/',
      'prefix:samepath/',
    ]);
    expect(described.filter((d) => d.startsWith('upload:'))).toEqual([
      'upload:root.bin',
      'upload:same',
      'upload:same',
      'upload:same',
    ]);

    const inA = await collect(
      client.listUploadsAndPrefixes({ bucket, prefix: 'a/', delimiter: '/' }),
    );
    expect(
      inA.map((e) => (e.kind === 'prefix' ? `prefix:${e.prefix}` : `upload:${e.key}`)),
    ).toEqual(['upload:a/1.bin', 'upload:a/2.bin', 'prefix:a/deep/']);
  });

  it('returns one page with markers to continue from', async () => {
    const first = await client.listMultipartUploads({ bucket, maxUploads: 2 });
    expect(first.uploads).toHaveLength(2);
    expect(first.isTruncated).toBe(true);
    const second = await client.listMultipartUploads({
      bucket,
      maxUploads: 2,
      keyMarker: first.nextKeyMarker!,
      uploadIdMarker: first.nextUploadIdMarker!,
    });
    expect(second.uploads.map((u) => u.key)).toEqual(
      sorted()
        .slice(2, 4)
        .map((u) => u.key),
    );
  });
});
