import { parseListBucketResult } from '@ossup/xml-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevServer } from '../src/index.ts';
import { initiate } from './helpers/multipart.ts';
import { errorCode, xmlValue, xmlValues } from './helpers/oss-client.ts';
import { clientFor, testServer } from './helpers/server.ts';

let server: DevServer;
let oss: ReturnType<typeof clientFor>;

beforeAll(async () => {
  server = await testServer({ buckets: ['listing'] });
  oss = clientFor(server);
});
afterAll(async () => {
  await server?.close();
});

describe('PutBucket / DeleteBucket / ListBuckets', () => {
  it('creates, lists and deletes a bucket', async () => {
    const put = await oss({ method: 'PUT', bucket: 'fresh-bucket' });
    expect(put.status).toBe(200);
    expect(put.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
    const list = await oss({ method: 'GET' });
    expect(list.status).toBe(200);
    expect(xmlValues(list.text, 'Name')).toContain('fresh-bucket');
    expect(xmlValues(list.text, 'Name')).toContain('listing');
    const del = await oss({ method: 'DELETE', bucket: 'fresh-bucket' });
    expect(del.status).toBe(204);
    expect(xmlValues((await oss({ method: 'GET' })).text, 'Name')).not.toContain('fresh-bucket');
  });

  it('accepts a CreateBucketConfiguration body', async () => {
    const put = await oss({
      method: 'PUT',
      bucket: 'with-config',
      body: '<CreateBucketConfiguration><StorageClass>Standard</StorageClass></CreateBucketConfiguration>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(put.status).toBe(200);
  });

  it('answers BucketAlreadyExists for an existing bucket', async () => {
    const res = await oss({ method: 'PUT', bucket: 'listing' });
    expect(res.status).toBe(409);
    expect(errorCode(res)).toBe('BucketAlreadyExists');
  });

  it.each(['ab', 'UPPER', '-leading', 'trailing-', 'under_score', 'a'.repeat(64)])(
    'answers InvalidBucketName for %s',
    async (name) => {
      const res = await oss({ method: 'PUT', bucket: name });
      expect(res.status).toBe(400);
      expect(errorCode(res)).toBe('InvalidBucketName');
    },
  );

  it('answers NoSuchBucket when deleting a missing bucket', async () => {
    const res = await oss({ method: 'DELETE', bucket: 'not-there' });
    expect(res.status).toBe(404);
    expect(errorCode(res)).toBe('NoSuchBucket');
  });

  it('answers BucketNotEmpty while objects or multipart uploads remain', async () => {
    await oss({ method: 'PUT', bucket: 'full-bucket' });
    await oss({ method: 'PUT', bucket: 'full-bucket', key: 'obj', body: 'x' });
    const res = await oss({ method: 'DELETE', bucket: 'full-bucket' });
    expect(res.status).toBe(409);
    expect(errorCode(res)).toBe('BucketNotEmpty');
    expect(xmlValue(res.text, 'BucketName')).toBe('full-bucket');
    await oss({ method: 'DELETE', bucket: 'full-bucket', key: 'obj' });
    const id = await initiate(oss, 'full-bucket', 'upload');
    expect(errorCode(await oss({ method: 'DELETE', bucket: 'full-bucket' }))).toBe(
      'BucketNotEmpty',
    );
    await oss({
      method: 'DELETE',
      bucket: 'full-bucket',
      key: 'upload',
      query: [['uploadId', id]],
    });
    expect((await oss({ method: 'DELETE', bucket: 'full-bucket' })).status).toBe(204);
  });

  it('answers GetBucketInfo and GetBucketLocation', async () => {
    const info = await oss({ method: 'GET', bucket: 'listing', query: [['bucketInfo', '']] });
    expect(xmlValue(info.text, 'Name')).toBe('listing');
    const loc = await oss({ method: 'GET', bucket: 'listing', query: [['location', '']] });
    expect(xmlValue(loc.text, 'LocationConstraint')).toBe('oss-cn-hangzhou');
  });

  it('answers NotImplemented for unsupported sub-resources', async () => {
    const res = await oss({ method: 'GET', bucket: 'listing', query: [['lifecycle', '']] });
    expect(res.status).toBe(501);
    expect(errorCode(res)).toBe('NotImplemented');
  });
});

describe('GetBucket (ListObjects)', () => {
  const keys = [
    'a',
    'b/1',
    'b/2',
    'b/c/3',
    'c',
    'd e',
    'd+e',
    'd%e',
    'ü',
    'ctl\u0001x',
    'tab\there',
  ];
  beforeAll(async () => {
    await oss({ method: 'PUT', bucket: 'objlist' });
    for (const k of keys) await oss({ method: 'PUT', bucket: 'objlist', key: k, body: k });
  });
  const list = async (query: Array<[string, string]> = [], bucket = 'objlist') => {
    const res = await oss({ method: 'GET', bucket, query });
    expect(res.status).toBe(200);
    return { res, r: parseListBucketResult(res.text) };
  };
  const sorted = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));

  it('lists in UTF-8 byte order with the default max-keys of 100', async () => {
    const { r } = await list([['encoding-type', 'url']]);
    expect(r.contents.map((c) => c.key)).toEqual(sorted);
    expect(r.maxKeys).toBe(100);
    expect(r.isTruncated).toBe(false);
    const first = r.contents[0]!;
    expect(first.etag).toMatch(/^[0-9A-F]{32}$/);
    expect(first.size).toBe(1);
    expect(first.type).toBe('Normal');
    expect(first.storageClass).toBe('Standard');
  });

  it('lists an empty bucket', async () => {
    await oss({ method: 'PUT', bucket: 'empty-bucket' });
    const { r } = await list([], 'empty-bucket');
    expect(r.contents).toHaveLength(0);
    expect(r.isTruncated).toBe(false);
  });

  it('paginates with marker: exactly max, and a marker at the end', async () => {
    const all: string[] = [];
    let marker = '';
    for (let i = 0; i < 20; i++) {
      const { r } = await list([
        ['max-keys', '3'],
        ['marker', marker],
        ['encoding-type', 'url'],
      ]);
      all.push(...r.contents.map((c) => c.key));
      if (r.listType !== 1) throw new Error('v1 expected');
      if (!r.isTruncated) break;
      expect(r.nextMarker).toBe(r.contents[r.contents.length - 1]!.key);
      marker = r.nextMarker!;
    }
    expect(all).toEqual(sorted);
    const exact = await list([
      ['max-keys', String(keys.length)],
      ['encoding-type', 'url'],
    ]);
    expect(exact.r.contents).toHaveLength(keys.length);
    expect(exact.r.isTruncated).toBe(false);
    const end = await list([['marker', sorted[sorted.length - 1]!]]);
    expect(end.r.contents).toHaveLength(0);
    expect(end.r.isTruncated).toBe(false);
  });

  it('rolls up common prefixes with a delimiter', async () => {
    const { r } = await list([
      ['delimiter', '/'],
      ['prefix', 'b/'],
    ]);
    expect(r.contents.map((c) => c.key)).toEqual(['b/1', 'b/2']);
    expect(r.commonPrefixes).toEqual(['b/c/']);
    const top = await list([
      ['delimiter', '/'],
      ['max-keys', '2'],
    ]);
    expect(top.r.contents.map((c) => c.key)).toEqual(['a']);
    expect(top.r.commonPrefixes).toEqual(['b/']);
    expect(top.r.isTruncated).toBe(true);
    if (top.r.listType !== 1) throw new Error('v1 expected');
    expect(top.r.nextMarker).toBe('b/');
    const next = await list([
      ['delimiter', '/'],
      ['max-keys', '2'],
      ['marker', 'b/'],
    ]);
    expect(next.r.contents.map((c) => c.key)).toEqual(['c', 'ctl\u0001x']);
  });

  it('URL-encodes spaces, +, %, unicode and control characters with encoding-type=url', async () => {
    const { res } = await list([
      ['encoding-type', 'url'],
      ['prefix', 'd'],
    ]);
    expect(xmlValue(res.text, 'EncodingType')).toBe('url');
    expect(xmlValues(res.text, 'Key')).toEqual(['d%20e', 'd%25e', 'd%2Be']);
    const u = await list([
      ['encoding-type', 'url'],
      ['prefix', 'ü'],
    ]);
    expect(xmlValues(u.res.text, 'Key')).toEqual(['%C3%BC']);
    const c = await list([
      ['encoding-type', 'url'],
      ['prefix', 'ctl'],
    ]);
    expect(xmlValues(c.res.text, 'Key')).toEqual(['ctl%01x']);
  });

  it('writes plain names without encoding-type, and falls back to url for control characters', async () => {
    const plain = await list([['prefix', 'd']]);
    expect(plain.res.text).not.toContain('EncodingType');
    expect(plain.r.contents.map((c) => c.key)).toEqual(['d e', 'd%e', 'd+e']);
    const ctl = await list([['prefix', 'ctl']]);
    expect(xmlValue(ctl.res.text, 'EncodingType')).toBe('url');
    expect(ctl.r.contents.map((c) => c.key)).toEqual(['ctl\u0001x']);
    const tab = await list([['prefix', 'tab']]);
    expect(tab.r.contents.map((c) => c.key)).toEqual(['tab\there']);
  });

  it('rejects max-keys over 1000 and a bad encoding-type', async () => {
    expect(
      errorCode(await oss({ method: 'GET', bucket: 'objlist', query: [['max-keys', '1001']] })),
    ).toBe('InvalidArgument');
    expect(
      errorCode(
        await oss({ method: 'GET', bucket: 'objlist', query: [['encoding-type', 'base64']] }),
      ),
    ).toBe('InvalidArgument');
  });

  it('supports ListObjectsV2 with continuation tokens and KeyCount', async () => {
    const all: string[] = [];
    let token: string | undefined;
    for (let i = 0; i < 20; i++) {
      const q: Array<[string, string]> = [
        ['list-type', '2'],
        ['max-keys', '4'],
        ['encoding-type', 'url'],
      ];
      if (token) q.push(['continuation-token', token]);
      const { r } = await list(q);
      if (r.listType !== 2) throw new Error('v2 expected');
      expect(r.keyCount).toBe(r.contents.length);
      all.push(...r.contents.map((c) => c.key));
      if (!r.isTruncated) break;
      token = r.nextContinuationToken;
    }
    expect(all).toEqual(sorted);
    const after = await list([
      ['list-type', '2'],
      ['start-after', 'c'],
      ['max-keys', '1'],
    ]);
    expect(after.r.contents.map((c) => c.key)).toEqual(['ctl\u0001x']);
  });
});
