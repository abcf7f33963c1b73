// Testing your own upload code against the ossup dev server: a real OSS-compatible server on
// a loopback port (signatures checked, OSS error codes and limits), with fault injection for
// the unhappy paths. Shown with vitest; any test runner works the same way.
import { createClient, fromBytes, type OssServiceError, UploadError, upload } from '@ossup/client';
import { type DevServer, startDevServer } from '@ossup/dev-server';
import { afterAll, beforeAll, expect, it } from 'vitest';

let server: DevServer;
beforeAll(async () => {
  // A free port and a fresh temporary data directory (deleted by close()). Lowering the
  // minimum part size lets tests use kilobytes instead of megabytes.
  server = await startDevServer({ buckets: ['test'], limits: { minPartSize: 1024 } });
});
afterAll(() => server.close());

const client = () =>
  createClient({
    endpoint: server.endpoint, // http://127.0.0.1:<port>, addressed path-style
    region: server.region,
    credentials: server.credentials,
  });
// The uploader plans parts against OSS's limits unless told otherwise.
const small = { partSize: 4096, limits: { minPartSize: 1024 } };
const data = new Uint8Array(10 * 1024).map((_, i) => i % 251);

it('retries a part that fails with 503, then completes', async () => {
  server.faults.add({
    match: { operation: 'UploadPart', key: 'retry.bin', partNumber: 2 },
    times: 2,
    action: { kind: 'status', status: 503, code: 'ServiceUnavailable' },
  });
  const result = await upload(client(), {
    source: fromBytes(data),
    bucket: 'test',
    key: 'retry.bin',
    ...small,
  });
  expect(result.parts).toHaveLength(3);
  // Parts 1 and 3 once, part 2 three times (two 503s, then success).
  expect(server.requests.count({ operation: 'UploadPart', key: 'retry.bin' })).toBe(5);
});

it('survives a connection reset in the middle of a part', async () => {
  server.faults.add({
    match: { operation: 'UploadPart', key: 'reset.bin', partNumber: 1 },
    action: { kind: 'reset', afterBodyBytes: 1000 },
  });
  const result = await upload(client(), {
    source: fromBytes(data),
    bucket: 'test',
    key: 'reset.bin',
    ...small,
  });
  expect(result.size).toBe(data.length);
  const part1 = server.requests
    .entries({ operation: 'UploadPart', key: 'reset.bin' })
    .filter((e) => e.partNumber === 1);
  expect(part1.map((e) => e.fault ?? e.status)).toEqual(['reset', 200]);
});

it('does not fail when the answer to Complete is lost', async () => {
  // The object is stored, but the connection is cut instead of answering: the client finds
  // the object with HeadObject and reports success.
  server.faults.add({
    match: { operation: 'CompleteMultipartUpload', key: 'lost.bin' },
    action: { kind: 'drop-after-store' },
  });
  const result = await upload(client(), {
    source: fromBytes(data),
    bucket: 'test',
    key: 'lost.bin',
    ...small,
  });
  const head = await client().headObject({ bucket: 'test', key: 'lost.bin' });
  expect(head.crc64).toBe(result.crc64);
  const completes = server.requests.entries({
    operation: 'CompleteMultipartUpload',
    key: 'lost.bin',
  });
  expect(completes[0]?.fault).toBe('drop-after-store');
});

it('reports a part that keeps failing, and leaves no parts behind', async () => {
  server.faults.add({
    match: { operation: 'UploadPart', key: 'fail.bin', partNumber: 2 },
    times: 'always',
    action: { kind: 'status', status: 503, code: 'ServiceUnavailable' },
  });
  const error = await upload(client(), {
    source: fromBytes(data),
    bucket: 'test',
    key: 'fail.bin',
    ...small,
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UploadError);
  expect((error as UploadError).partNumber).toBe(2);
  expect(((error as UploadError).cause as OssServiceError).code).toBe('ServiceUnavailable');
  // Without a checkpoint nothing could resume it, so the multipart upload was aborted.
  const { uploads } = await client().listMultipartUploads({ bucket: 'test', prefix: 'fail.bin' });
  expect(uploads).toEqual([]);
  server.faults.clear();
});
