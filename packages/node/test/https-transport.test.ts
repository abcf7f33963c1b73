// The https: path of nodeHttpTransport against a local TLS server with a test certificate.
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHttpTransport } from '../src/node-http-transport.ts';

let server: Server;
let url: string;
let cert: string;
let connections = 0;

beforeAll(async () => {
  cert = await readFile(new URL('./fixtures/tls/cert.pem', import.meta.url), 'utf8');
  const key = await readFile(new URL('./fixtures/tls/key.pem', import.meta.url), 'utf8');
  server = createServer({ cert, key }, async (req, res) => {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of req) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    res.setHeader('x-size', String(size));
    res.end(hash.digest('hex'));
  });
  server.on('secureConnection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('nodeHttpTransport over https', () => {
  it('uploads through a custom https agent, reusing one TLS connection', async () => {
    const agent = new Agent({ keepAlive: true, ca: cert });
    const t = nodeHttpTransport({ httpsAgent: agent });
    try {
      for (let i = 0; i < 3; i++) {
        const body = randomBytes(3 * 1024 * 1024 + i);
        const events: number[] = [];
        const res = await t(
          { method: 'PUT', url: `${url}/b/k${i}`, headers: {}, body },
          { onUploadProgress: (n) => events.push(n) },
        );
        expect(res.status).toBe(200);
        expect(res.headers.get('x-size')).toBe(String(body.length));
        expect(await res.text()).toBe(createHash('sha256').update(body).digest('hex'));
        expect(events.at(-1)).toBe(body.length);
      }
      expect(connections).toBe(1);
    } finally {
      t.close();
      agent.destroy();
    }
  });

  it('rejects an untrusted certificate with a network TypeError', async () => {
    const t = nodeHttpTransport();
    try {
      let err: unknown;
      try {
        await t({ method: 'GET', url: `${url}/x`, headers: {} }, {});
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(TypeError);
      expect(((err as TypeError).cause as { code?: string }).code).toBe(
        'DEPTH_ZERO_SELF_SIGNED_CERT',
      );
    } finally {
      t.close();
    }
  });
});
