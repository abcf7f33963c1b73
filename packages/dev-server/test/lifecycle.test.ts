import { access, mkdtemp, readdir, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signV4 } from '@ossup/signer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirInUseError } from '../src/index.ts';
import { errorCode, rawExchange } from './helpers/oss-client.ts';
import { bytes, clientFor, testServer } from './helpers/server.ts';

let parent: string;
beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'ossup-lifecycle-'));
});
afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

describe('server lifecycle', () => {
  it('deletes its temporary data directory on close, unless keepData', async () => {
    const a = await testServer();
    expect(await exists(a.dataDir)).toBe(true);
    await a.close();
    expect(await exists(a.dataDir)).toBe(false);
    const b = await testServer({ keepData: true });
    await b.close();
    expect(await exists(b.dataDir)).toBe(true);
    await rm(b.dataDir, { recursive: true, force: true });
  });

  it('keeps data across a restart on the same directory and refuses a second server on it', async () => {
    const dataDir = join(parent, 'restart');
    const a = await testServer({ dataDir, buckets: ['keep'] });
    await clientFor(a)({ method: 'PUT', bucket: 'keep', key: 'k', body: 'v' });
    await expect(testServer({ dataDir })).rejects.toThrow(DataDirInUseError);
    await a.close();
    expect(await exists(dataDir)).toBe(true);
    const b = await testServer({ dataDir });
    expect((await clientFor(b)({ method: 'GET', bucket: 'keep', key: 'k' })).text).toBe('v');
    await b.close();
  });

  it('does not make an upload cut by close() visible', async () => {
    const dataDir = join(parent, 'cut');
    const a = await testServer({ dataDir, buckets: ['cut'] });
    const url = new URL(a.endpoint);
    const signed = await signV4(
      { method: 'PUT', bucket: 'cut', key: 'half' },
      { credentials: a.credentials, date: new Date(), region: a.region },
    );
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        host: url.hostname,
        port: url.port,
        method: 'PUT',
        path: '/cut/half',
        headers: { ...signed.headers, 'content-length': '5000000' },
      });
      req.on('error', () => {});
      req.write(bytes(2_000_000), () => setTimeout(resolve, 200));
    });
    await a.close();
    const b = await testServer({ dataDir });
    expect(errorCode(await clientFor(b)({ method: 'GET', bucket: 'cut', key: 'half' }))).toBe(
      'NoSuchKey',
    );
    expect((await readdir(join(dataDir, 'buckets', 'cut', 'data'))).length).toBe(0);
    await b.close();
  });

  it('close() does not sit out a delayed request, and a client that gave up does not hang it', async () => {
    const s = await testServer({ buckets: ['slow'] });
    const oss = clientFor(s);
    // A PutObject whose client disconnects while a delay fault holds it.
    s.faults.add({ match: { operation: 'PutObject' }, action: { kind: 'delay', ms: 600_000 } });
    const url = new URL(s.endpoint);
    const signed = await signV4(
      { method: 'PUT', bucket: 'slow', key: 'k' },
      { credentials: s.credentials, date: new Date(), region: s.region },
    );
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        host: url.hostname,
        port: url.port,
        method: 'PUT',
        path: '/slow/k',
        headers: { ...signed.headers, 'content-length': '10' },
      });
      req.on('error', () => {});
      req.write('12345', () => {
        const poll = (): void => {
          if (s.requests.count('PutObject') === 0) {
            setTimeout(poll, 10);
            return;
          }
          req.destroy();
          resolve();
        };
        poll();
      });
    });
    // A GetObject still held by a 10-minute delay when close() is called.
    s.faults.add({ match: { operation: 'GetObject' }, action: { kind: 'delay', ms: 600_000 } });
    const held = oss({ method: 'GET', bucket: 'slow', key: 'k' }).then(
      () => 'answered',
      () => 'cut',
    );
    while (s.requests.count('GetObject') === 0) await new Promise((r) => setTimeout(r, 10));
    await s.close();
    expect(await held).toBe('cut');
  });

  it('creates buckets programmatically and names virtual-hosted URLs', async () => {
    const s = await testServer();
    try {
      await s.createBucket('made-later');
      await s.createBucket('made-later');
      expect((await clientFor(s)({ method: 'GET', bucket: 'made-later' })).status).toBe(200);
      expect(s.bucketUrl('made-later')).toBe(`http://made-later.localhost:${s.port}`);
      await expect(s.createBucket('Bad_Name')).rejects.toThrow(TypeError);
    } finally {
      await s.close();
    }
  });

  it('rejects bad options', async () => {
    await expect(testServer({ buckets: ['x'] })).rejects.toThrow(TypeError);
    await expect(testServer({ credentials: [] })).rejects.toThrow(TypeError);
    await expect(
      testServer({ credentials: { accessKeyId: 'a', accessKeySecret: '' } }),
    ).rejects.toThrow(TypeError);
  });

  it('answers unparsable HTTP with 400 and a request id', async () => {
    const s = await testServer();
    try {
      const raw = await rawExchange(new URL(s.endpoint), 'THIS IS NOT HTTP\r\n\r\n');
      expect(raw).toMatch(/^HTTP\/1\.1 400 /);
      expect(raw).toMatch(/x-oss-request-id: [0-9A-F]{24}/);
    } finally {
      await s.close();
    }
  });
});
