import { createHash } from 'node:crypto';
import { combineCrc64, crc64 } from '@ossup/checksum';
import { parseListMultipartUploadsResult, parseListPartsResult } from '@ossup/xml-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevServer } from '../src/index.ts';
import { complete, completeBody, initiate, uploadPart } from './helpers/multipart.ts';
import { errorCode, xmlValue, xmlValues } from './helpers/oss-client.ts';
import { bytes, clientFor, md5B64, md5Hex, testServer } from './helpers/server.ts';

let server: DevServer;
let oss: ReturnType<typeof clientFor>;
const B = 'multi';
const MIN = 1024;

beforeAll(async () => {
  server = await testServer({ buckets: [B, 'other'], limits: { minPartSize: MIN } });
  oss = clientFor(server);
});
afterAll(async () => {
  await server?.close();
});

function multipartEtag(etags: string[]): string {
  return `"${createHash('md5').update(etags.join('')).digest('hex').toUpperCase()}-${etags.length}"`;
}

describe('InitiateMultipartUpload', () => {
  it('answers the result XML with a 32-hex upload id', async () => {
    const res = await oss({
      method: 'POST',
      bucket: B,
      key: 'dir/init.bin',
      query: [['uploads', '']],
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml');
    expect(res.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(xmlValue(res.text, 'Bucket')).toBe(B);
    expect(xmlValue(res.text, 'Key')).toBe('dir/init.bin');
    expect(xmlValue(res.text, 'UploadId')).toMatch(/^[0-9A-F]{32}$/);
    expect(res.text).not.toContain('EncodingType');
  });

  it('URL-encodes the key with encoding-type=url', async () => {
    const res = await oss({
      method: 'POST',
      bucket: B,
      key: 'a b+c%/ü',
      query: [
        ['uploads', ''],
        ['encoding-type', 'url'],
      ],
    });
    expect(res.status).toBe(200);
    expect(xmlValue(res.text, 'EncodingType')).toBe('url');
    expect(xmlValue(res.text, 'Key')).toBe('a%20b%2Bc%25%2F%C3%BC');
  });

  it('answers NoSuchBucket', async () => {
    const res = await oss({
      method: 'POST',
      bucket: 'no-such',
      key: 'k',
      query: [['uploads', '']],
    });
    expect(errorCode(res)).toBe('NoSuchBucket');
  });
});

describe('UploadPart', () => {
  it('answers ETag, Content-MD5 and the part CRC-64', async () => {
    const id = await initiate(oss, B, 'part.bin');
    const res = await uploadPart(oss, B, 'part.bin', id, 1, 'upload part 1');
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(`"${md5Hex('upload part 1')}"`);
    expect(res.headers['content-md5']).toBe(md5B64('upload part 1'));
    expect(res.headers['x-oss-hash-crc64ecma']).toBe('6571598172666981661');
    const res2 = await uploadPart(oss, B, 'part.bin', id, 2, 'upload part 2');
    expect(res2.headers['x-oss-hash-crc64ecma']).toBe('2060813895736234537');
  });

  it.each(['0', '10001', '-1', 'abc', '1.5'])(
    'rejects part number %s with InvalidArgument',
    async (n) => {
      const id = await initiate(oss, B, 'pn.bin');
      const res = await uploadPart(oss, B, 'pn.bin', id, n, 'x');
      expect(res.status).toBe(400);
      expect(errorCode(res)).toBe('InvalidArgument');
      expect(xmlValue(res.text, 'ArgumentName')).toBe('PartNumber');
      expect(xmlValue(res.text, 'ArgumentValue')).toBe(n);
      expect(xmlValue(res.text, 'Message')).toBe(
        'Part number must be an integer between 1 and 10000, inclusive.',
      );
    },
  );

  it('accepts part numbers 1 and 10000', async () => {
    const id = await initiate(oss, B, 'edges.bin');
    expect((await uploadPart(oss, B, 'edges.bin', id, 1, 'a')).status).toBe(200);
    expect((await uploadPart(oss, B, 'edges.bin', id, 10000, 'b')).status).toBe(200);
  });

  it('answers NoSuchUpload (with UploadId and EC) for an unknown upload or another key', async () => {
    const res = await uploadPart(oss, B, 'x.bin', '0123456789ABCDEF0123456789ABCDEF', 1, 'x');
    expect(res.status).toBe(404);
    expect(errorCode(res)).toBe('NoSuchUpload');
    expect(xmlValue(res.text, 'UploadId')).toBe('0123456789ABCDEF0123456789ABCDEF');
    expect(xmlValue(res.text, 'EC')).toBe('0042-00000104');
    const id = await initiate(oss, B, 'right-key');
    expect(errorCode(await uploadPart(oss, B, 'wrong-key', id, 1, 'x'))).toBe('NoSuchUpload');
  });

  it('rejects a Content-MD5 mismatch with InvalidDigest and keeps no part', async () => {
    const id = await initiate(oss, B, 'digest.bin');
    const res = await uploadPart(oss, B, 'digest.bin', id, 1, 'data', {
      'content-md5': md5B64('other'),
    });
    expect(errorCode(res)).toBe('InvalidDigest');
    const list = await oss({
      method: 'GET',
      bucket: B,
      key: 'digest.bin',
      query: [['uploadId', id]],
    });
    expect(xmlValues(list.text, 'PartNumber')).toEqual([]);
  });

  it('overwrites a part uploaded twice', async () => {
    const id = await initiate(oss, B, 'twice.bin');
    await uploadPart(oss, B, 'twice.bin', id, 1, 'first');
    await uploadPart(oss, B, 'twice.bin', id, 1, 'second!');
    const list = parseListPartsResult(
      (await oss({ method: 'GET', bucket: B, key: 'twice.bin', query: [['uploadId', id]] })).text,
    );
    expect(list.parts.map((p) => [p.partNumber, p.etag, p.size])).toEqual([
      [1, md5Hex('second!'), 7],
    ]);
  });
});

describe('UploadPartCopy', () => {
  const source = bytes(3000, 11);
  beforeAll(async () => {
    await oss({ method: 'PUT', bucket: 'other', key: 'src dir/ü+.bin', body: source });
  });

  it('copies a range of another object as a part', async () => {
    const id = await initiate(oss, B, 'copy.bin');
    const res = await oss({
      method: 'PUT',
      bucket: B,
      key: 'copy.bin',
      query: [
        ['partNumber', '1'],
        ['uploadId', id],
      ],
      headers: {
        'x-oss-copy-source': `/other/${encodeURIComponent('src dir/ü+.bin')}`,
        'x-oss-copy-source-range': 'bytes=100-1299',
      },
    });
    expect(res.status).toBe(200);
    const slice = source.subarray(100, 1300);
    expect(xmlValue(res.text, 'ETag')).toBe(`"${md5Hex(slice)}"`);
    expect(xmlValue(res.text, 'LastModified')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(res.headers['content-range']).toBe('bytes 100-1299/3000');
    const res2 = await oss({
      method: 'PUT',
      bucket: B,
      key: 'copy.bin',
      query: [
        ['partNumber', '2'],
        ['uploadId', id],
      ],
      headers: { 'x-oss-copy-source': '/other/src%20dir/%C3%BC%2B.bin' },
    });
    expect(res2.status).toBe(200);
    const c = await complete(
      oss,
      B,
      'copy.bin',
      id,
      completeBody([
        [1, `"${md5Hex(slice)}"`],
        [2, `"${md5Hex(source)}"`],
      ]),
    );
    expect(c.status).toBe(200);
    const got = await oss({ method: 'GET', bucket: B, key: 'copy.bin' });
    expect(got.body.equals(Buffer.concat([slice, source]))).toBe(true);
  });

  it('answers NoSuchKey for a missing source and InvalidArgument for a bad range', async () => {
    const id = await initiate(oss, B, 'copy2.bin');
    const missing = await oss({
      method: 'PUT',
      bucket: B,
      key: 'copy2.bin',
      query: [
        ['partNumber', '1'],
        ['uploadId', id],
      ],
      headers: { 'x-oss-copy-source': '/other/missing' },
    });
    expect(errorCode(missing)).toBe('NoSuchKey');
    const bad = await oss({
      method: 'PUT',
      bucket: B,
      key: 'copy2.bin',
      query: [
        ['partNumber', '1'],
        ['uploadId', id],
      ],
      headers: {
        'x-oss-copy-source': `/other/${encodeURIComponent('src dir/ü+.bin')}`,
        'x-oss-copy-source-range': 'bytes=2000-5000',
      },
    });
    expect(errorCode(bad)).toBe('InvalidArgument');
    const noUpload = await oss({
      method: 'PUT',
      bucket: B,
      key: 'copy2.bin',
      query: [
        ['partNumber', '1'],
        ['uploadId', 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF'],
      ],
      headers: { 'x-oss-copy-source': '/other/missing' },
    });
    expect(errorCode(noUpload)).toBe('NoSuchUpload');
    expect(xmlValue(noUpload.text, 'EC')).toBe('0042-00000311');
  });
});

describe('CompleteMultipartUpload', () => {
  async function twoParts(key: string, headers: Record<string, string> = {}) {
    const id = await initiate(oss, B, key, headers);
    const p1 = bytes(MIN, 21);
    const p2 = bytes(500, 22);
    const e1 = (await uploadPart(oss, B, key, id, 1, p1)).headers.etag as string;
    const e2 = (await uploadPart(oss, B, key, id, 2, p2)).headers.etag as string;
    return { id, p1, p2, e1, e2 };
  }

  it('builds the object: multipart ETag, whole-object CRC-64, type Multipart, Initiate headers', async () => {
    const { id, p1, p2, e1, e2 } = await twoParts('done/ok.bin', {
      'content-type': 'video/mp4',
      'x-oss-meta-origin': 'init',
    });
    const res = await complete(
      oss,
      B,
      'done/ok.bin',
      id,
      completeBody([
        [1, e1],
        [2, e2],
      ]),
    );
    expect(res.status).toBe(200);
    const etag = multipartEtag([e1.slice(1, -1), e2.slice(1, -1)]);
    expect(res.headers.etag).toBe(etag);
    expect(xmlValue(res.text, 'ETag')).toBe(etag);
    expect(xmlValue(res.text, 'Bucket')).toBe(B);
    expect(xmlValue(res.text, 'Key')).toBe('done/ok.bin');
    expect(xmlValue(res.text, 'Location')).toBe(`${server.endpoint}/${B}/done/ok.bin`);
    const whole = Buffer.concat([p1, p2]);
    expect(res.headers['x-oss-hash-crc64ecma']).toBe(crc64(whole).toString());
    expect(res.headers['x-oss-hash-crc64ecma']).toBe(
      combineCrc64(crc64(p1), crc64(p2), p2.byteLength).toString(),
    );
    const got = await oss({ method: 'GET', bucket: B, key: 'done/ok.bin' });
    expect(got.body.equals(whole)).toBe(true);
    expect(got.headers['x-oss-object-type']).toBe('Multipart');
    expect(got.headers.etag).toBe(etag);
    expect(got.headers['content-type']).toBe('video/mp4');
    expect(got.headers['x-oss-meta-origin']).toBe('init');
    expect(got.headers['content-md5']).toBeUndefined();
    const ranged = await oss({
      method: 'GET',
      bucket: B,
      key: 'done/ok.bin',
      headers: { range: `bytes=${MIN - 10}-${MIN + 9}` },
    });
    expect(ranged.status).toBe(206);
    expect(ranged.body.equals(whole.subarray(MIN - 10, MIN + 10))).toBe(true);
    const again = await complete(
      oss,
      B,
      'done/ok.bin',
      id,
      completeBody([
        [1, e1],
        [2, e2],
      ]),
    );
    expect(errorCode(again)).toBe('NoSuchUpload');
  });

  it('reproduces the captured OSS multipart ETag', async () => {
    expect(
      multipartEtag(['4DE8075FB607DF4D13FBC480EA488EFA', 'AF947EC157726CEA88ED83B3C989063B']),
    ).toBe('"1C787C506EABFB9B45EAAA8DB039F4B2-2"');
  });

  it('accepts ETags written as &quot; or &#34;, lower case, and a body without declaration', async () => {
    const { id, e1, e2 } = await twoParts('entities.bin');
    const raw1 = e1.slice(1, -1).toLowerCase();
    const raw2 = e2.slice(1, -1);
    const body = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&quot;${raw1}&quot;</ETag></Part><Part><PartNumber>2</PartNumber><ETag>&#34;${raw2}&#34;</ETag></Part></CompleteMultipartUpload>`;
    const res = await complete(oss, B, 'entities.bin', id, body);
    expect(res.status).toBe(200);
  });

  it('uses only the listed parts, with gaps allowed, and discards the others', async () => {
    const key = 'gaps.bin';
    const id = await initiate(oss, B, key);
    const parts = [bytes(MIN, 1), bytes(MIN, 2), bytes(MIN, 3), bytes(10, 4)];
    const etags: string[] = [];
    for (const [i, p] of [1, 3, 5, 8].entries()) {
      etags.push((await uploadPart(oss, B, key, id, p, parts[i]!)).headers.etag as string);
    }
    const res = await complete(
      oss,
      B,
      key,
      id,
      completeBody([
        [1, etags[0]!],
        [5, etags[2]!],
        [8, etags[3]!],
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(
      multipartEtag([etags[0]!, etags[2]!, etags[3]!].map((e) => e.slice(1, -1))),
    );
    const got = await oss({ method: 'GET', bucket: B, key });
    expect(got.body.equals(Buffer.concat([parts[0]!, parts[2]!, parts[3]!]))).toBe(true);
  });

  it('completes every uploaded part with x-oss-complete-all: yes', async () => {
    const { id, p1, p2, e1, e2 } = await twoParts('all.bin');
    const res = await complete(oss, B, 'all.bin', id, undefined, { 'x-oss-complete-all': 'yes' });
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(multipartEtag([e1.slice(1, -1), e2.slice(1, -1)]));
    const got = await oss({ method: 'GET', bucket: B, key: 'all.bin' });
    expect(got.body.equals(Buffer.concat([p1, p2]))).toBe(true);
  });

  it('rejects x-oss-complete-all with a body (InvalidArgument, EC 0042-00000216)', async () => {
    const { id, e1 } = await twoParts('all-body.bin');
    const res = await complete(oss, B, 'all-body.bin', id, completeBody([[1, e1]]), {
      'x-oss-complete-all': 'yes',
    });
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('InvalidArgument');
    expect(xmlValue(res.text, 'Message')).toBe(
      'Should not speficy both complete all header and http body.',
    );
    expect(xmlValue(res.text, 'EC')).toBe('0042-00000216');
  });

  it.each([
    ['not xml', 'this is not xml'],
    ['empty part list', '<CompleteMultipartUpload></CompleteMultipartUpload>'],
    [
      'part without ETag',
      '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>',
    ],
    ['doctype', '<!DOCTYPE x [<!ENTITY a "b">]><CompleteMultipartUpload/>'],
    ['empty body', ''],
  ])('answers MalformedXML for %s', async (_name, body) => {
    const { id } = await twoParts(`malformed-${_name.replace(/ /g, '-')}`);
    const res = await complete(oss, B, `malformed-${_name.replace(/ /g, '-')}`, id, body);
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('MalformedXML');
  });

  it('answers InvalidPartOrder for descending, duplicate or out-of-range part numbers', async () => {
    const { id, e1, e2 } = await twoParts('order.bin');
    for (const parts of [
      [
        [2, e2],
        [1, e1],
      ],
      [
        [1, e1],
        [1, e1],
      ],
      [
        [0, e1],
        [2, e2],
      ],
      [
        [1, e1],
        [10001, e2],
      ],
    ] as Array<Array<[number, string]>>) {
      const res = await complete(oss, B, 'order.bin', id, completeBody(parts));
      expect(res.status).toBe(400);
      expect(errorCode(res)).toBe('InvalidPartOrder');
    }
  });

  it('answers InvalidPart for a missing part or a wrong ETag', async () => {
    const { id, e1, e2 } = await twoParts('invalid-part.bin');
    const missing = await complete(
      oss,
      B,
      'invalid-part.bin',
      id,
      completeBody([
        [1, e1],
        [3, e2],
      ]),
    );
    expect(errorCode(missing)).toBe('InvalidPart');
    expect(missing.status).toBe(400);
    const wrong = await complete(
      oss,
      B,
      'invalid-part.bin',
      id,
      completeBody([
        [1, e1],
        [2, '"00000000000000000000000000000000"'],
      ]),
    );
    expect(errorCode(wrong)).toBe('InvalidPart');
  });

  it('answers EntityTooSmall for a small non-last part, after the order and part checks', async () => {
    const key = 'small.bin';
    const id = await initiate(oss, B, key);
    const e1 = (await uploadPart(oss, B, key, id, 1, bytes(MIN - 1))).headers.etag as string;
    const e2 = (await uploadPart(oss, B, key, id, 2, bytes(MIN))).headers.etag as string;
    const tooSmall = await complete(
      oss,
      B,
      key,
      id,
      completeBody([
        [1, e1],
        [2, e2],
      ]),
    );
    expect(tooSmall.status).toBe(400);
    expect(errorCode(tooSmall)).toBe('EntityTooSmall');
    // Order is checked first, then existence, then sizes.
    expect(
      errorCode(
        await complete(
          oss,
          B,
          key,
          id,
          completeBody([
            [2, e2],
            [1, e1],
          ]),
        ),
      ),
    ).toBe('InvalidPartOrder');
    expect(
      errorCode(
        await complete(
          oss,
          B,
          key,
          id,
          completeBody([
            [1, e1],
            [3, e2],
          ]),
        ),
      ),
    ).toBe('InvalidPart');
    // A small LAST part is fine.
    expect((await complete(oss, B, key, id, completeBody([[2, e2]]))).status).toBe(200);
  });

  it('uses the default 100 KiB minimum part size', async () => {
    const def = await testServer({ buckets: ['def'] });
    try {
      const o = clientFor(def);
      const id = await initiate(o, 'def', 'k');
      const e1 = (await uploadPart(o, 'def', 'k', id, 1, bytes(102_399))).headers.etag as string;
      const e2 = (await uploadPart(o, 'def', 'k', id, 2, 'x')).headers.etag as string;
      expect(
        errorCode(
          await complete(
            o,
            'def',
            'k',
            id,
            completeBody([
              [1, e1],
              [2, e2],
            ]),
          ),
        ),
      ).toBe('EntityTooSmall');
      const e1b = (await uploadPart(o, 'def', 'k', id, 1, bytes(102_400))).headers.etag as string;
      expect(
        (
          await complete(
            o,
            'def',
            'k',
            id,
            completeBody([
              [1, e1b],
              [2, e2],
            ]),
          )
        ).status,
      ).toBe(200);
    } finally {
      await def.close();
    }
  });

  it('answers FileAlreadyExists (EC 0042-00000214) with x-oss-forbid-overwrite at Complete (not at Initiate) and keeps the upload', async () => {
    await oss({ method: 'PUT', bucket: B, key: 'exists.bin', body: 'old' });
    // §4.1: Initiate has no FileAlreadyExists; the header only counts at Complete.
    const { id, e1, e2 } = await twoParts('exists.bin', { 'x-oss-forbid-overwrite': 'true' });
    const res = await complete(
      oss,
      B,
      'exists.bin',
      id,
      completeBody([
        [1, e1],
        [2, e2],
      ]),
      { 'x-oss-forbid-overwrite': 'true' },
    );
    expect(res.status).toBe(409);
    expect(errorCode(res)).toBe('FileAlreadyExists');
    expect(xmlValue(res.text, 'EC')).toBe('0042-00000214');
    expect((await oss({ method: 'GET', bucket: B, key: 'exists.bin' })).text).toBe('old');
    expect(
      (
        await complete(
          oss,
          B,
          'exists.bin',
          id,
          completeBody([
            [1, e1],
            [2, e2],
          ]),
        )
      ).status,
    ).toBe(200);
  });

  it('answers NoSuchUpload for an unknown upload id', async () => {
    const res = await complete(oss, B, 'k', 'ABCDEF', completeBody([[1, '"A"']]));
    expect(res.status).toBe(404);
    expect(errorCode(res)).toBe('NoSuchUpload');
  });

  it('URL-encodes the key with encoding-type=url', async () => {
    const key = 'ctl\u0001 +%.bin';
    const id = await initiate(oss, B, key);
    const e1 = (await uploadPart(oss, B, key, id, 1, 'x')).headers.etag as string;
    const res = await complete(oss, B, key, id, completeBody([[1, e1]]), {}, [
      ['encoding-type', 'url'],
    ]);
    expect(res.status).toBe(200);
    expect(xmlValue(res.text, 'EncodingType')).toBe('url');
    expect(xmlValue(res.text, 'Key')).toBe('ctl%01%20%2B%25.bin');
  });
});

describe('AbortMultipartUpload', () => {
  it('answers 204 and then NoSuchUpload (EC 0042-00000002)', async () => {
    const id = await initiate(oss, B, 'abort.bin');
    await uploadPart(oss, B, 'abort.bin', id, 1, 'x');
    const res = await oss({
      method: 'DELETE',
      bucket: B,
      key: 'abort.bin',
      query: [['uploadId', id]],
    });
    expect(res.status).toBe(204);
    expect(res.body.byteLength).toBe(0);
    const again = await oss({
      method: 'DELETE',
      bucket: B,
      key: 'abort.bin',
      query: [['uploadId', id]],
    });
    expect(again.status).toBe(404);
    expect(errorCode(again)).toBe('NoSuchUpload');
    expect(xmlValue(again.text, 'EC')).toBe('0042-00000002');
    expect(errorCode(await uploadPart(oss, B, 'abort.bin', id, 2, 'x'))).toBe('NoSuchUpload');
  });
});

describe('ListParts', () => {
  let id: string;
  const key = 'list/parts.bin';
  beforeAll(async () => {
    id = await initiate(oss, B, key);
    for (let n = 1; n <= 30; n++) await uploadPart(oss, B, key, id, n, `part ${n}`);
  });
  const list = (query: Array<[string, string]> = []) =>
    oss({ method: 'GET', bucket: B, key, query: [['uploadId', id], ...query] });

  it('lists every part by default (like the Java integration test)', async () => {
    const res = await list();
    expect(res.status).toBe(200);
    const r = parseListPartsResult(res.text);
    expect(r.parts).toHaveLength(30);
    expect(r.maxParts).toBe(1000);
    expect(r.nextPartNumberMarker).toBe(30);
    expect(r.isTruncated).toBe(false);
    expect(r.partNumberMarker).toBe(0);
    expect(r.uploadId).toBe(id);
    expect(r.key).toBe(key);
    expect(r.storageClass).toBe('Standard');
    expect(r.parts[0]).toEqual({
      partNumber: 1,
      lastModified: expect.stringMatching(/\.000Z$/),
      etag: md5Hex('part 1'),
      hashCrc64ecma: crc64(Buffer.from('part 1')),
      size: 6,
    });
    expect(res.text).toContain('<HashCrc64ecma>');
  });

  it('paginates with max-parts and part-number-marker', async () => {
    const a = parseListPartsResult((await list([['max-parts', '15']])).text);
    expect(a.parts.map((p) => p.partNumber)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(a.nextPartNumberMarker).toBe(15);
    expect(a.isTruncated).toBe(true);
    const b = parseListPartsResult(
      (
        await list([
          ['max-parts', '15'],
          ['part-number-marker', '20'],
        ])
      ).text,
    );
    expect(b.parts.map((p) => p.partNumber)).toEqual(Array.from({ length: 10 }, (_, i) => i + 21));
    expect(b.nextPartNumberMarker).toBe(30);
    expect(b.isTruncated).toBe(false);
    const exact = parseListPartsResult((await list([['max-parts', '30']])).text);
    expect(exact.parts).toHaveLength(30);
    expect(exact.isTruncated).toBe(false);
    const end = parseListPartsResult((await list([['part-number-marker', '30']])).text);
    expect(end.parts).toHaveLength(0);
    expect(end.isTruncated).toBe(false);
    expect(end.nextPartNumberMarker).toBeUndefined();
  });

  it('lists an upload without parts', async () => {
    const empty = await initiate(oss, B, 'no-parts');
    const r = parseListPartsResult(
      (await oss({ method: 'GET', bucket: B, key: 'no-parts', query: [['uploadId', empty]] })).text,
    );
    expect(r.parts).toHaveLength(0);
    expect(r.isTruncated).toBe(false);
    expect(r.nextPartNumberMarker).toBeUndefined();
  });

  it('rejects a bad max-parts and answers NoSuchUpload', async () => {
    expect(errorCode(await list([['max-parts', 'x']]))).toBe('InvalidArgument');
    const res = await oss({ method: 'GET', bucket: B, key, query: [['uploadId', 'NOPE']] });
    expect(errorCode(res)).toBe('NoSuchUpload');
  });

  it('encodes the key with encoding-type=url', async () => {
    const k = 'sp ace+plus%pct/ü\u0007';
    const u = await initiate(oss, B, k);
    const res = await oss({
      method: 'GET',
      bucket: B,
      key: k,
      query: [
        ['uploadId', u],
        ['encoding-type', 'url'],
      ],
    });
    expect(xmlValue(res.text, 'Key')).toBe('sp%20ace%2Bplus%25pct%2F%C3%BC%07');
    expect(parseListPartsResult(res.text).key).toBe(k);
  });
});

describe('ListMultipartUploads', () => {
  const BU = 'uploads-list';
  const ids = new Map<string, string[]>();
  beforeAll(async () => {
    await oss({ method: 'PUT', bucket: BU });
    for (const key of ['a.txt', 'b/1.txt', 'b/2.txt', 'c/d/e.txt', 'c.txt', 'z z+%ü', 'a.txt']) {
      const id = await initiate(oss, BU, key);
      ids.set(key, [...(ids.get(key) ?? []), id].sort());
    }
  });
  const list = async (query: Array<[string, string]> = []) => {
    const res = await oss({ method: 'GET', bucket: BU, query: [['uploads', ''], ...query] });
    expect(res.status).toBe(200);
    return { res, r: parseListMultipartUploadsResult(res.text) };
  };

  it('lists by key then upload id', async () => {
    const { r } = await list();
    expect(r.uploads.map((u) => u.key)).toEqual([
      'a.txt',
      'a.txt',
      'b/1.txt',
      'b/2.txt',
      'c.txt',
      'c/d/e.txt',
      'z z+%ü',
    ]);
    expect(r.uploads.slice(0, 2).map((u) => u.uploadId)).toEqual(ids.get('a.txt'));
    expect(r.maxUploads).toBe(1000);
    expect(r.isTruncated).toBe(false);
    expect(r.nextKeyMarker).toBe('z z+%ü');
    expect(r.nextUploadIdMarker).toBe(ids.get('z z+%ü')![0]);
    expect(r.uploads[0]!.initiated).toMatch(/\.000Z$/);
    expect(r.uploads[0]!.storageClass).toBe('Standard');
  });

  it('rolls keys up at the delimiter into CommonPrefixes, counted in max-uploads', async () => {
    const { r } = await list([['delimiter', '/']]);
    expect(r.uploads.map((u) => u.key)).toEqual(['a.txt', 'a.txt', 'c.txt', 'z z+%ü']);
    expect(r.commonPrefixes).toEqual(['b/', 'c/']);
    expect(r.delimiter).toBe('/');
    const p = await list([
      ['delimiter', '/'],
      ['prefix', 'c/'],
    ]);
    expect(p.r.uploads).toHaveLength(0);
    expect(p.r.commonPrefixes).toEqual(['c/d/']);
    expect(p.r.prefix).toBe('c/');
    const capped = await list([
      ['delimiter', '/'],
      ['max-uploads', '3'],
    ]);
    expect(capped.r.uploads.map((u) => u.key)).toEqual(['a.txt', 'a.txt']);
    expect(capped.r.commonPrefixes).toEqual(['b/']);
    expect(capped.r.isTruncated).toBe(true);
    expect(capped.r.nextKeyMarker).toBe('b/');
    const next = await list([
      ['delimiter', '/'],
      ['max-uploads', '3'],
      ['key-marker', 'b/'],
    ]);
    expect(next.r.uploads.map((u) => u.key)).toEqual(['c.txt', 'z z+%ü']);
    expect(next.r.commonPrefixes).toEqual(['c/']);
    expect(next.r.isTruncated).toBe(false);
  });

  it('paginates with key-marker and upload-id-marker through every upload exactly once', async () => {
    const seen: string[] = [];
    let keyMarker = '';
    let uploadIdMarker = '';
    for (let pages = 0; pages < 20; pages++) {
      const { r } = await list([
        ['max-uploads', '2'],
        ['key-marker', keyMarker],
        ['upload-id-marker', uploadIdMarker],
      ]);
      seen.push(...r.uploads.map((u) => `${u.key}#${u.uploadId}`));
      expect(r.keyMarker).toBe(keyMarker);
      if (!r.isTruncated) break;
      keyMarker = r.nextKeyMarker;
      uploadIdMarker = r.nextUploadIdMarker;
    }
    const all = [...ids.entries()].flatMap(([k, v]) => v.map((id) => `${k}#${id}`)).sort();
    expect([...seen].sort()).toEqual(all);
    expect(seen).toHaveLength(7);
  });

  it('handles empty results, exactly max and a marker at the end', async () => {
    const empty = await list([['prefix', 'nothing/']]);
    expect(empty.r.uploads).toHaveLength(0);
    expect(empty.r.isTruncated).toBe(false);
    expect(empty.r.nextKeyMarker).toBe('');
    expect(empty.r.nextUploadIdMarker).toBe('');
    const exact = await list([['max-uploads', '7']]);
    expect(exact.r.uploads).toHaveLength(7);
    expect(exact.r.isTruncated).toBe(false);
    const end = await list([['key-marker', 'z z+%ü']]);
    expect(end.r.uploads).toHaveLength(0);
    expect(end.r.isTruncated).toBe(false);
  });

  it('URL-encodes names with encoding-type=url', async () => {
    const { res, r } = await list([
      ['encoding-type', 'url'],
      ['prefix', 'z z'],
      ['delimiter', '+'],
    ]);
    expect(xmlValue(res.text, 'EncodingType')).toBe('url');
    expect(xmlValue(res.text, 'Prefix')).toBe('z%20z');
    expect(xmlValue(res.text, 'Delimiter')).toBe('%2B');
    expect(r.commonPrefixes).toEqual(['z z+']);
    expect(res.text).toContain('<Prefix>z%20z%2B</Prefix>');
  });

  it('rejects max-uploads out of range', async () => {
    const res = await oss({
      method: 'GET',
      bucket: BU,
      query: [
        ['uploads', ''],
        ['max-uploads', '1001'],
      ],
    });
    expect(errorCode(res)).toBe('InvalidArgument');
  });
});
