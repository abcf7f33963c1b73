// The credential setups of docs/credentials.md, each checked against the dev server: static
// keys, temporary (STS) credentials with refresh, remote signing for browsers, and
// presigned URLs. The dev server issues STS-style credentials that expire like real ones.
import { createClient, fromBytes, type RemoteSignRequest, upload } from '@ossup/client';
import { type DevServer, startDevServer } from '@ossup/dev-server';
import { createSigner } from '@ossup/signer';
import { afterAll, beforeAll, expect, it } from 'vitest';

let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({ buckets: ['media'], limits: { minPartSize: 1024 } });
});
afterAll(() => server.close());

const data = new Uint8Array(10 * 1024).map((_, i) => i % 253);
const small = { partSize: 4096, limits: { minPartSize: 1024 } };

it('static credentials (a RAM user, a server job)', async () => {
  const client = createClient({
    endpoint: server.endpoint,
    region: server.region,
    credentials: server.credentials, // { accessKeyId, accessKeySecret }
  });
  const result = await upload(client, { source: fromBytes(data), bucket: 'media', key: 'a.bin' });
  expect(result.size).toBe(data.length);
});

it('temporary credentials from STS, refreshed before they expire', async () => {
  let calls = 0;
  const client = createClient({
    endpoint: server.endpoint,
    region: server.region,
    // In production: call STS AssumeRole (from your backend) and return its credentials.
    credentialsProvider: async () => {
      calls++;
      const sts = server.issueTemporaryCredentials({ durationSeconds: 900 });
      return {
        accessKeyId: sts.accessKeyId,
        accessKeySecret: sts.accessKeySecret,
        securityToken: sts.securityToken,
        expiration: new Date(sts.expiration),
      };
    },
  });
  await upload(client, { source: fromBytes(data), bucket: 'media', key: 'b.bin', ...small });
  // Three parts in parallel plus Initiate and Complete: one call, shared by every request.
  expect(calls).toBe(1);
});

it('remote signing: the browser holds no key, the backend signs each request', async () => {
  // Backend: the only place that holds a key.
  const signer = createSigner({ region: server.region, credentials: server.credentials });
  const backendSign = async (request: RemoteSignRequest) => {
    // Authorise first: who is asking, and may they do `request.operation` on this key?
    if (request.bucket !== 'media' || !request.key?.startsWith('users/42/')) {
      throw new Error('forbidden');
    }
    const { headers } = await signer.sign({
      method: request.method,
      bucket: request.bucket,
      key: request.key,
      query: request.query,
      headers: request.headers,
    });
    return { headers };
  };

  // Browser: `signer` would POST the request description to the backend and return its JSON.
  const client = createClient({
    endpoint: server.endpoint,
    region: server.region,
    signer: backendSign,
  });
  const result = await upload(client, {
    source: fromBytes(data),
    bucket: 'media',
    key: 'users/42/c.bin',
    ...small,
  });
  expect(result.parts).toHaveLength(3);
  await expect(
    upload(client, { source: fromBytes(data), bucket: 'media', key: 'users/7/c.bin' }),
  ).rejects.toThrow('forbidden');
});

it('presigned URLs: anyone with the URL may PUT or GET, until it expires', async () => {
  const client = createClient({
    endpoint: server.endpoint,
    region: server.region,
    credentials: server.credentials,
  });
  const put = await client.presign({
    method: 'PUT',
    bucket: 'media',
    key: 'shared/report.txt',
    expires: 600, // seconds; default 900, V4 allows up to 7 days
    headers: { 'content-type': 'text/plain' }, // signed: the uploader must send exactly this
  });
  const stored = await fetch(put.url, { method: 'PUT', headers: put.headers, body: 'hello' });
  expect(stored.status).toBe(200);

  const get = await client.presign({ bucket: 'media', key: 'shared/report.txt' });
  expect(await (await fetch(get.url)).text()).toBe('hello');
});
