// Compatibility suite: the dev server driven by the official Node client, ali-oss 6.23.0, used
// through its public API only, once with its default V1 signing and once with
// `authorizationV4: true`.
//
// Addressing: with an IP endpoint (`http://127.0.0.1:PORT`) ali-oss sends every request to the
// IP with path `/<key>` and `Host: <bucket>.oss-<region>.aliyuncs.com` (protocol reference
// §7.2/§7.4). signatureUrl refuses an IP endpoint, and `<bucket>.localhost` does not resolve
// from Node on every machine, so signed URLs come from a second client on
// `http://localhost:PORT` with `sldEnable: true` (path style, `/<bucket>/<key>`), which plain
// fetch can reach.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc64, crc64ToString, multipartEtag } from '@ossup/checksum';
import OSS from 'ali-oss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../src/index.ts';

const MiB = 1024 * 1024;

function md5(data: Uint8Array): Buffer {
  return createHash('md5').update(data).digest();
}

function quotedMd5(data: Uint8Array): string {
  return `"${md5(data).toString('hex').toUpperCase()}"`;
}

function crcHeader(data: Uint8Array): string {
  return crc64ToString(crc64(data));
}

/** Awaits a call that must fail and returns what ali-oss threw. */
async function failure(call: Promise<unknown>): Promise<OSS.RequestError> {
  try {
    await call;
  } catch (err) {
    return err as OSS.RequestError;
  }
  throw new Error('expected the ali-oss call to fail, but it succeeded');
}

function asArray<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

const REQUEST_ID = /^[0-9A-F]{24}$/;

// A 50 MiB file of random data, shared by both runs (made once: it is the costly part).
let big: Buffer;
let bigFile: string;
let bigEtag: string;
let bigCrc: string;
let scratch: string;
const BIG_PART = 1 * MiB;

beforeAll(async () => {
  big = randomBytes(50 * MiB);
  scratch = await mkdtemp(join(tmpdir(), 'ossup-ali-oss-'));
  bigFile = join(scratch, 'fifty.bin');
  await writeFile(bigFile, big);
  const partMd5s: Uint8Array[] = [];
  for (let off = 0; off < big.length; off += BIG_PART) {
    partMd5s.push(md5(big.subarray(off, off + BIG_PART)));
  }
  bigEtag = await multipartEtag(partMd5s);
  bigCrc = crcHeader(big);
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe.each([{ v4: false }, { v4: true }])('ali-oss 6.23.0, authorizationV4: $v4', ({ v4 }) => {
  const bucket = 'ali-compat';
  const warnings: string[] = [];
  // The server's clock runs this far ahead of the real one (to expire signed URLs at once).
  let clockAheadMs = 0;
  let server: DevServer;
  let client: OSS;
  let urlClient: OSS;

  function options(extra: Partial<OSS.Options> = {}): OSS.Options {
    return {
      accessKeyId: server.credentials.accessKeyId,
      accessKeySecret: server.credentials.accessKeySecret,
      region: `oss-${server.region}`,
      bucket,
      secure: false,
      authorizationV4: v4,
      endpoint: server.endpoint,
      ...extra,
    };
  }

  /** A presigned GET/PUT URL the way a user of this signing version makes one. */
  async function presign(
    key: string,
    expiresSeconds: number,
    extra: { method?: 'GET' | 'PUT'; contentType?: string; disposition?: string } = {},
  ): Promise<string> {
    const method = extra.method ?? 'GET';
    if (!v4) {
      return urlClient.signatureUrl(key, {
        method,
        expires: expiresSeconds,
        ...(extra.contentType === undefined ? {} : { 'Content-Type': extra.contentType }),
        ...(extra.disposition === undefined
          ? {}
          : { response: { 'content-disposition': extra.disposition } }),
      });
    }
    return urlClient.signatureUrlV4(
      method,
      expiresSeconds,
      {
        headers: extra.contentType === undefined ? {} : { 'Content-Type': extra.contentType },
        queries:
          extra.disposition === undefined
            ? {}
            : { 'response-content-disposition': extra.disposition },
      },
      key,
    );
  }

  beforeAll(async () => {
    server = await startDevServer({
      now: () => Date.now() + clockAheadMs,
      onWarning: (m) => warnings.push(m),
    });
    client = new OSS(options());
    urlClient = new OSS(options({ endpoint: `http://localhost:${server.port}`, sldEnable: true }));
  });

  afterAll(async () => {
    await server?.close();
  });

  it('putBucket creates the bucket', async () => {
    const r = await client.putBucket(bucket);
    expect(r.res.status).toBe(200);
    expect(r.bucket).toBe(bucket);
    // The request really went to the IP with the aliyuncs.com Host, virtual-hosted.
    expect(r.res.requestUrls[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const log = server.requests.entries({ operation: 'PutBucket' });
    expect(log.map((e) => [e.bucket, e.status])).toEqual([[bucket, 200]]);
    // And the bucket is usable: an object lands in it.
    await client.put('probe', Buffer.from('x'));
    expect(server.requests.entries({ operation: 'PutObject' }).at(-1)?.bucket).toBe(bucket);
    await client.delete('probe');
  });

  it('put, get, head and delete an object: bytes, ETag, CRC-64, metadata', async () => {
    const key = 'dir/ü k+y (1).bin';
    const data = randomBytes(300_000);
    const put = await client.put(key, data, {
      mime: 'application/x-ossup-test',
      meta: { origin: 'ali-oss' },
    });
    expect(put.res.status).toBe(200);
    expect(put.res.headers.etag).toBe(quotedMd5(data));
    expect(put.res.headers['x-oss-hash-crc64ecma']).toBe(crcHeader(data));
    expect(put.res.headers['x-oss-request-id']).toMatch(REQUEST_ID);
    expect(server.requests.entries({ operation: 'PutObject' }).at(-1)?.key).toBe(key);

    const got = await client.get(key);
    expect(got.res.status).toBe(200);
    expect(got.content.length).toBe(data.length);
    expect(got.content.equals(data)).toBe(true);
    expect(got.res.headers.etag).toBe(quotedMd5(data));
    expect(got.res.headers['x-oss-hash-crc64ecma']).toBe(crcHeader(data));
    expect(got.res.headers['content-type']).toBe('application/x-ossup-test');
    expect(got.res.headers['x-oss-meta-origin']).toBe('ali-oss');

    const ranged = await client.get(key, { headers: { Range: 'bytes=1000-1999' } });
    expect(ranged.res.status).toBe(206);
    expect(ranged.content.equals(data.subarray(1000, 2000))).toBe(true);
    expect(ranged.res.headers['content-range']).toBe(`bytes 1000-1999/${data.length}`);

    const head = await client.head(key);
    expect(head.status).toBe(200);
    expect(head.meta).toEqual({ origin: 'ali-oss' });
    expect(head.res.headers['content-length']).toBe(String(data.length));
    expect(head.res.headers.etag).toBe(quotedMd5(data));
    expect(head.res.headers['x-oss-hash-crc64ecma']).toBe(crcHeader(data));
    expect(head.res.headers['x-oss-object-type']).toBe('Normal');

    const del = await client.delete(key);
    expect(del.res.status).toBe(204);
    const afterGet = await failure(client.get(key));
    expect([afterGet.code, afterGet.status]).toEqual(['NoSuchKey', 404]);
    const afterHead = await failure(client.head(key));
    expect([afterHead.code, afterHead.status]).toEqual(['NoSuchKey', 404]);
    expect(afterHead.requestId).toMatch(REQUEST_ID);
  });

  it('OSS errors surface in ali-oss error objects (code, status, requestId)', async () => {
    const missing = await failure(client.get('no/such/key'));
    expect(missing.name).toBe('NoSuchKeyError');
    expect(missing.code).toBe('NoSuchKey');
    expect(missing.status).toBe(404);
    expect(missing.requestId).toMatch(REQUEST_ID);
    expect(missing.hostId).toBe(`${bucket}.oss-${server.region}.aliyuncs.com`);
    // The id is the one the server logged for that request.
    const logged = server.requests.entries({ operation: 'GetObject', key: 'no/such/key' });
    expect(logged.map((e) => [e.requestId, e.errorCode])).toEqual([
      [missing.requestId, 'NoSuchKey'],
    ]);

    const noBucket = await failure(new OSS(options({ bucket: 'no-such-bucket' })).get('k'));
    expect([noBucket.code, noBucket.status]).toEqual(['NoSuchBucket', 404]);

    const badSecret = await failure(new OSS(options({ accessKeySecret: 'wrong' })).get('k'));
    expect([badSecret.code, badSecret.status]).toEqual(['SignatureDoesNotMatch', 403]);

    const badId = await failure(new OSS(options({ accessKeyId: 'LTAIunknown' })).get('k'));
    expect([badId.code, badId.status]).toEqual(['InvalidAccessKeyId', 403]);
  });

  it('multipartUpload of a 50 MiB file in 1 MiB parts, 4 in parallel', async () => {
    const key = 'big/fifty.bin';
    server.requests.clear();
    let uploadId: string | undefined;
    // Parts the server is still receiving each time ali-oss reports one done: always 0 for a
    // client that sends one part at a time.
    const othersInFlight: number[] = [];
    const result = await client.multipartUpload(key, bigFile, {
      parallel: 4,
      partSize: BIG_PART,
      progress: (_p, checkpoint) => {
        if (checkpoint === null) return;
        uploadId = checkpoint.uploadId;
        othersInFlight.push(server.requests.count({ operation: 'UploadPart', status: 0 }));
      },
    });
    expect(result.res.status).toBe(200);
    expect(Math.max(...othersInFlight)).toBeGreaterThan(0);
    expect(Math.max(...othersInFlight)).toBeLessThanOrEqual(3);
    expect(result.etag).toBe(bigEtag);
    expect(result.etag).toMatch(/^"[0-9A-F]{32}-50"$/);
    expect(result.res.headers['x-oss-hash-crc64ecma']).toBe(bigCrc);

    const parts = server.requests.entries({ operation: 'UploadPart' });
    expect(parts).toHaveLength(50);
    expect(new Set(parts.map((p) => p.uploadId))).toEqual(new Set([uploadId]));
    expect(parts.map((p) => p.partNumber).sort((a, b) => a! - b!)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    expect(parts.every((p) => p.status === 200)).toBe(true);

    const head = await client.head(key);
    expect(head.res.headers['content-length']).toBe(String(big.length));
    expect(head.res.headers['x-oss-object-type']).toBe('Multipart');
    expect(head.res.headers['content-type']).toBe('application/octet-stream');
    expect(head.res.headers.etag).toBe(bigEtag);
    expect(head.res.headers['x-oss-hash-crc64ecma']).toBe(bigCrc);

    const got = await client.get(key);
    expect(got.res.headers['x-oss-hash-crc64ecma']).toBe(bigCrc);
    expect(got.content.length).toBe(big.length);
    expect(got.content.equals(big)).toBe(true);

    // Completed: no longer listed as in progress.
    const uploads = await client.listUploads({ prefix: 'big/' });
    expect(uploads.uploads).toEqual([]);
  });

  describe('an upload in progress', () => {
    const key = 'parts/in-progress.bin';
    const otherKey = 'parts/other.bin';
    const partData = [1, 2, 3, 4, 5].map((n) => randomBytes(100 * 1024 + n));
    let uploadId: string;
    let otherUploadId: string;

    beforeAll(async () => {
      const init = await client.initMultipartUpload(key);
      uploadId = init.uploadId;
      // Out of order: ListParts must still list them by part number.
      for (const n of [3, 1, 5, 2, 4]) {
        const data = partData[n - 1]!;
        const r = await client.uploadPart(key, uploadId, n, data, 0, data.length);
        expect(r.etag).toBe(quotedMd5(data));
      }
      otherUploadId = (await client.initMultipartUpload(otherKey)).uploadId;
    });

    it('listParts lists every part and pages with max-parts', async () => {
      const all = await client.listParts(key, uploadId);
      expect(all.uploadId).toBe(uploadId);
      expect(all.name).toBe(key);
      expect(all.bucket).toBe(bucket);
      expect(all.isTruncated).toBe('false');
      expect(asArray(all.parts).map((p) => [Number(p.PartNumber), p.ETag, Number(p.Size)])).toEqual(
        partData.map((d, i) => [i + 1, quotedMd5(d), d.length]),
      );
      for (const p of asArray(all.parts)) {
        expect(p.HashCrc64ecma).toBe(crcHeader(partData[Number(p.PartNumber) - 1]!));
      }

      const pages: { numbers: number[]; truncated: string; next: string }[] = [];
      let marker = 0;
      for (let i = 0; i < 10; i++) {
        const page = await client.listParts(key, uploadId, {
          'max-parts': 2,
          'part-number-marker': marker,
        });
        expect(page.maxParts).toBe('2');
        pages.push({
          numbers: asArray(page.parts).map((p) => Number(p.PartNumber)),
          truncated: page.isTruncated,
          next: page.nextPartNumberMarker,
        });
        if (page.isTruncated !== 'true') break;
        marker = Number(page.nextPartNumberMarker);
      }
      expect(pages).toEqual([
        { numbers: [1, 2], truncated: 'true', next: '2' },
        { numbers: [3, 4], truncated: 'true', next: '4' },
        { numbers: [5], truncated: 'false', next: '5' },
      ]);
    });

    it('listUploads finds the in-progress uploads and pages with max-uploads', async () => {
      const all = await client.listUploads({ prefix: 'parts/' });
      expect(all.bucket).toBe(bucket);
      expect(all.isTruncated).toBe(false);
      expect(all.uploads.map((u) => [u.name, u.uploadId])).toEqual([
        [key, uploadId],
        [otherKey, otherUploadId],
      ]);
      for (const u of all.uploads) expect(Number.isNaN(Date.parse(u.initiated))).toBe(false);

      const first = await client.listUploads({ prefix: 'parts/', 'max-uploads': 1 });
      expect(first.uploads.map((u) => u.name)).toEqual([key]);
      expect(first.isTruncated).toBe(true);
      expect([first.nextKeyMarker, first.nextUploadIdMarker]).toEqual([key, uploadId]);
      const second = await client.listUploads({
        prefix: 'parts/',
        'max-uploads': 1,
        'key-marker': first.nextKeyMarker,
        'upload-id-marker': first.nextUploadIdMarker,
      });
      expect(second.uploads.map((u) => [u.name, u.uploadId])).toEqual([[otherKey, otherUploadId]]);
      expect(second.isTruncated).toBe(false);
    });

    it('abortMultipartUpload removes the upload (NoSuchUpload afterwards)', async () => {
      const aborted = await client.abortMultipartUpload(key, uploadId);
      expect(aborted.res.status).toBe(204);

      const list = await failure(client.listParts(key, uploadId));
      expect([list.code, list.status]).toEqual(['NoSuchUpload', 404]);
      expect(list.requestId).toMatch(REQUEST_ID);
      const again = await failure(client.abortMultipartUpload(key, uploadId));
      expect([again.code, again.status]).toEqual(['NoSuchUpload', 404]);
      const part = await failure(
        client.uploadPart(key, uploadId, 6, partData[0]!, 0, partData[0]!.length),
      );
      expect([part.code, part.status]).toEqual(['NoSuchUpload', 404]);

      const remaining = await client.listUploads({ prefix: 'parts/' });
      expect(remaining.uploads.map((u) => u.uploadId)).toEqual([otherUploadId]);
      await client.abortMultipartUpload(otherKey, otherUploadId);
      expect((await client.listUploads({ prefix: 'parts/' })).uploads).toEqual([]);
    });
  });

  it(`${v4 ? 'signatureUrlV4' : 'signatureUrl'} URLs work with plain fetch`, async () => {
    const key = 'signed/hello world+.txt';
    const data = randomBytes(70_000);
    await client.put(key, data);

    const getUrl = await presign(key, 300);
    expect(getUrl).toContain(v4 ? 'x-oss-signature=' : 'Signature=');
    const res = await fetch(getUrl);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(data)).toBe(true);
    expect(res.headers.get('etag')).toBe(quotedMd5(data));
    expect(res.headers.get('x-oss-hash-crc64ecma')).toBe(crcHeader(data));
    if (v4) {
      // signatureUrl stays V1 on a client configured for V4; that URL works too.
      const v1Res = await fetch(urlClient.signatureUrl(key, { expires: 300 }));
      expect(v1Res.status).toBe(200);
      expect(Buffer.from(await v1Res.arrayBuffer()).equals(data)).toBe(true);
    }

    // response-* overrides are signed query parameters.
    const disposition = 'attachment; filename="report 1.txt"';
    const dispositionRes = await fetch(await presign(key, 300, { disposition }));
    expect(dispositionRes.status).toBe(200);
    expect(dispositionRes.headers.get('content-disposition')).toBe(disposition);
    await dispositionRes.arrayBuffer();

    // A presigned PUT, Content-Type signed.
    const putKey = 'signed/uploaded.txt';
    const body = 'uploaded through a presigned URL';
    const putRes = await fetch(
      await presign(putKey, 300, { method: 'PUT', contentType: 'text/plain' }),
      { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body },
    );
    expect(putRes.status).toBe(200);
    await putRes.arrayBuffer();
    const stored = await client.get(putKey);
    expect(stored.content.toString()).toBe(body);
    expect(stored.res.headers['content-type']).toBe('text/plain');
  });

  it(`an expired ${v4 ? 'signatureUrlV4' : 'signatureUrl'} URL is refused with 403 AccessDenied`, async () => {
    const key = 'signed/expiring.txt';
    await client.put(key, Buffer.from('soon gone'));
    const url = await presign(key, 1);
    const fresh = await fetch(url);
    expect(fresh.status).toBe(200);
    await fresh.arrayBuffer();

    // Rather than sleeping past the 1 s validity, move the server's clock 10 s ahead
    // (well inside the 15 min skew allowed for header-signed requests).
    clockAheadMs = 10_000;
    try {
      const expired = await fetch(url);
      expect(expired.status).toBe(403);
      const text = await expired.text();
      expect(text).toContain('<Code>AccessDenied</Code>');
      expect(expired.headers.get('x-oss-request-id')).toMatch(REQUEST_ID);
      // Header-signed requests still pass at the same server time.
      expect((await client.head(key)).status).toBe(200);
    } finally {
      clockAheadMs = 0;
    }
  });

  it('close() returns with keep-alive sockets, timed-out and delayed requests in flight', async () => {
    // ali-oss keeps its sockets alive (agentkeepalive); close() must not wait for them.
    expect((await client.head('signed/expiring.txt')).status).toBe(200);

    // A PutObject whose client gives up while a `delay` fault holds it: the connection is
    // gone before the server reads the body. This used to leave the request pending forever
    // (and close() with it); a regression shows up as this test timing out.
    server.faults.add({ match: { operation: 'PutObject' }, action: { kind: 'delay', ms: 2000 } });
    const impatient = new OSS(options({ timeout: 300 }));
    const timedOut = await failure(impatient.put('slow/put.bin', randomBytes(200_000)));
    expect(timedOut.name).toBe('ResponseTimeoutError');
    expect(server.requests.entries({ operation: 'PutObject', key: 'slow/put.bin' })).toHaveLength(
      1,
    );

    // A GetObject held by a 10-minute delay when close() is called: close() must not sit it
    // out (the test timeout, 60 s, would fail it).
    server.faults.add({
      match: { operation: 'GetObject' },
      action: { kind: 'delay', ms: 600_000 },
    });
    const held = failure(client.get('signed/expiring.txt'));
    const heldInServer = () =>
      server.requests
        .entries({ operation: 'GetObject', key: 'signed/expiring.txt' })
        .some((e) => e.fault === 'delay');
    while (!heldInServer()) await new Promise((r) => setTimeout(r, 10));

    await server.close();
    expect((await held).status).toBe(-1);
    expect(existsSync(server.dataDir)).toBe(false);
    const after = await failure(client.head('signed/expiring.txt'));
    expect(after.status).toBe(-1);
    expect(warnings).toEqual([]);
  });
});
