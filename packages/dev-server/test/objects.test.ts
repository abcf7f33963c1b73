import { request as httpRequest } from 'node:http';
import { crc64 } from '@ossup/checksum';
import { signV4 } from '@ossup/signer';
import { parseOssErrHeader } from '@ossup/xml-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevServer } from '../src/index.ts';
import { errorCode, type OssResponse, rawExchange, send, xmlValue } from './helpers/oss-client.ts';
import { bytes, clientFor, md5B64, md5Hex, testServer } from './helpers/server.ts';

let server: DevServer;
let oss: ReturnType<typeof clientFor>;
const B = 'objects';

beforeAll(async () => {
  server = await testServer({ buckets: [B] });
  oss = clientFor(server);
});
afterAll(async () => {
  await server?.close();
});

const put = (key: string, body: Buffer | string, headers: Record<string, string> = {}) =>
  oss({ method: 'PUT', bucket: B, key, body, headers });
const get = (
  key: string,
  headers: Record<string, string> = {},
  query: Array<[string, string]> = [],
) => oss({ method: 'GET', bucket: B, key, headers, query });

function expectRequestId(res: OssResponse): void {
  expect(res.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
}

describe('PutObject', () => {
  it('stores the body and answers ETag, Content-MD5 and CRC-64', async () => {
    const body = bytes(5000, 7);
    const res = await put('plain.bin', body);
    expect(res.status).toBe(200);
    expectRequestId(res);
    expect(res.headers.etag).toBe(`"${md5Hex(body)}"`);
    expect(res.headers['content-md5']).toBe(md5B64(body));
    expect(res.headers['x-oss-hash-crc64ecma']).toBe(crc64(body).toString());
    expect(res.body.byteLength).toBe(0);
  });

  it('gives the empty object the well-known ETag and CRC 0', async () => {
    const res = await put('empty', Buffer.alloc(0));
    expect(res.headers.etag).toBe('"D41D8CD98F00B204E9800998ECF8427E"');
    expect(res.headers['x-oss-hash-crc64ecma']).toBe('0');
    const g = await get('empty');
    expect(g.status).toBe(200);
    expect(g.body.byteLength).toBe(0);
    expect(g.headers['content-length']).toBe('0');
  });

  it('matches the CRC-64 vector for "123456789"', async () => {
    const res = await put('vector', '123456789');
    expect(res.headers['x-oss-hash-crc64ecma']).toBe('11051210869376104954');
  });

  it('accepts a correct Content-MD5', async () => {
    const res = await put('md5-ok', 'abc', { 'content-md5': md5B64('abc') });
    expect(res.status).toBe(200);
  });

  it('refuses a mismatching Content-MD5 with InvalidDigest and stores nothing', async () => {
    const res = await put('md5-bad', 'abc', { 'content-md5': md5B64('abd') });
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('InvalidDigest');
    expect(xmlValue(res.text, 'EC')).toBe('0017-00000503');
    expectRequestId(res);
    const g = await get('md5-bad');
    expect(errorCode(g)).toBe('NoSuchKey');
  });

  it('refuses a Content-MD5 that is not a Base64 MD5', async () => {
    const res = await put('md5-junk', 'abc', { 'content-md5': 'not-an-md5' });
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('InvalidDigest');
  });

  it('keeps Content-Type, x-oss-meta-* and the other stored headers', async () => {
    await put('headers.txt', 'hi', {
      'content-type': 'text/x-test',
      'cache-control': 'no-cache',
      'content-disposition': 'attachment; filename="a.txt"',
      'content-encoding': 'identity',
      expires: 'Wed, 21 Oct 2037 07:28:00 GMT',
      'x-oss-meta-author': 'alice',
      'x-oss-meta-Magic': 'abracadabra',
      'x-oss-storage-class': 'IA',
      'x-oss-tagging': 'a=1&b=2',
    });
    const h = await oss({ method: 'HEAD', bucket: B, key: 'headers.txt' });
    expect(h.status).toBe(200);
    expect(h.headers['content-type']).toBe('text/x-test');
    expect(h.headers['cache-control']).toBe('no-cache');
    expect(h.headers['content-disposition']).toBe('attachment; filename="a.txt"');
    expect(h.headers['content-encoding']).toBe('identity');
    expect(h.headers.expires).toBe('Wed, 21 Oct 2037 07:28:00 GMT');
    expect(h.headers['x-oss-meta-author']).toBe('alice');
    expect(h.headers['x-oss-meta-magic']).toBe('abracadabra');
    expect(h.headers['x-oss-storage-class']).toBe('IA');
    expect(h.headers['x-oss-tagging-count']).toBe('2');
    expect(h.headers['x-oss-object-type']).toBe('Normal');
    expect(h.headers['content-length']).toBe('2');
    expect(h.headers['accept-ranges']).toBe('bytes');
    expect(h.headers['last-modified']).toMatch(/GMT$/);
  });

  it('defaults Content-Type to application/octet-stream', async () => {
    await put('no-type', 'x');
    const h = await oss({ method: 'HEAD', bucket: B, key: 'no-type' });
    expect(h.headers['content-type']).toBe('application/octet-stream');
  });

  it('rejects an unknown storage class with InvalidArgument', async () => {
    const res = await put('bad-class', 'x', { 'x-oss-storage-class': 'Glacier' });
    expect(errorCode(res)).toBe('InvalidArgument');
  });

  it('honours x-oss-forbid-overwrite with 409 FileAlreadyExists', async () => {
    expect((await put('once', 'v1', { 'x-oss-forbid-overwrite': 'true' })).status).toBe(200);
    const again = await put('once', 'v2', { 'x-oss-forbid-overwrite': 'true' });
    expect(again.status).toBe(409);
    expect(errorCode(again)).toBe('FileAlreadyExists');
    expect((await get('once')).text).toBe('v1');
    expect((await put('once', 'v3', { 'x-oss-forbid-overwrite': 'false' })).status).toBe(200);
    expect((await get('once')).text).toBe('v3');
  });

  it('overwrites an object and serves the new bytes', async () => {
    await put('over', 'first version');
    await put('over', 'second');
    const g = await get('over');
    expect(g.text).toBe('second');
    expect(g.headers.etag).toBe(`"${md5Hex('second')}"`);
  });

  it('accepts a chunked body', async () => {
    const body = bytes(70_000, 3);
    const res = await oss({ method: 'PUT', bucket: B, key: 'chunked', body, chunked: true });
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(`"${md5Hex(body)}"`);
    expect((await get('chunked')).body.equals(body)).toBe(true);
  });

  it('answers 411 MissingContentLength without Content-Length or chunked encoding', async () => {
    const signed = await signV4(
      { method: 'PUT', bucket: B, key: 'nolen' },
      { credentials: server.credentials, date: new Date(), region: server.region },
    );
    const head = Object.entries(signed.headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    const url = new URL(server.endpoint);
    const raw = await rawExchange(
      url,
      `PUT /${B}/nolen HTTP/1.1\r\nHost: ${url.host}\r\n${head}\r\n`,
    );
    expect(raw).toMatch(/^HTTP\/1\.1 411 /);
    expect(raw).toContain('<Code>MissingContentLength</Code>');
  });

  it('refuses a body over the size limit with EntityTooLarge', async () => {
    const small = await testServer({ buckets: ['tiny'], limits: { maxObjectSize: 10 } });
    try {
      const res = await clientFor(small)({
        method: 'PUT',
        bucket: 'tiny',
        key: 'k',
        body: 'x'.repeat(11),
      });
      expect(res.status).toBe(400);
      expect(errorCode(res)).toBe('EntityTooLarge');
      const chunked = await clientFor(small)({
        method: 'PUT',
        bucket: 'tiny',
        key: 'k',
        body: 'x'.repeat(11),
        chunked: true,
      });
      expect(errorCode(chunked)).toBe('EntityTooLarge');
    } finally {
      await small.close();
    }
  });

  it('answers NoSuchBucket for a missing bucket', async () => {
    const res = await oss({ method: 'PUT', bucket: 'nope-bucket', key: 'k', body: 'x' });
    expect(res.status).toBe(404);
    expect(errorCode(res)).toBe('NoSuchBucket');
    expect(xmlValue(res.text, 'BucketName')).toBe('nope-bucket');
    expect(xmlValue(res.text, 'RequestId')).toBe(res.headers['x-oss-request-id']);
  });

  it('handles Expect: 100-continue', async () => {
    const body = bytes(1000, 9);
    const signed = await signV4(
      { method: 'PUT', bucket: B, key: 'continued', headers: { expect: '100-continue' } },
      { credentials: server.credentials, date: new Date(), region: server.region },
    );
    const url = new URL(server.endpoint);
    const status = await new Promise<{ status: number; sawContinue: boolean }>(
      (resolve, reject) => {
        let sawContinue = false;
        const req = httpRequest({
          host: url.hostname,
          port: url.port,
          method: 'PUT',
          path: `/${B}/continued`,
          headers: { ...signed.headers, 'content-length': String(body.byteLength) },
        });
        req.on('continue', () => {
          sawContinue = true;
          req.end(body);
        });
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, sawContinue }));
        });
        req.on('error', reject);
        req.flushHeaders();
      },
    );
    expect(status).toEqual({ status: 200, sawContinue: true });
    expect((await get('continued')).body.equals(body)).toBe(true);
  });

  it('refuses a bad signature before 100-continue, so no body is sent', async () => {
    const url = new URL(server.endpoint);
    const result = await new Promise<{ status: number; sawContinue: boolean }>(
      (resolve, reject) => {
        let sawContinue = false;
        const req = httpRequest({
          host: url.hostname,
          port: url.port,
          method: 'PUT',
          path: `/${B}/refused`,
          headers: { expect: '100-continue', 'content-length': '5' },
        });
        req.on('continue', () => {
          sawContinue = true;
          req.end('hello');
        });
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, sawContinue }));
        });
        req.on('error', reject);
        req.flushHeaders();
      },
    );
    expect(result).toEqual({ status: 403, sawContinue: false });
  });
});

describe('GetObject and HeadObject', () => {
  const body = bytes(1000, 5);
  beforeAll(async () => {
    await put('range.bin', body);
  });

  it('serves the whole object with the object headers', async () => {
    const g = await get('range.bin');
    expect(g.status).toBe(200);
    expect(g.body.equals(body)).toBe(true);
    expect(g.headers['x-oss-hash-crc64ecma']).toBe(crc64(body).toString());
    expect(g.headers['content-md5']).toBe(md5B64(body));
    expectRequestId(g);
  });

  it.each([
    ['bytes=0-499', 0, 499],
    ['bytes=500-', 500, 999],
    ['bytes=-100', 900, 999],
    ['bytes=10-10', 10, 10],
    ['bytes=0-99,200-299', 0, 99],
    ['bytes=0-999', 0, 999],
  ])('serves %s as 206 with Content-Range', async (range, first, last) => {
    const g = await get('range.bin', { range });
    expect(g.status).toBe(206);
    expect(g.headers['content-range']).toBe(`bytes ${first}-${last}/1000`);
    expect(g.headers['content-length']).toBe(String(last - first + 1));
    expect(g.body.equals(body.subarray(first, last + 1))).toBe(true);
    expect(g.headers['x-oss-hash-crc64ecma']).toBe(crc64(body).toString());
  });

  it.each([
    'byte=0-1',
    'bytes=500-2000',
    'bytes=1000-2000',
    'bytes=-2000',
    'bytes=5-1',
    'bytes=abc',
    'bytes=-0',
  ])(
    'ignores the invalid or unsatisfiable range %s by default (200, whole object)',
    async (range) => {
      const g = await get('range.bin', { range });
      expect(g.status).toBe(200);
      expect(g.headers['content-range']).toBeUndefined();
      expect(g.body.equals(body)).toBe(true);
    },
  );

  it('clips the end with x-oss-range-behavior: standard', async () => {
    const g = await get('range.bin', {
      range: 'bytes=500-2000',
      'x-oss-range-behavior': 'standard',
    });
    expect(g.status).toBe(206);
    expect(g.headers['content-range']).toBe('bytes 500-999/1000');
    expect(g.body.equals(body.subarray(500))).toBe(true);
  });

  it('answers 416 InvalidRange for a start past the end with x-oss-range-behavior: standard', async () => {
    const g = await get('range.bin', {
      range: 'bytes=1000-2000',
      'x-oss-range-behavior': 'standard',
    });
    expect(g.status).toBe(416);
    expect(errorCode(g)).toBe('InvalidRange');
    expect(g.headers['content-range']).toBe('bytes */1000');
  });

  it('answers NoSuchKey for a missing object, with the Error XML', async () => {
    const g = await get('missing');
    expect(g.status).toBe(404);
    expect(g.headers['content-type']).toBe('application/xml');
    expect(errorCode(g)).toBe('NoSuchKey');
    expect(xmlValue(g.text, 'Message')).toBe('The specified key does not exist.');
    expect(xmlValue(g.text, 'HostId')).toBe(new URL(server.endpoint).host);
  });

  it('answers HEAD errors with an empty body and x-oss-err', async () => {
    const h = await oss({ method: 'HEAD', bucket: B, key: 'missing' });
    expect(h.status).toBe(404);
    expect(h.body.byteLength).toBe(0);
    const doc = parseOssErrHeader(h.headers['x-oss-err'] as string);
    expect(doc?.code).toBe('NoSuchKey');
    expect(doc?.requestId).toBe(h.headers['x-oss-request-id']);
    expectRequestId(h);
  });

  it('HEAD reports the length of a range without a body', async () => {
    const h = await oss({
      method: 'HEAD',
      bucket: B,
      key: 'range.bin',
      headers: { range: 'bytes=0-9' },
    });
    expect(h.status).toBe(206);
    expect(h.headers['content-length']).toBe('10');
    expect(h.body.byteLength).toBe(0);
  });

  it('applies conditional headers', async () => {
    const etag = `"${md5Hex(body)}"`;
    expect((await get('range.bin', { 'if-match': etag })).status).toBe(200);
    const pf = await get('range.bin', { 'if-match': '"0000"' });
    expect(pf.status).toBe(412);
    expect(errorCode(pf)).toBe('PreconditionFailed');
    const nm = await get('range.bin', { 'if-none-match': etag });
    expect(nm.status).toBe(304);
    expect(nm.body.byteLength).toBe(0);
    const future = new Date(Date.now() + 3600_000).toUTCString();
    expect((await get('range.bin', { 'if-modified-since': future })).status).toBe(304);
    const past = new Date(Date.now() - 3600_000 * 24).toUTCString();
    expect((await get('range.bin', { 'if-unmodified-since': past })).status).toBe(412);
  });

  it('overrides response headers with response-* parameters', async () => {
    const g = await get('range.bin', {}, [
      ['response-content-type', 'image/png'],
      ['response-content-disposition', 'attachment; filename=x.png'],
      ['response-cache-control', 'max-age=5'],
    ]);
    expect(g.status).toBe(200);
    expect(g.headers['content-type']).toBe('image/png');
    expect(g.headers['content-disposition']).toBe('attachment; filename=x.png');
    expect(g.headers['cache-control']).toBe('max-age=5');
  });
});

describe('DeleteObject', () => {
  it('deletes, and answers 204 for a missing object too', async () => {
    await put('gone', 'x');
    const d = await oss({ method: 'DELETE', bucket: B, key: 'gone' });
    expect(d.status).toBe(204);
    expectRequestId(d);
    expect(errorCode(await get('gone'))).toBe('NoSuchKey');
    expect((await oss({ method: 'DELETE', bucket: B, key: 'gone' })).status).toBe(204);
  });
});

describe('CopyObject', () => {
  it('copies an object and its metadata', async () => {
    await put('src.txt', 'copy me', { 'content-type': 'text/plain', 'x-oss-meta-a': '1' });
    const c = await oss({
      method: 'PUT',
      bucket: B,
      key: 'dst.txt',
      headers: { 'x-oss-copy-source': `/${B}/src.txt` },
    });
    expect(c.status).toBe(200);
    expect(xmlValue(c.text, 'ETag')).toBe(`"${md5Hex('copy me')}"`);
    const g = await get('dst.txt');
    expect(g.text).toBe('copy me');
    expect(g.headers['x-oss-meta-a']).toBe('1');
    expect(g.headers['content-type']).toBe('text/plain');
  });
});

describe('raw protocol details', () => {
  it('sends Server: AliyunOSS and a Date header', async () => {
    const g = await get('range.bin');
    expect(g.headers.server).toBe('AliyunOSS');
    expect(g.headers.date).toMatch(/GMT$/);
  });

  it('answers InvalidURI for a malformed percent-encoding', async () => {
    const res = await send(new URL(server.endpoint), 'GET', `/${B}/bad%zzkey`, {});
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('InvalidURI');
  });
});
