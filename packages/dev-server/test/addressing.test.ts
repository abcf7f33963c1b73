import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signV4 } from '@ossup/signer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevServer } from '../src/index.ts';
import { complete, completeBody, initiate, uploadPart } from './helpers/multipart.ts';
import { errorCode, send, xmlValue } from './helpers/oss-client.ts';
import { clientFor, testServer } from './helpers/server.ts';

let server: DevServer;
let oss: ReturnType<typeof clientFor>;
let parent: string;
const B = 'addr';

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'ossup-addr-'));
  server = await testServer({
    buckets: [B],
    dataDir: join(parent, 'data'),
    domains: ['oss.example.test'],
  });
  oss = clientFor(server);
  await oss({ method: 'PUT', bucket: B, key: 'dir/file.txt', body: 'content' });
});
afterAll(async () => {
  await server?.close();
  await rm(parent, { recursive: true, force: true });
});

describe('address styles', () => {
  it('serves path style on the IP endpoint', async () => {
    expect((await oss({ method: 'GET', bucket: B, key: 'dir/file.txt' })).text).toBe('content');
  });

  it.each([
    ['<bucket>.localhost:<port>', (port: string) => `${B}.localhost:${port}`],
    ['<bucket>.<configured domain>', () => `${B}.oss.example.test`],
    [
      '<bucket>.oss-<region>.aliyuncs.com (ali-oss to an IP)',
      () => `${B}.oss-cn-hangzhou.aliyuncs.com`,
    ],
    ['<bucket>.<region>.oss.aliyuncs.com', () => `${B}.cn-hangzhou.oss.aliyuncs.com`],
  ])('serves virtual-hosted style with Host %s', async (_name, hostOf) => {
    const port = new URL(server.endpoint).port;
    const res = await oss({
      method: 'GET',
      bucket: B,
      key: 'dir/file.txt',
      style: 'virtual',
      hostSuffix: hostOf(port).slice(B.length + 1),
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('content');
  });

  it('treats localhost and the configured domain themselves as path style', async () => {
    for (const host of [`localhost:${new URL(server.endpoint).port}`, 'oss.example.test']) {
      const signed = await signV4(
        { method: 'GET', bucket: B, key: 'dir/file.txt' },
        { credentials: server.credentials, date: new Date(), region: server.region },
      );
      const res = await send(new URL(server.endpoint), 'GET', `/${B}/dir/file.txt`, {
        ...signed.headers,
        host,
      });
      expect(res.text).toBe('content');
    }
  });

  it('lists a bucket in virtual-hosted style and reports a virtual-hosted Location', async () => {
    const list = await oss({ method: 'GET', bucket: B, style: 'virtual' });
    expect(xmlValue(list.text, 'Key')).toBe('dir/file.txt');
    const id = await initiate((r) => oss({ ...r, style: 'virtual' }), B, 'vh.bin');
    const e = (await uploadPart((r) => oss({ ...r, style: 'virtual' }), B, 'vh.bin', id, 1, 'x'))
      .headers.etag as string;
    const done = await complete(
      (r) => oss({ ...r, style: 'virtual' }),
      B,
      'vh.bin',
      id,
      completeBody([[1, e]]),
    );
    expect(xmlValue(done.text, 'Location')).toBe(
      `http://${B}.localhost:${new URL(server.endpoint).port}/vh.bin`,
    );
  });

  it('decodes %2F inside a key exactly once and keeps + as +', async () => {
    await oss({ method: 'PUT', bucket: B, key: 'a+b/c d%2F', body: 'odd' });
    const signed = await signV4(
      { method: 'GET', bucket: B, key: 'a+b/c d%2F' },
      { credentials: server.credentials, date: new Date(), region: server.region },
    );
    const res = await send(
      new URL(server.endpoint),
      'GET',
      `/${B}/a%2Bb%2Fc%20d%252F`,
      signed.headers,
    );
    expect(res.text).toBe('odd');
  });
});

describe('object names that try to escape the data directory', () => {
  const evil = [
    '../../escape.txt',
    '..',
    '.',
    'a/../../../b',
    '..\\..\\win',
    'nul\u0000byte',
    '%00',
    'x/./y',
    '....//....//etc',
  ];

  it.each(evil)('stores %j safely inside the data directory', async (key) => {
    const put = await oss({
      method: 'PUT',
      bucket: B,
      key,
      body: `v:${key}`,
      rawPath: `/${B}/${encodeURIComponent(key)}`,
    });
    expect(put.status).toBe(200);
    const got = await oss({
      method: 'GET',
      bucket: B,
      key,
      rawPath: `/${B}/${encodeURIComponent(key)}`,
    });
    expect(got.text).toBe(`v:${key}`);
    expect(await readdir(parent)).toEqual(['data']);
  });

  it('lists those keys back verbatim (url-encoded)', async () => {
    const res = await oss({ method: 'GET', bucket: B, query: [['encoding-type', 'url']] });
    const keys = [...res.text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) =>
      decodeURIComponent(m[1]!),
    );
    for (const k of evil) expect(keys).toContain(k);
  });

  it('never uses a key as a file name', async () => {
    const names: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        names.push(e.name);
        if (e.isDirectory()) await walk(join(dir, e.name));
      }
    };
    await walk(join(parent, 'data'));
    for (const n of names) {
      expect(n).toMatch(
        /^(buckets|tmp|objects|data|uploads|bucket\.json|ossup-dev-server\.json|\.lock|[0-9a-f]{2}|[0-9a-f]{64}\.json|[0-9a-f]{32}|[0-9A-F]{32}|upload\.json|part-\d+\.json|[a-z0-9][a-z0-9-]+[a-z0-9])$/,
      );
    }
  });

  it.each([
    ['a key of 1024 bytes', 'k'.repeat(1024)],
    ['a key of 342 three-byte characters (1026 bytes)', '€'.repeat(342)],
    ['a key starting with /', '/abs/path'],
    ['a key starting with \\', '\\abs'],
  ])('rejects %s with InvalidObjectName', async (_name, key) => {
    const res = await oss({
      method: 'PUT',
      bucket: B,
      key,
      body: 'x',
      rawPath: `/${B}/${encodeURIComponent(key)}`,
    });
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('InvalidObjectName');
  });

  it('accepts a key of exactly 1023 bytes', async () => {
    const key = 'k'.repeat(1023);
    expect((await oss({ method: 'PUT', bucket: B, key, body: 'x' })).status).toBe(200);
    expect((await oss({ method: 'GET', bucket: B, key })).text).toBe('x');
  });

  it('rejects a path-style bucket of ".."', async () => {
    const res = await send(new URL(server.endpoint), 'GET', '/../etc/passwd', {});
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('InvalidBucketName');
  });
});
