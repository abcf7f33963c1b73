// The page's backend over HTTP, against the real dev server: what /api/sts hands out works
// and is short-lived, /api/sign signs uploads and nothing else, and neither ever reveals the
// long-term key.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, fromBytes, OssError, type RemoteSignRequest, upload } from '@ossup/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebUploader, type WebUploader } from '../server/start.ts';

let app: WebUploader;
let emptyDir: string;

beforeAll(async () => {
  emptyDir = await mkdtemp(join(tmpdir(), 'web-uploader-backend-'));
  app = await startWebUploader({
    page: { kind: 'static', dir: emptyDir },
    devServerOptions: { hashWorkers: 0, limits: { minPartSize: 100 * 1024 } },
    backend: { stsDurationSeconds: 900 },
  });
});

afterAll(async () => {
  await app?.close();
  await rm(emptyDir, { recursive: true, force: true });
});

const api = (path: string) => new URL(path, app.url).href;

function postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(api(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** A Node client that asks the backend to sign, as the page does in signer mode. */
function signerClient() {
  return createClient({
    endpoint: app.devServer.endpoint,
    region: app.devServer.region,
    signer: async (request: RemoteSignRequest) => {
      const response = await postJson('/api/sign', request);
      const body = (await response.json()) as { headers?: Record<string, string>; error?: string };
      if (!response.ok) throw new Error(`${response.status} ${body.error}`);
      return { headers: body.headers! };
    },
  });
}

describe('backend', () => {
  it('serves the page config, without any secret', async () => {
    const response = await fetch(api('/api/config'));
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      endpoint: app.devServer.endpoint,
      region: 'cn-hangzhou',
      bucket: 'web-uploads',
      keyPrefix: 'uploads/',
      defaultMode: 'sts',
      partSize: 8 * 1024 * 1024,
      parallel: 4,
      contentMd5: true,
      stsDurationSeconds: 900,
      signatureVersion: 'v4',
    });
    expect(text).not.toContain(app.devServer.credentials.accessKeySecret);
  });

  it('hands out short-lived credentials that work only with their token', async () => {
    const response = await postJson('/api/sts', {});
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const sts = (await response.json()) as Record<string, string>;
    expect(sts['accessKeyId']).toMatch(/^STS\./);
    expect(sts['accessKeyId']).not.toBe(app.devServer.credentials.accessKeyId);
    const lifetime = Date.parse(sts['expiration']!) - Date.now();
    expect(lifetime).toBeGreaterThan(800_000);
    expect(lifetime).toBeLessThanOrEqual(900_000);

    const client = createClient({
      endpoint: app.devServer.endpoint,
      region: app.devServer.region,
      credentials: {
        accessKeyId: sts['accessKeyId']!,
        accessKeySecret: sts['accessKeySecret']!,
        securityToken: sts['securityToken']!,
      },
    });
    const data = randomBytes(300 * 1024);
    const result = await upload(client, {
      source: fromBytes(data),
      bucket: 'web-uploads',
      key: 'uploads/sts.bin',
      partSize: 100 * 1024,
    });
    expect(result.size).toBe(data.length);

    const withoutToken = createClient({
      endpoint: app.devServer.endpoint,
      region: app.devServer.region,
      credentials: { accessKeyId: sts['accessKeyId']!, accessKeySecret: sts['accessKeySecret']! },
      retry: false,
    });
    await expect(
      withoutToken.headObject({ bucket: 'web-uploads', key: 'uploads/sts.bin' }),
    ).rejects.toThrow(OssError);
  });

  it('signs a whole multipart upload for a client that holds no key', async () => {
    const before = { ...app.backend.stats };
    const data = randomBytes(350 * 1024);
    const result = await upload(signerClient(), {
      source: fromBytes(data),
      bucket: 'web-uploads',
      key: 'uploads/signed.bin',
      partSize: 100 * 1024,
      contentMd5: true,
    });
    expect(result.parts).toHaveLength(4);
    // Initiate, 4 parts, Complete (a HeadObject may follow to check the CRC).
    expect(app.backend.stats.signed - before.signed).toBeGreaterThanOrEqual(6);
    expect(app.backend.stats.refused).toBe(before.refused);
  });

  it('refuses to sign anything but uploads to its bucket and prefix', async () => {
    const client = signerClient();
    const before = app.backend.stats.refused;
    await expect(
      client.deleteObject({ bucket: 'web-uploads', key: 'uploads/signed.bin' }),
    ).rejects.toThrow(/403 .*not an upload operation/);
    await expect(
      client.getObject({ bucket: 'web-uploads', key: 'uploads/signed.bin' }),
    ).rejects.toThrow(/403/);
    await expect(
      client.initiateMultipartUpload({ bucket: 'other-bucket', key: 'uploads/x' }),
    ).rejects.toThrow(/Only bucket "web-uploads"/);
    await expect(
      client.initiateMultipartUpload({ bucket: 'web-uploads', key: 'elsewhere/x' }),
    ).rejects.toThrow(/must start with "uploads\/"/);
    await expect(
      client.putObject({
        bucket: 'web-uploads',
        key: 'uploads/public.bin',
        body: new Uint8Array(1),
        acl: 'public-read',
      }),
    ).rejects.toThrow(/x-oss-object-acl is not allowed/);
    await expect(
      client.uploadPartCopy({
        bucket: 'web-uploads',
        key: 'uploads/copy.bin',
        uploadId: 'ABC',
        partNumber: 1,
        sourceKey: 'uploads/signed.bin',
      }),
    ).rejects.toThrow(/x-oss-copy-source/);
    expect(app.backend.stats.refused - before).toBe(6);
    // Nothing was deleted.
    const head = await createClient({
      endpoint: app.devServer.endpoint,
      region: app.devServer.region,
      credentials: app.devServer.credentials,
    }).headObject({ bucket: 'web-uploads', key: 'uploads/signed.bin' });
    expect(head.size).toBe(350 * 1024);
  });

  it('answers only its own page', async () => {
    const crossSite = await postJson('/api/sts', {}, { origin: 'http://evil.example' });
    expect(crossSite.status).toBe(403);
    const fetchMetadata = await postJson('/api/sign', {}, { 'sec-fetch-site': 'cross-site' });
    expect(fetchMetadata.status).toBe(403);
    const form = await fetch(api('/api/sts'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=b',
    });
    expect(form.status).toBe(415);
    expect((await fetch(api('/api/sts'))).status).toBe(405);
    expect((await fetch(api('/api/nothing'))).status).toBe(404);
    const bad = await fetch(api('/api/sign'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(bad.status).toBe(400);
  });
});
