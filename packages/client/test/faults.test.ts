import { crc64 } from '@ossup/checksum';
import type { DevServer } from '@ossup/dev-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RetryInfo } from '../src/client-options.ts';
import { OssNetworkError, OssServiceError, OssTimeoutError } from '../src/errors.ts';
import { bytes, clientFor, readAll, startServer } from './low-level-helpers.ts';

let server: DevServer;
const bucket = 'faults';
beforeAll(async () => {
  server = await startServer([bucket]);
});
afterEach(() => {
  server.faults.clear();
});
afterAll(async () => {
  await server.close();
});

async function newUpload(key: string) {
  const client = clientFor(server);
  const { uploadId } = await client.initiateMultipartUpload({ bucket, key });
  return uploadId;
}

describe('fault injection against the dev server', () => {
  it('retries a burst of 503s and succeeds', async () => {
    const retries: RetryInfo[] = [];
    const client = clientFor(server, { onRetry: (info) => retries.push(info) });
    const uploadId = await newUpload('burst.bin');
    server.faults.add({
      match: { operation: 'UploadPart' },
      times: 2,
      action: { kind: 'status', status: 503, code: 'ServiceUnavailable' },
    });
    server.requests.clear();
    const body = bytes(4096);
    const out = await client.uploadPart({
      bucket,
      key: 'burst.bin',
      uploadId,
      partNumber: 1,
      body,
    });
    expect(out.crc64).toBe(await crc64(body));
    expect(server.requests.count('UploadPart')).toBe(3);
    expect(retries.map((r) => [r.attempt, (r.error as OssServiceError).status])).toEqual([
      [1, 503],
      [2, 503],
    ]);
  });

  it('fails with the last 503 once the attempts are spent', async () => {
    const client = clientFor(server, { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 } });
    const uploadId = await newUpload('burst2.bin');
    server.faults.add({
      match: { operation: 'UploadPart' },
      times: 'always',
      action: { kind: 'status', status: 503 },
    });
    const error = await client
      .uploadPart({ bucket, key: 'burst2.bin', uploadId, partNumber: 1, body: bytes(10) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OssServiceError);
    expect((error as OssServiceError).status).toBe(503);
    expect((error as OssServiceError).retryable).toBe(true);
  });

  it('retries a connection reset in the middle of the body', async () => {
    const retries: RetryInfo[] = [];
    const client = clientFor(server, { onRetry: (info) => retries.push(info) });
    const uploadId = await newUpload('reset.bin');
    server.faults.add({
      match: { operation: 'UploadPart', partNumber: 1 },
      action: { kind: 'reset', afterBodyBytes: 64 * 1024 },
    });
    const body = bytes(256 * 1024, 7);
    const out = await client.uploadPart({
      bucket,
      key: 'reset.bin',
      uploadId,
      partNumber: 1,
      body,
    });
    expect(retries[0]?.error).toBeInstanceOf(OssNetworkError);
    const listed = await client.listParts({ bucket, key: 'reset.bin', uploadId });
    expect(listed.parts.map((p) => [p.size, p.etag, p.crc64])).toEqual([
      [body.byteLength, out.etag, await crc64(body)],
    ]);
  });

  it('times out a slow reply, then succeeds on the retry', async () => {
    const retries: RetryInfo[] = [];
    const client = clientFor(server, { timeout: 150, onRetry: (info) => retries.push(info) });
    await client.putObject({ bucket, key: 'slow.bin', body: bytes(100) });
    server.faults.add({ match: { operation: 'GetObject' }, action: { kind: 'delay', ms: 1000 } });
    const got = await client.getObject({ bucket, key: 'slow.bin' });
    expect(await readAll(got.body)).toEqual(bytes(100));
    expect(retries).toHaveLength(1);
    expect(retries[0]?.error).toBeInstanceOf(OssTimeoutError);
    expect((retries[0]?.error as OssTimeoutError | undefined)?.timeoutMs).toBe(150);
  });

  it('reports OssTimeoutError when no retry is allowed', async () => {
    const client = clientFor(server, { timeout: 100, retry: false });
    server.faults.add({ match: { operation: 'HeadObject' }, action: { kind: 'delay', ms: 800 } });
    await expect(client.headObject({ bucket, key: 'slow.bin' })).rejects.toThrow(OssTimeoutError);
  });

  it('does not retry a 403', async () => {
    const retries: RetryInfo[] = [];
    const client = clientFor(server, { onRetry: (info) => retries.push(info) });
    server.faults.add({
      match: { operation: 'PutObject' },
      action: { kind: 'status', status: 403, code: 'AccessDenied', message: 'nope' },
    });
    server.requests.clear();
    const error = await client
      .putObject({ bucket, key: 'denied.bin', body: bytes(10) })
      .catch((e: unknown) => e);
    expect((error as OssServiceError).code).toBe('AccessDenied');
    expect((error as OssServiceError).message).toContain('policy');
    expect(server.requests.count('PutObject')).toBe(1);
    expect(retries).toHaveLength(0);
  });

  it('recognises a Complete whose answer was lost (NoSuchUpload on retry, object in place)', async () => {
    const client = clientFor(server);
    const key = 'lost-complete.bin';
    const uploadId = await newUpload(key);
    const p1 = await client.uploadPart({
      bucket,
      key,
      uploadId,
      partNumber: 1,
      body: bytes(2048, 1),
    });
    const p2 = await client.uploadPart({
      bucket,
      key,
      uploadId,
      partNumber: 2,
      body: bytes(99, 2),
    });
    server.faults.add({
      match: { operation: 'CompleteMultipartUpload' },
      action: { kind: 'drop-after-store' },
    });
    const done = await client.completeMultipartUpload({
      bucket,
      key,
      uploadId,
      parts: [
        { partNumber: 1, etag: p1.etag },
        { partNumber: 2, etag: p2.etag },
      ],
    });
    expect(done.etag).toMatch(/-2$/);
    expect(done.crc64).toBe(await crc64(new Uint8Array([...bytes(2048, 1), ...bytes(99, 2)])));
  });

  it('aborts a call while it waits to retry', async () => {
    const controller = new AbortController();
    const client = clientFor(server, {
      retry: { attempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 },
      random: () => 1,
      onRetry: () => controller.abort(new Error('cancelled by user')),
    });
    server.faults.add({
      match: { operation: 'PutObject' },
      action: { kind: 'status', status: 500 },
    });
    await expect(
      client.putObject({ bucket, key: 'abort.bin', body: bytes(10), signal: controller.signal }),
    ).rejects.toThrow('cancelled by user');
  });
});
