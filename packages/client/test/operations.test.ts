import { crc64 } from '@ossup/checksum';
import type { DevServer } from '@ossup/dev-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OssServiceError } from '../src/errors.ts';
import type { OssClient } from '../src/oss-client.ts';
import {
  bytes,
  clientFor,
  collect,
  readAll,
  startServer,
  TRICKY_KEYS,
  VERSIONS,
} from './low-level-helpers.ts';

let server: DevServer;
beforeAll(async () => {
  server = await startServer(['ops-v4', 'ops-v1', 'ops-src']);
});
afterAll(async () => {
  await server.close();
});

describe.each(VERSIONS)('every operation with signature %s', (version) => {
  let client: OssClient;
  const bucket = `ops-${version}`;
  beforeAll(() => {
    client = clientFor(server, { signatureVersion: version });
  });

  it('PutObject / HeadObject / GetObject / DeleteObject round-trip tricky keys', async () => {
    for (const [index, key] of TRICKY_KEYS.entries()) {
      const body = bytes(1000 + index, index + 1);
      const put = await client.putObject({
        bucket,
        key,
        body,
        contentType: 'application/x-test',
        meta: { Origin: 'unit' },
      });
      expect(put.etag).toMatch(/^[0-9A-F]{32}$/);
      expect(put.crc64).toBe(await crc64(body));
      expect(put.requestId).toBeDefined();

      const head = await client.headObject({ bucket, key });
      expect([key, head.size, head.etag, head.contentType, head.meta['origin']]).toEqual([
        key,
        body.byteLength,
        put.etag,
        'application/x-test',
        'unit',
      ]);

      const got = await client.getObject({ bucket, key });
      expect(got.status).toBe(200);
      expect(await readAll(got.body)).toEqual(body);

      await client.deleteObject({ bucket, key });
      const missing = await client.headObject({ bucket, key }).catch((error: unknown) => error);
      expect(missing).toBeInstanceOf(OssServiceError);
      expect((missing as OssServiceError).status).toBe(404);
    }
  });

  it('PutObject and UploadPart take a Blob, gathered per attempt by the fetch transport', async () => {
    const body = bytes(300_000, 5);
    const put = await client.putObject({ bucket, key: 'blob.bin', body: new Blob([body]) });
    expect(put.crc64).toBe(crc64(body));
    expect(await readAll((await client.getObject({ bucket, key: 'blob.bin' })).body)).toEqual(body);

    const { uploadId } = await client.initiateMultipartUpload({ bucket, key: 'blob-part.bin' });
    const part = await client.uploadPart({
      bucket,
      key: 'blob-part.bin',
      uploadId,
      partNumber: 1,
      body: new Blob([body]).slice(1000, 201_000),
    });
    expect(part.crc64).toBe(crc64(body.subarray(1000, 201_000)));
    await client.abortMultipartUpload({ bucket, key: 'blob-part.bin', uploadId });
  });

  it('GetObject reads ranges and applies response overrides', async () => {
    const body = bytes(5000, 9);
    await client.putObject({ bucket, key: 'range.bin', body });
    const part = await client.getObject({
      bucket,
      key: 'range.bin',
      range: { start: 100, end: 300 },
    });
    expect(part.status).toBe(206);
    expect(part.size).toBe(5000);
    expect(part.contentLength).toBe(200);
    expect(part.contentRange).toBe('bytes 100-299/5000');
    expect(await readAll(part.body)).toEqual(body.subarray(100, 300));

    const tail = await client.getObject({ bucket, key: 'range.bin', range: { start: 4990 } });
    expect(await readAll(tail.body)).toEqual(body.subarray(4990));

    const beyond = await client
      .getObject({ bucket, key: 'range.bin', range: { start: 6000, end: 7000 } })
      .catch((e: unknown) => e);
    expect((beyond as OssServiceError).status).toBe(416);

    const renamed = await client.getObject({
      bucket,
      key: 'range.bin',
      responseHeaders: { 'content-disposition': 'attachment; filename="x.bin"' },
    });
    expect(renamed.headers['content-disposition']).toBe('attachment; filename="x.bin"');
    await renamed.body.cancel();
  });

  it('runs a full multipart upload with tricky keys', async () => {
    for (const key of ['multi/ü 😀+%.bin', 'multi/plain']) {
      const init = await client.initiateMultipartUpload({
        bucket,
        key,
        contentType: 'video/mp4',
        meta: { a: 'b' },
      });
      expect(init.uploadId).not.toBe('');
      expect(init.key).toBe(key);
      const chunks = [bytes(2048, 1), bytes(2048, 2), bytes(100, 3)];
      const etags: string[] = [];
      for (const [i, chunk] of chunks.entries()) {
        const out = await client.uploadPart({
          bucket,
          key,
          uploadId: init.uploadId,
          partNumber: i + 1,
          body: chunk,
        });
        expect(out.crc64).toBe(await crc64(chunk));
        etags.push(out.etag);
      }
      const listed = await client.listParts({ bucket, key, uploadId: init.uploadId });
      expect(listed.parts.map((p) => [p.partNumber, p.etag, p.size])).toEqual(
        chunks.map((c, i) => [i + 1, etags[i], c.byteLength]),
      );
      expect(listed.isTruncated).toBe(false);

      const uploads = await collect(client.listUploadsForKey({ bucket, key }));
      expect(uploads.map((u) => u.uploadId)).toContain(init.uploadId);

      const done = await client.completeMultipartUpload({
        bucket,
        key,
        uploadId: init.uploadId,
        parts: etags.map((etag, i) => ({ partNumber: i + 1, etag })),
      });
      expect(done.etag).toMatch(/^[0-9A-F]{32}-3$/);
      const whole = new Uint8Array([...chunks[0]!, ...chunks[1]!, ...chunks[2]!]);
      expect(done.crc64).toBe(await crc64(whole));

      const head = await client.headObject({ bucket, key });
      expect([head.size, head.etag, head.contentType, head.objectType]).toEqual([
        whole.byteLength,
        done.etag,
        'video/mp4',
        'Multipart',
      ]);
      const got = await client.getObject({ bucket, key });
      expect(await readAll(got.body)).toEqual(whole);
    }
  });

  it('completes with completeAll and forbids overwriting on request', async () => {
    const key = 'complete-all.bin';
    const init = await client.initiateMultipartUpload({ bucket, key });
    await client.uploadPart({
      bucket,
      key,
      uploadId: init.uploadId,
      partNumber: 1,
      body: bytes(2048),
    });
    await client.uploadPart({
      bucket,
      key,
      uploadId: init.uploadId,
      partNumber: 2,
      body: bytes(10),
    });
    const done = await client.completeMultipartUpload({
      bucket,
      key,
      uploadId: init.uploadId,
      completeAll: true,
    });
    expect(done.etag).toMatch(/-2$/);

    const again = await client.initiateMultipartUpload({ bucket, key });
    const part = await client.uploadPart({
      bucket,
      key,
      uploadId: again.uploadId,
      partNumber: 1,
      body: bytes(10),
    });
    const refused = await client
      .completeMultipartUpload({
        bucket,
        key,
        uploadId: again.uploadId,
        parts: [{ partNumber: 1, etag: part.etag }],
        forbidOverwrite: true,
      })
      .catch((e: unknown) => e);
    expect((refused as OssServiceError).code).toBe('FileAlreadyExists');
    await client.abortMultipartUpload({ bucket, key, uploadId: again.uploadId });
  });

  it('copies ranges of another object into parts (UploadPartCopy)', async () => {
    const source = bytes(6000, 5);
    await client.putObject({ bucket: 'ops-src', key: 'src/ü source.bin', body: source });
    const key = 'copied.bin';
    const init = await client.initiateMultipartUpload({ bucket, key });
    const first = await client.uploadPartCopy({
      bucket,
      key,
      uploadId: init.uploadId,
      partNumber: 1,
      sourceBucket: 'ops-src',
      sourceKey: 'src/ü source.bin',
      sourceRange: { start: 0, end: 4096 },
    });
    const second = await client.uploadPartCopy({
      bucket,
      key,
      uploadId: init.uploadId,
      partNumber: 2,
      sourceBucket: 'ops-src',
      sourceKey: 'src/ü source.bin',
      sourceRange: { start: 4096, end: 6000 },
    });
    expect(first.etag).toMatch(/^[0-9A-F]{32}$/);
    await client.completeMultipartUpload({
      bucket,
      key,
      uploadId: init.uploadId,
      parts: [
        { partNumber: 1, etag: first.etag },
        { partNumber: 2, etag: second.etag },
      ],
    });
    const got = await client.getObject({ bucket, key });
    expect(await readAll(got.body)).toEqual(source);
  });

  it('aborts an upload, after which it is gone', async () => {
    const key = 'aborted.bin';
    const init = await client.initiateMultipartUpload({ bucket, key });
    await client.uploadPart({
      bucket,
      key,
      uploadId: init.uploadId,
      partNumber: 1,
      body: bytes(100),
    });
    const out = await client.abortMultipartUpload({ bucket, key, uploadId: init.uploadId });
    expect(out.requestId).toBeDefined();
    const gone = await client
      .listParts({ bucket, key, uploadId: init.uploadId })
      .catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(OssServiceError);
    expect((gone as OssServiceError).code).toBe('NoSuchUpload');
    expect((gone as OssServiceError).message).toContain('start a new upload');
  });

  it('maps service errors with actionable messages', async () => {
    const noBucket = await client
      .putObject({ bucket: 'no-such-bucket-here', key: 'k', body: bytes(1) })
      .catch((e: unknown) => e);
    expect((noBucket as OssServiceError).code).toBe('NoSuchBucket');
    expect((noBucket as OssServiceError).message).toContain('Create the bucket');

    const wrongSecret = clientFor(server, {
      signatureVersion: version,
      credentials: {
        accessKeyId: server.credentials.accessKeyId,
        accessKeySecret: 'wrong-secret-value',
      },
    });
    const mismatch = await wrongSecret
      .headObject({ bucket, key: 'range.bin' })
      .catch((e: unknown) => e);
    expect((mismatch as OssServiceError).status).toBe(403);
    expect((mismatch as OssServiceError).code).toBe('SignatureDoesNotMatch');
    expect(String((mismatch as Error).message)).not.toContain('wrong-secret-value');

    const unknownKey = clientFor(server, {
      signatureVersion: version,
      credentials: { accessKeyId: 'nobody', accessKeySecret: 'x' },
    });
    const invalid = await unknownKey
      .putObject({ bucket, key: 'k', body: bytes(1) })
      .catch((e: unknown) => e);
    expect((invalid as OssServiceError).code).toBe('InvalidAccessKeyId');
  });
});
