import { crc64 } from '@ossup/checksum';
import type { DevServer } from '@ossup/dev-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  abortUpload,
  type BodyDigestRequest,
  fetchTransport,
  fromBytes,
  inlineHasher,
  type OssClient,
  OssIntegrityError,
  OssServiceError,
  OssTimeoutError,
  type RetryInfo,
  UploadError,
  type UploadWarning,
  upload,
} from '../src/index.ts';
import {
  BUCKET,
  clientFor,
  corruptingTransport,
  openUploads,
  SMALL_LIMITS,
  SMALL_PART,
  sameBytes,
  startServer,
  storedObject,
  storedPartCounts,
  testBytes,
} from './support/upload-fixtures.ts';

let server: DevServer;
let client: OssClient;

beforeAll(async () => {
  server = await startServer();
  client = clientFor(server);
});
afterEach(() => server.faults.clear());
afterAll(async () => {
  await server.close();
});

const PARTS = 6;
const data = testBytes(PARTS * SMALL_PART - 100, 77);

function options(key: string) {
  return {
    source: fromBytes(data),
    bucket: BUCKET,
    key,
    partSize: SMALL_PART,
    limits: SMALL_LIMITS,
  };
}

async function expectCorrect(key: string) {
  const stored = await storedObject(client, key);
  expect(stored.size).toBe(data.length);
  expect(stored.crc64).toBe(crc64(data));
  expect(sameBytes(stored.bytes, data)).toBe(true);
}

describe('upload() under faults', () => {
  it('rides out bursts of 5xx on every operation', async () => {
    server.faults.add({
      match: { operation: 'InitiateMultipartUpload' },
      times: 2,
      action: { kind: 'status', status: 503 },
    });
    server.faults.add({
      match: { operation: 'UploadPart' },
      times: 7,
      action: { kind: 'status', status: 500, code: 'InternalError' },
    });
    server.faults.add({
      match: { operation: 'CompleteMultipartUpload' },
      times: 2,
      action: { kind: 'status', status: 503 },
    });
    const result = await upload(client, options('faults/5xx'));
    expect(result.parts).toHaveLength(PARTS);
    expect(server.faults.list()).toHaveLength(0);
    await expectCorrect('faults/5xx');
  });

  it('re-sends a part whose connection is reset mid-body', async () => {
    server.faults.add({
      match: { operation: 'UploadPart', partNumber: 2 },
      times: 2,
      action: { kind: 'reset', afterBodyBytes: 1000 },
    });
    await upload(client, options('faults/reset'));
    expect(server.faults.list()).toHaveLength(0);
    await expectCorrect('faults/reset');
  });

  it('re-sends a part that was stored but whose answer was lost', async () => {
    server.faults.add({
      match: { operation: 'UploadPart', partNumber: 3 },
      action: { kind: 'drop-after-store' },
    });
    await upload(client, options('faults/drop-part'));
    expect(server.requests.count({ operation: 'UploadPart', key: 'faults/drop-part' })).toBe(
      PARTS + 1,
    );
    await expectCorrect('faults/drop-part');
  });

  it('times out replies that are too slow and tries again', async () => {
    const retries: RetryInfo[] = [];
    const impatient = clientFor(server, { timeout: 300, onRetry: (info) => retries.push(info) });
    server.faults.add({
      match: { operation: 'InitiateMultipartUpload', key: 'faults/slow' },
      action: { kind: 'delay', ms: 1500 },
    });
    server.faults.add({
      match: { operation: 'UploadPart', key: 'faults/slow', partNumber: 2 },
      action: { kind: 'delay', ms: 1500 },
    });
    await upload(impatient, options('faults/slow'));
    const timedOut = retries
      .filter((r) => r.error instanceof OssTimeoutError)
      .map((r) => r.operation);
    expect(timedOut.sort()).toEqual(['InitiateMultipartUpload', 'UploadPart']);
    await expectCorrect('faults/slow');
  });

  it('detects a part corrupted on the wire by its CRC-64 and sends it again', async () => {
    let corrupted = 0;
    const damaging = clientFor(server, {
      transport: corruptingTransport((n) => n === 2 && corrupted++ < 1),
    });
    const warnings: UploadWarning[] = [];
    await upload(damaging, {
      ...options('faults/corrupt-once'),
      onWarning: (w) => warnings.push(w),
    });
    expect(corrupted).toBe(2);
    expect(warnings.map((w) => [w.code, w.partNumber])).toEqual([['part-retried', 2]]);
    expect(warnings[0]!.cause).toBeInstanceOf(OssIntegrityError);
    expect(storedPartCounts(server, 'faults/corrupt-once').get(2)).toBe(2);
    await expectCorrect('faults/corrupt-once');
  });

  it('fails with OssIntegrityError when a part keeps arriving corrupted, and aborts the upload', async () => {
    const damaging = clientFor(server, { transport: corruptingTransport((n) => n === 4) });
    const err = await upload(damaging, {
      ...options('faults/corrupt-always'),
      integrityAttempts: 2,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UploadError);
    const e = err as UploadError;
    expect(e.phase).toBe('uploading');
    expect(e.partNumber).toBe(4);
    expect(e.uploadId).toBeDefined();
    expect(e.checkpointId).toBeUndefined();
    expect(e.cause).toBeInstanceOf(OssIntegrityError);
    expect(e.cause).toHaveProperty('what', 'part-crc64');
    expect(e.cause).toHaveProperty('partNumber', 4);
    expect(storedPartCounts(server, 'faults/corrupt-always').get(4)).toBe(2);
    expect(await openUploads(client, 'faults/corrupt-always')).toEqual([]);
  });

  it('with contentMd5, the server refuses the corrupted part (InvalidDigest) and it is sent again', async () => {
    let corrupted = 0;
    // The server's MD5 check proves each part, so the client does not also compute the
    // parts' CRC-64: it asks its hasher for MD5s only.
    const asked: BodyDigestRequest[] = [];
    const inline = inlineHasher();
    const damaging = clientFor(server, {
      transport: corruptingTransport((n) => n === 1 && corrupted++ < 1),
      hasher: {
        digest: (bytes, request) => {
          asked.push(request);
          return inline.digest(bytes, request);
        },
      },
    });
    const warnings: UploadWarning[] = [];
    const result = await upload(damaging, {
      ...options('faults/md5'),
      contentMd5: true,
      onWarning: (w) => warnings.push(w),
    });
    expect(warnings.map((w) => w.code)).toEqual(['part-retried']);
    expect(asked.length).toBeGreaterThanOrEqual(PARTS);
    expect(asked.every((r) => r.md5 === true && r.crc64 !== true)).toBe(true);
    // The parts carry the CRC-64s the server reported, and the object's was checked against
    // their combination (an 'object-crc64' mismatch would have failed the upload).
    expect(result.crc64).toBe(crc64(data));
    expect(result.parts[0]?.crc64).toBe(crc64(data.subarray(0, SMALL_PART)));
    const refused = server.requests
      .entries({ operation: 'UploadPart', key: 'faults/md5' })
      .filter((r) => r.errorCode === 'InvalidDigest');
    expect(refused).toHaveLength(1);
    await expectCorrect('faults/md5');
  });

  it('with contentMd5, still checks the object CRC-64 against the parts the server reported', async () => {
    // A Complete answer whose object CRC-64 is not the combination of the parts' (as if OSS
    // had assembled something else): MD5 mode skips only the client's part CRC-64s.
    const inner = fetchTransport();
    const lying = clientFor(server, {
      transport: async (request, transportOptions) => {
        const response = await inner(request, transportOptions);
        if (request.method !== 'POST' || !request.url.includes('uploadId=')) return response;
        const headers = new Headers(response.headers);
        headers.set('x-oss-hash-crc64ecma', '1');
        return new Response(response.body, { status: response.status, headers });
      },
    });
    const e = await upload(lying, { ...options('faults/md5-object'), contentMd5: true }).catch(
      (error: unknown) => error,
    );
    expect(e).toBeInstanceOf(UploadError);
    expect((e as UploadError).cause).toHaveProperty('what', 'object-crc64');
  });

  it('with crc64: false, the part check is off (and corruption goes unnoticed)', async () => {
    const damaging = clientFor(server, { transport: corruptingTransport((n) => n === 2) });
    const result = await upload(damaging, { ...options('faults/crc-off'), crc64: false });
    const stored = await storedObject(client, 'faults/crc-off');
    expect(stored.crc64).not.toBe(crc64(data));
    expect(result.crc64).toBe(stored.crc64);
  });

  it('confirms a Complete whose answer was lost (retry says NoSuchUpload) with HeadObject', async () => {
    server.faults.add({
      match: { operation: 'CompleteMultipartUpload' },
      action: { kind: 'drop-after-store' },
    });
    const headsBefore = server.requests.count({
      operation: 'HeadObject',
      key: 'faults/complete-lost',
    });
    const result = await upload(client, options('faults/complete-lost'));
    const completes = server.requests.entries({
      operation: 'CompleteMultipartUpload',
      key: 'faults/complete-lost',
    });
    expect(completes.map((c) => c.errorCode ?? c.fault)).toEqual([
      'drop-after-store',
      'NoSuchUpload',
    ]);
    expect(server.requests.count({ operation: 'HeadObject', key: 'faults/complete-lost' })).toBe(
      headsBefore + 1,
    );
    expect(result.crc64).toBe(crc64(data));
    expect(result.etag).toMatch(new RegExp(`-${PARTS}$`));
    await expectCorrect('faults/complete-lost');
  });

  it('does not confirm a lost Complete when the object is not this upload', async () => {
    // Complete fails for good (NoSuchUpload) and the key holds another object.
    await upload(client, {
      source: fromBytes(testBytes(10, 1)),
      bucket: BUCKET,
      key: 'faults/complete-other',
    });
    server.faults.add({
      match: { operation: 'CompleteMultipartUpload' },
      times: 'always',
      action: { kind: 'status', status: 404, code: 'NoSuchUpload' },
    });
    const err = await upload(client, options('faults/complete-other')).catch((e: unknown) => e);
    expect(err).toHaveProperty('phase', 'completing');
    expect((err as UploadError).cause).toHaveProperty('code', 'NoSuchUpload');
  });

  it('fails on an error that retrying cannot fix, naming the part, and aborts', async () => {
    server.faults.add({
      match: { operation: 'UploadPart', partNumber: 3 },
      times: 'always',
      action: { kind: 'status', status: 403, code: 'AccessDenied' },
    });
    const err = await upload(client, options('faults/denied')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UploadError);
    expect(err).toHaveProperty('partNumber', 3);
    expect((err as UploadError).cause).toBeInstanceOf(OssServiceError);
    expect((err as UploadError).cause).toHaveProperty('code', 'AccessDenied');
    expect(server.requests.count({ operation: 'AbortMultipartUpload', key: 'faults/denied' })).toBe(
      1,
    );
    expect(await openUploads(client, 'faults/denied')).toEqual([]);
  });

  it('fails after the retry budget for persistent 5xx', async () => {
    server.faults.add({
      match: { operation: 'InitiateMultipartUpload' },
      times: 'always',
      action: { kind: 'status', status: 503 },
    });
    const err = await upload(client, options('faults/down')).catch((e: unknown) => e);
    expect(err).toHaveProperty('phase', 'initiating');
    expect((err as UploadError).cause).toHaveProperty('status', 503);
    expect(
      server.requests.count({ operation: 'InitiateMultipartUpload', key: 'faults/down' }),
    ).toBe(4);
  });

  it('leavePartsOnError keeps the parts of a failed upload; abortUpload removes them', async () => {
    server.faults.add({
      match: { operation: 'UploadPart', partNumber: 5 },
      times: 'always',
      action: { kind: 'status', status: 400, code: 'InvalidArgument' },
    });
    const err = await upload(client, { ...options('faults/leave'), leavePartsOnError: true }).catch(
      (e: unknown) => e as UploadError,
    );
    const uploadId = (err as UploadError).uploadId!;
    expect(await openUploads(client, 'faults/leave')).toEqual([uploadId]);
    const parts = await client.listParts({ bucket: BUCKET, key: 'faults/leave', uploadId });
    expect(parts.parts.length).toBeGreaterThan(0);
    const aborted = await abortUpload(client, { bucket: BUCKET, key: 'faults/leave', uploadId });
    expect(aborted).toEqual({ uploadId, aborted: true, checkpointsDeleted: [] });
    expect(await openUploads(client, 'faults/leave')).toEqual([]);
    const again = await abortUpload(client, { bucket: BUCKET, key: 'faults/leave', uploadId });
    expect(again.aborted).toBe(false);
  });
});
