import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc64 } from '@ossup/checksum';
import { signV4 } from '@ossup/signer';
import { parseListPartsResult } from '@ossup/xml-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, spawnServer } from './helpers/child-server.ts';
import { complete, completeBody, initiate, uploadPart } from './helpers/multipart.ts';
import { errorCode, type OssRequest, ossRequest, xmlValue } from './helpers/oss-client.ts';
import { bytes, md5Hex } from './helpers/server.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ossup-durability-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function targetOf(s: ChildServer) {
  return {
    endpoint: s.info.endpoint,
    region: s.info.region,
    credentials: { accessKeyId: s.info.accessKeyId, accessKeySecret: s.info.accessKeySecret! },
  };
}

/**
 * Starts a signed upload whose body is sent in pieces and never finished; resolves once
 * `sent` bytes are on the wire (the server has them, has not acknowledged anything).
 */
async function startHangingUpload(
  s: ChildServer,
  r: OssRequest & { total: number; sent: number },
): Promise<void> {
  const t = targetOf(s);
  const signed = await signV4(
    { method: r.method, bucket: r.bucket, key: r.key, query: r.query ?? [] },
    { credentials: t.credentials, date: new Date(), region: t.region },
  );
  const url = new URL(t.endpoint);
  const qs = (r.query ?? []).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  await new Promise<void>((resolve) => {
    const req = httpRequest({
      host: url.hostname,
      port: url.port,
      method: r.method,
      path: `/${r.bucket}/${r.key}${qs ? `?${qs}` : ''}`,
      headers: { ...signed.headers, 'content-length': String(r.total) },
    });
    req.on('error', () => {});
    req.write(bytes(r.sent, 99), () => setTimeout(resolve, 300));
  });
}

describe('kill -9 and restart', () => {
  it('keeps every acknowledged object, upload and part, and nothing half-written', async () => {
    const data = join(dir, 'data');
    const first = await spawnServer(['--port', '0', '--data', data, '--bucket', 'durable']);
    const oss = (r: OssRequest) => ossRequest(targetOf(first), r);
    const objectBody = bytes(300_000, 1);
    expect(
      (
        await oss({
          method: 'PUT',
          bucket: 'durable',
          key: 'acked.bin',
          body: objectBody,
          headers: { 'x-oss-meta-k': 'v' },
        })
      ).status,
    ).toBe(200);
    await oss({ method: 'PUT', bucket: 'durable', key: 'overwritten', body: 'old' });
    await oss({ method: 'PUT', bucket: 'durable', key: 'overwritten', body: 'new' });
    await oss({ method: 'PUT', bucket: 'durable', key: 'deleted', body: 'x' });
    await oss({ method: 'DELETE', bucket: 'durable', key: 'deleted' });
    const uploadId = await initiate(oss, 'durable', 'big.bin', { 'content-type': 'video/mp4' });
    const p1 = bytes(200_000, 2);
    const p2 = bytes(150_000, 3);
    const e1 = (await uploadPart(oss, 'durable', 'big.bin', uploadId, 1, p1)).headers
      .etag as string;
    const e2 = (await uploadPart(oss, 'durable', 'big.bin', uploadId, 2, p2)).headers
      .etag as string;
    const aborted = await initiate(oss, 'durable', 'aborted.bin');
    await uploadPart(oss, 'durable', 'aborted.bin', aborted, 1, 'gone');
    expect(
      (
        await oss({
          method: 'DELETE',
          bucket: 'durable',
          key: 'aborted.bin',
          query: [['uploadId', aborted]],
        })
      ).status,
    ).toBe(204);

    // In flight when the server dies: part 3 and a new object, each half sent.
    await startHangingUpload(first, {
      method: 'PUT',
      bucket: 'durable',
      key: 'big.bin',
      query: [
        ['partNumber', '3'],
        ['uploadId', uploadId],
      ],
      total: 4_000_000,
      sent: 2_000_000,
    });
    await startHangingUpload(first, {
      method: 'PUT',
      bucket: 'durable',
      key: 'half.bin',
      total: 3_000_000,
      sent: 1_500_000,
    });
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const second = await spawnServer(['--port', '0', '--data', data]);
    try {
      const oss2 = (r: OssRequest) => ossRequest(targetOf(second), r);
      const acked = await oss2({ method: 'GET', bucket: 'durable', key: 'acked.bin' });
      expect(acked.status).toBe(200);
      expect(acked.body.equals(objectBody)).toBe(true);
      expect(acked.headers['x-oss-meta-k']).toBe('v');
      expect(acked.headers['x-oss-hash-crc64ecma']).toBe(crc64(objectBody).toString());
      expect((await oss2({ method: 'GET', bucket: 'durable', key: 'overwritten' })).text).toBe(
        'new',
      );
      expect(errorCode(await oss2({ method: 'GET', bucket: 'durable', key: 'deleted' }))).toBe(
        'NoSuchKey',
      );
      expect(errorCode(await oss2({ method: 'GET', bucket: 'durable', key: 'half.bin' }))).toBe(
        'NoSuchKey',
      );
      expect(
        errorCode(
          await oss2({
            method: 'GET',
            bucket: 'durable',
            key: 'aborted.bin',
            query: [['uploadId', aborted]],
          }),
        ),
      ).toBe('NoSuchUpload');

      const parts = parseListPartsResult(
        (
          await oss2({
            method: 'GET',
            bucket: 'durable',
            key: 'big.bin',
            query: [['uploadId', uploadId]],
          })
        ).text,
      );
      expect(parts.parts.map((p) => [p.partNumber, p.etag, p.size])).toEqual([
        [1, md5Hex(p1), p1.byteLength],
        [2, md5Hex(p2), p2.byteLength],
      ]);
      const uploads = await oss2({ method: 'GET', bucket: 'durable', query: [['uploads', '']] });
      expect(xmlValue(uploads.text, 'UploadId')).toBe(uploadId);

      const done = await complete(
        oss2,
        'durable',
        'big.bin',
        uploadId,
        completeBody([
          [1, e1],
          [2, e2],
        ]),
      );
      expect(done.status).toBe(200);
      const whole = Buffer.concat([p1, p2]);
      expect(done.headers['x-oss-hash-crc64ecma']).toBe(crc64(whole).toString());
      const got = await oss2({ method: 'GET', bucket: 'durable', key: 'big.bin' });
      expect(got.body.equals(whole)).toBe(true);
      expect(got.headers['content-type']).toBe('video/mp4');

      // Nothing half-written is left behind: no temp files, no orphan data files.
      const dataFiles = await readdir(join(data, 'buckets', 'durable', 'data'));
      expect(dataFiles.filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(dataFiles).toHaveLength(4); // acked.bin, overwritten, part 1, part 2
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  });

  it('refuses a second live server on the same data directory', async () => {
    const data = join(dir, 'locked');
    const first = await spawnServer(['--port', '0', '--data', data]);
    try {
      await expect(spawnServer(['--port', '0', '--data', data])).rejects.toThrow(/in use/);
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
    }
    const again = await spawnServer(['--port', '0', '--data', data]);
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
  });
});

describe('CLI', () => {
  it('prints the endpoint, region and dev credentials and uses env credentials when given', async () => {
    const a = await spawnServer(['--port', '0', '--ephemeral', '--region', 'oss-cn-shanghai']);
    try {
      expect(a.info.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(a.info.region).toBe('cn-shanghai');
      expect(a.info.accessKeyId).toBe('ossup-dev-access-key');
      expect(a.info.accessKeySecret).toBeDefined();
    } finally {
      a.child.kill('SIGTERM');
      await a.exited;
    }
    const b = await spawnServer(['--port', '0', '--ephemeral', '--bucket', 'env-bucket'], {
      OSS_ACCESS_KEY_ID: 'env-id',
      OSS_ACCESS_KEY_SECRET: 'env-secret',
    });
    try {
      expect(b.info.accessKeyId).toBe('env-id');
      expect(b.info.accessKeySecret).toBeUndefined();
      const res = await ossRequest(
        {
          endpoint: b.info.endpoint,
          region: b.info.region,
          credentials: { accessKeyId: 'env-id', accessKeySecret: 'env-secret' },
        },
        { method: 'GET', bucket: 'env-bucket' },
      );
      expect(res.status).toBe(200);
    } finally {
      b.child.kill('SIGTERM');
      await b.exited;
    }
  });
});
