import type { DevServer } from '@ossup/dev-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes, clientFor, startServer, TRICKY_KEYS, VERSIONS } from './low-level-helpers.ts';

let server: DevServer;
beforeAll(async () => {
  server = await startServer(['presign']);
});
afterAll(async () => {
  await server.close();
});

describe.each(VERSIONS)('presigned URLs (%s) used with plain fetch', (version) => {
  it('PUT then GET a tricky key with no credentials', async () => {
    const client = clientFor(server, { signatureVersion: version });
    for (const key of TRICKY_KEYS.slice(0, 8)) {
      const body = bytes(300, key.length);
      const put = await client.presign({
        method: 'PUT',
        bucket: 'presign',
        key,
        headers: { 'Content-Type': 'application/x-presigned' },
      });
      expect(put.url).not.toContain('undefined');
      const stored = await fetch(put.url, { method: 'PUT', headers: put.headers, body });
      expect([key, stored.status]).toEqual([key, 200]);

      const get = await client.presign({ bucket: 'presign', key, expires: 60 });
      const fetched = await fetch(get.url);
      expect(fetched.status).toBe(200);
      expect(fetched.headers.get('content-type')).toBe('application/x-presigned');
      expect(new Uint8Array(await fetched.arrayBuffer())).toEqual(body);
      expect(get.expiresAt.getTime()).toBeGreaterThan(Date.now());
    }
  });

  it('presigns an UploadPart for a browser and a GET with response overrides', async () => {
    const client = clientFor(server, { signatureVersion: version });
    const key = `presigned-part-${version}`;
    const init = await client.initiateMultipartUpload({ bucket: 'presign', key });
    const part = await client.presign({
      method: 'PUT',
      bucket: 'presign',
      key,
      query: { partNumber: '1', uploadId: init.uploadId },
    });
    const sent = await fetch(part.url, { method: 'PUT', body: bytes(50) });
    expect(sent.status).toBe(200);
    const etag = sent.headers.get('etag')!.replaceAll('"', '');
    await client.completeMultipartUpload({
      bucket: 'presign',
      key,
      uploadId: init.uploadId,
      parts: [{ partNumber: 1, etag }],
    });

    const get = await client.presign({
      bucket: 'presign',
      key,
      query: { 'response-content-disposition': 'attachment; filename="a b.bin"' },
    });
    const fetched = await fetch(get.url);
    expect(fetched.headers.get('content-disposition')).toBe('attachment; filename="a b.bin"');
    await fetched.arrayBuffer();
  });

  it('is refused once tampered with', async () => {
    const client = clientFor(server, { signatureVersion: version });
    const get = await client.presign({ bucket: 'presign', key: 'plain.txt' });
    const tampered = get.url.replace('plain.txt', 'other.txt');
    const response = await fetch(tampered);
    expect(response.status).toBe(403);
    await response.arrayBuffer();
  });
});

describe('presign input checks', () => {
  it('rejects an expiry V4 cannot express', async () => {
    const client = clientFor(server);
    await expect(client.presign({ bucket: 'presign', key: 'k', expires: 604_801 })).rejects.toThrow(
      /604800/,
    );
    await expect(client.presign({ bucket: 'presign', key: 'k', method: 'PATCH' })).rejects.toThrow(
      /PATCH/,
    );
  });
});
