import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DevServer, InvalidFaultError } from '../src/index.ts';
import { initiate, uploadPart } from './helpers/multipart.ts';
import { errorCode, send } from './helpers/oss-client.ts';
import { bytes, clientFor, testServer } from './helpers/server.ts';

let server: DevServer;
let oss: ReturnType<typeof clientFor>;
const B = 'faults';

beforeAll(async () => {
  server = await testServer({ buckets: [B], admin: true });
  oss = clientFor(server);
});
afterAll(async () => {
  await server?.close();
});
beforeEach(() => {
  server.faults.clear();
  server.requests.clear();
});

async function listPartNumbers(key: string, uploadId: string): Promise<string[]> {
  const res = await oss({ method: 'GET', bucket: B, key, query: [['uploadId', uploadId]] });
  return [...res.text.matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => m[1]!);
}

describe('faults', () => {
  it('fails N matching requests with a status, then lets them through', async () => {
    const id = await initiate(oss, B, 'status.bin');
    server.faults.add({
      match: { operation: 'UploadPart', partNumber: 2 },
      times: 2,
      action: { kind: 'status', status: 503, code: 'ServiceUnavailable' },
    });
    expect((await uploadPart(oss, B, 'status.bin', id, 1, 'a')).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const res = await uploadPart(oss, B, 'status.bin', id, 2, bytes(50_000));
      expect(res.status).toBe(503);
      expect(errorCode(res)).toBe('ServiceUnavailable');
      expect(res.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
    }
    expect((await uploadPart(oss, B, 'status.bin', id, 2, 'b')).status).toBe(200);
    expect(server.faults.list()).toHaveLength(0);
    expect(server.requests.count('UploadPart')).toBe(4);
    expect(server.requests.count({ operation: 'UploadPart', status: 503 })).toBe(2);
    expect(server.requests.entries('UploadPart').map((e) => e.fault)).toEqual([
      undefined,
      'status',
      'status',
      undefined,
    ]);
    expect(await listPartNumbers('status.bin', id)).toEqual(['1', '2']);
  });

  it('resets the connection after K body bytes and stores nothing', async () => {
    const id = await initiate(oss, B, 'reset.bin');
    server.faults.add({
      match: { operation: 'UploadPart' },
      action: { kind: 'reset', afterBodyBytes: 1000 },
    });
    await expect(uploadPart(oss, B, 'reset.bin', id, 1, bytes(200_000))).rejects.toThrow();
    expect(await listPartNumbers('reset.bin', id)).toEqual([]);
    expect(server.requests.entries('UploadPart')[0]?.status).toBe(0);
    expect((await uploadPart(oss, B, 'reset.bin', id, 1, 'ok')).status).toBe(200);
  });

  it('resets a non-upload request at once', async () => {
    server.faults.add({ match: { operation: 'ListParts' }, action: { kind: 'reset' } });
    await expect(
      oss({ method: 'GET', bucket: B, key: 'x', query: [['uploadId', 'y']] }),
    ).rejects.toThrow();
  });

  it('cuts a download after K bytes', async () => {
    await oss({ method: 'PUT', bucket: B, key: 'download.bin', body: bytes(100_000) });
    server.faults.add({
      match: { operation: 'GetObject' },
      action: { kind: 'reset', afterBodyBytes: 10_000 },
    });
    const url = new URL(server.endpoint);
    const { signV4 } = await import('@ossup/signer');
    const signed = await signV4(
      { method: 'GET', bucket: B, key: 'download.bin' },
      { credentials: server.credentials, date: new Date(), region: server.region },
    );
    const received = await new Promise<number>((resolve) => {
      let n = 0;
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: `/${B}/download.bin`, headers: signed.headers },
        (res) => {
          expect(res.statusCode).toBe(200);
          res.on('data', (c: Buffer) => {
            n += c.byteLength;
          });
          res.on('error', () => resolve(n));
          res.on('close', () => resolve(n));
        },
      );
      req.on('error', () => resolve(n));
      req.end();
    });
    expect(received).toBe(10_000);
  });

  it('stores the part but drops the answer with drop-after-store', async () => {
    const id = await initiate(oss, B, 'drop.bin');
    server.faults.add({
      match: { operation: 'UploadPart', key: 'drop.bin' },
      action: { kind: 'drop-after-store' },
    });
    await expect(uploadPart(oss, B, 'drop.bin', id, 3, 'stored')).rejects.toThrow();
    expect(await listPartNumbers('drop.bin', id)).toEqual(['3']);
  });

  it('delays a request while others go through', async () => {
    server.faults.add({
      match: { method: 'get', operation: 'ListObjects' },
      action: { kind: 'delay', ms: 400 },
    });
    const order: string[] = [];
    const slow = oss({ method: 'GET', bucket: B }).then((r) => order.push(`slow:${r.status}`));
    const fast = oss({ method: 'PUT', bucket: B, key: 'fast', body: 'x' }).then((r) =>
      order.push(`fast:${r.status}`),
    );
    await Promise.all([slow, fast]);
    expect(order).toEqual(['fast:200', 'slow:200']);
    expect(server.requests.entries({ method: 'GET' })[0]?.fault).toBe('delay');
  });

  it('fires "always" until removed, first matching rule wins', async () => {
    const rule = server.faults.add({
      match: { operation: ['PutObject'] },
      times: 'always',
      action: { kind: 'status', status: 500, code: 'InternalError' },
    });
    server.faults.add({
      match: { operation: 'PutObject' },
      action: { kind: 'status', status: 503 },
    });
    for (let i = 0; i < 3; i++)
      expect(errorCode(await oss({ method: 'PUT', bucket: B, key: 'k', body: 'x' }))).toBe(
        'InternalError',
      );
    expect(server.faults.list()[0]?.fired).toBe(3);
    expect(server.faults.remove(rule.id)).toBe(true);
    expect((await oss({ method: 'PUT', bucket: B, key: 'k', body: 'x' })).status).toBe(503);
    expect((await oss({ method: 'PUT', bucket: B, key: 'k', body: 'x' })).status).toBe(200);
  });

  it('rejects invalid fault descriptions', () => {
    expect(() => server.faults.add({ action: { kind: 'explode' } } as never)).toThrow(
      InvalidFaultError,
    );
    expect(() =>
      server.faults.add({
        match: { operation: 'Nope' as never },
        action: { kind: 'delay', ms: 1 },
      }),
    ).toThrow(InvalidFaultError);
    expect(() => server.faults.add({ times: 0, action: { kind: 'delay', ms: 1 } })).toThrow(
      InvalidFaultError,
    );
    expect(() => server.faults.add({ action: { kind: 'status', status: 200 } })).toThrow(
      InvalidFaultError,
    );
  });

  it('counts requests per operation', async () => {
    await oss({ method: 'GET', bucket: B });
    await oss({ method: 'GET', bucket: B });
    await oss({ method: 'PUT', bucket: B, key: 'c', body: 'x' });
    expect(server.requests.counts()).toEqual({ ListObjects: 2, PutObject: 1 });
  });
});

describe('admin endpoint', () => {
  const admin = (method: string, path: string, body?: unknown, token = server.admin!.token) =>
    send(
      new URL(server.endpoint),
      method,
      `/_ossup/${path}`,
      { 'x-ossup-admin-token': token, 'content-type': 'application/json' },
      body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
    );

  it('needs the token', async () => {
    expect((await admin('GET', 'health', undefined, 'wrong')).status).toBe(401);
    const res = await send(new URL(server.endpoint), 'GET', '/_ossup/health', {});
    expect(res.status).toBe(401);
    expect((await admin('GET', 'health')).status).toBe(200);
    const bearer = await send(new URL(server.endpoint), 'GET', '/_ossup/health', {
      authorization: `Bearer ${server.admin!.token}`,
    });
    expect(bearer.status).toBe(200);
  });

  it('adds, lists, removes and clears faults, and reports request counts', async () => {
    const added = await admin('POST', 'faults', {
      match: { operation: 'PutObject' },
      times: 1,
      action: { kind: 'status', status: 503 },
    });
    expect(added.status).toBe(201);
    const rule = JSON.parse(added.text) as { id: string };
    expect(JSON.parse((await admin('GET', 'faults')).text).faults).toHaveLength(1);
    expect((await oss({ method: 'PUT', bucket: B, key: 'a', body: 'x' })).status).toBe(503);
    const reqs = JSON.parse((await admin('GET', 'requests?operation=PutObject')).text) as {
      count: number;
      entries: Array<{ status: number }>;
    };
    expect(reqs.count).toBe(1);
    expect(reqs.entries[0]?.status).toBe(503);
    const again = JSON.parse(
      (await admin('POST', 'faults', { action: { kind: 'delay', ms: 1 } })).text,
    ) as { id: string };
    expect((await admin('DELETE', `faults/${again.id}`)).status).toBe(200);
    expect((await admin('DELETE', `faults/${rule.id}`)).status).toBe(404);
    await admin('POST', 'faults', { action: { kind: 'delay', ms: 1 } });
    expect((await admin('DELETE', 'faults')).status).toBe(200);
    expect(server.faults.list()).toHaveLength(0);
    expect((await admin('DELETE', 'requests')).status).toBe(200);
    expect(server.requests.count()).toBe(0);
  });

  it('rejects a bad fault with 400', async () => {
    const res = await admin('POST', 'faults', { action: { kind: 'nope' } });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error).toContain('action.kind');
    expect((await admin('POST', 'faults', undefined)).status).toBe(400);
  });

  it('issues STS credentials', async () => {
    const res = await admin('POST', 'sts', { durationSeconds: 600 });
    expect(res.status).toBe(200);
    const creds = JSON.parse(res.text);
    const ok = await oss({ method: 'GET', bucket: B, credentials: creds });
    expect(ok.status).toBe(200);
  });

  it('is off unless enabled', async () => {
    const plain = await testServer();
    try {
      expect(plain.admin).toBeUndefined();
      const res = await send(new URL(plain.endpoint), 'GET', '/_ossup/health', {
        'x-ossup-admin-token': 'x',
      });
      expect(res.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
