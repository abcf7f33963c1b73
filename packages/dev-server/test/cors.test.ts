import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevServer } from '../src/index.ts';
import { errorCode, send } from './helpers/oss-client.ts';
import { clientFor, testServer } from './helpers/server.ts';

let server: DevServer;
let custom: DevServer;

beforeAll(async () => {
  server = await testServer({ buckets: ['cors'] });
  custom = await testServer({
    buckets: ['cors'],
    corsOrigins: ['https://app.example.com', 'https://*.preview.example.com'],
  });
});
afterAll(async () => {
  await server?.close();
  await custom?.close();
});

function preflight(
  s: DevServer,
  origin: string,
  method = 'PUT',
  headers = 'authorization,x-oss-date,content-type',
) {
  return send(new URL(s.endpoint), 'OPTIONS', '/cors/some/key?partNumber=1&uploadId=x', {
    origin,
    'access-control-request-method': method,
    'access-control-request-headers': headers,
  });
}

describe('CORS', () => {
  it('answers a preflight from a loopback origin by default', async () => {
    const res = await preflight(server, 'http://localhost:5173');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(res.headers['access-control-allow-methods']).toContain('PUT');
    expect(res.headers['access-control-allow-headers']).toBe(
      'authorization,x-oss-date,content-type',
    );
    const exposed = (res.headers['access-control-expose-headers'] as string).toLowerCase();
    for (const h of ['etag', 'x-oss-request-id', 'x-oss-hash-crc64ecma'])
      expect(exposed).toContain(h);
    expect(res.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
  });

  it('refuses a preflight from another origin', async () => {
    const res = await preflight(server, 'https://evil.example');
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe('AccessForbidden');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a preflight for an unsupported method', async () => {
    expect((await preflight(server, 'http://localhost:3000', 'PATCH')).status).toBe(403);
  });

  it('adds CORS headers to actual responses, errors included', async () => {
    const ok = await clientFor(server)({
      method: 'PUT',
      bucket: 'cors',
      key: 'k',
      body: 'x',
      headers: { origin: 'http://127.0.0.1:8080' },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('http://127.0.0.1:8080');
    expect(ok.headers['access-control-expose-headers']).toContain('x-oss-hash-crc64ecma');
    const err = await clientFor(server)({
      method: 'GET',
      bucket: 'cors',
      key: 'missing',
      headers: { origin: 'http://localhost' },
    });
    expect(err.status).toBe(404);
    expect(err.headers['access-control-allow-origin']).toBe('http://localhost');
    const foreign = await clientFor(server)({
      method: 'GET',
      bucket: 'cors',
      key: 'k',
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('uses configured origins, with wildcards', async () => {
    expect((await preflight(custom, 'https://app.example.com')).status).toBe(200);
    expect((await preflight(custom, 'https://pr-12.preview.example.com')).status).toBe(200);
    expect((await preflight(custom, 'http://localhost:5173')).status).toBe(403);
    expect((await preflight(custom, 'https://app.example.com.evil.test')).status).toBe(403);
  });

  it('allows every origin with *', async () => {
    const any = await testServer({ corsOrigins: ['*'] });
    try {
      const res = await preflight(any, 'https://anything.example');
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('https://anything.example');
    } finally {
      await any.close();
    }
  });
});
