import { request as httpRequest } from 'node:http';
import type { DevServer } from '@ossup/dev-server';
import { createSigner } from '@ossup/signer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transport } from '../src/transport.ts';
import { bytes, clientFor, readAll, startServer, VERSIONS } from './low-level-helpers.ts';

// Node cannot resolve `<bucket>.oss-test.local`, so this transport connects to the dev
// server's loopback port and sends the virtual-hosted Host header the URL names. It checks
// the URL the client built (bucket in the host, key in the path) end to end with real
// signatures.
function loopbackTransport(port: number, hosts: string[]): Transport {
  return (request, { signal }) =>
    new Promise((resolve, reject) => {
      const url = new URL(request.url);
      hosts.push(url.host);
      const body = request.body instanceof Uint8Array ? request.body : undefined;
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: request.method,
          path: `${url.pathname}${url.search}`,
          headers: {
            ...request.headers,
            host: url.host,
            'content-length': String(body?.byteLength ?? 0),
          },
          signal,
        },
        (res) => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined)
              headers.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          const stream = new ReadableStream<Uint8Array>({
            start(controller) {
              res.on('data', (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk)));
              res.on('end', () => controller.close());
              res.on('error', (error) => controller.error(error));
            },
          });
          const nullBody =
            request.method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304;
          resolve(
            new Response(nullBody ? null : stream, { status: res.statusCode ?? 500, headers }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

let server: DevServer;
beforeAll(async () => {
  server = await startServer(['vhost'], { domains: ['oss-test.local'] });
});
afterAll(async () => {
  await server.close();
});

describe.each(VERSIONS)('virtual-hosted addressing (%s)', (version) => {
  it('puts the bucket in the host and works end to end', async () => {
    const hosts: string[] = [];
    const client = clientFor(server, {
      endpoint: `http://oss-test.local:${server.port}`,
      signatureVersion: version,
      transport: loopbackTransport(server.port, hosts),
    });
    const key = 'dir/ü 😀+%.bin';
    const body = bytes(3000);
    await client.putObject({ bucket: 'vhost', key, body });
    const got = await client.getObject({ bucket: 'vhost', key });
    expect(await readAll(got.body)).toEqual(body);
    const { uploadId } = await client.initiateMultipartUpload({ bucket: 'vhost', key });
    const page = await client.listMultipartUploads({ bucket: 'vhost' });
    expect(page.uploads.map((u) => u.uploadId)).toContain(uploadId);
    await client.abortMultipartUpload({ bucket: 'vhost', key, uploadId });
    expect(new Set(hosts)).toEqual(new Set([`vhost.oss-test.local:${server.port}`]));
  });
});

describe.each(VERSIONS)('remote signer (%s)', (version) => {
  it('signs through a backend function and never sees a secret', async () => {
    // The "backend": holds the credentials, signs what the page asks for.
    const backend = createSigner({
      version,
      region: server.region,
      credentials: server.credentials,
    });
    const operations: string[] = [];
    const client = clientFor(server, {
      signatureVersion: version,
      signer: async (request) => {
        operations.push(request.operation);
        const signed = await backend.sign(request);
        return { headers: signed.headers };
      },
    });
    const key = 'remote/ü.bin';
    await client.putObject({ bucket: 'vhost', key, body: bytes(10) });
    const head = await client.headObject({ bucket: 'vhost', key });
    expect(head.size).toBe(10);
    expect(operations).toEqual(['PutObject', 'HeadObject']);
    await expect(client.presign({ bucket: 'vhost', key })).rejects.toThrow(/remote signer/);
  });
});
