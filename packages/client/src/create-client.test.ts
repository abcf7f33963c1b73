import { describe, expect, it } from 'vitest';
import { createClient } from './create-client.ts';
import { OssArgumentError } from './errors.ts';
import type { Transport, TransportRequest } from './transport.ts';

const credentials = { accessKeyId: 'ak', accessKeySecret: 'sk' };

describe('createClient option checks', () => {
  it('infers the region from a standard endpoint and accepts an oss- prefix', () => {
    expect(createClient({ endpoint: 'oss-cn-shanghai.aliyuncs.com', credentials }).region).toBe(
      'cn-shanghai',
    );
    expect(
      createClient({ endpoint: 'http://127.0.0.1:1', region: 'oss-cn-hangzhou', credentials })
        .region,
    ).toBe('cn-hangzhou');
    expect(
      createClient({ endpoint: 'http://127.0.0.1:1', signatureVersion: 'v1', credentials })
        .signatureVersion,
    ).toBe('v1');
  });

  it('explains what is wrong', () => {
    const cases: Array<[Parameters<typeof createClient>[0], RegExp]> = [
      [{ endpoint: 'not a url', region: 'cn-hangzhou', credentials }, /not a valid URL/],
      [{ endpoint: 'http://127.0.0.1:1', credentials }, /needs the region/],
      [{ endpoint: 'http://127.0.0.1:1', region: 'cn hangzhou', credentials }, /Invalid region/],
      [
        {
          endpoint: 'http://127.0.0.1:1',
          region: 'r',
          credentials,
          credentialsProvider: async () => credentials,
        },
        /exactly one/,
      ],
      [{ endpoint: 'http://127.0.0.1:1', region: 'r' }, /No credentials/],
      [
        { endpoint: 'http://127.0.0.1:1', region: 'r', credentials, retry: { attempts: 0 } },
        /retry.attempts/,
      ],
      [{ endpoint: 'http://127.0.0.1:1', region: 'r', credentials, timeout: -5 }, /timeout/],
      [
        {
          endpoint: 'http://127.0.0.1:1',
          region: 'r',
          credentials,
          signatureVersion: 'v2' as 'v4',
        },
        /signatureVersion/,
      ],
    ];
    for (const [options, message] of cases) {
      expect(() => createClient(options)).toThrow(OssArgumentError);
      expect(() => createClient(options)).toThrow(message);
    }
  });
});

describe('client operations over a scripted transport', () => {
  function client(steps: Array<(request: TransportRequest) => Response>) {
    const sent: TransportRequest[] = [];
    const transport: Transport = async (request) => {
      sent.push(request);
      const step = steps[sent.length - 1];
      if (step === undefined) throw new Error('unexpected request');
      return step(request);
    };
    const c = createClient({
      endpoint: 'https://oss-cn-hangzhou.aliyuncs.com',
      credentials,
      transport,
      sleep: async () => undefined,
    });
    return { c, sent };
  }

  it('rejects bad input before sending anything', async () => {
    const { c, sent } = client([]);
    await expect(
      c.uploadPart({
        bucket: 'bkt',
        key: 'k',
        uploadId: 'u',
        partNumber: 0,
        body: new Uint8Array(),
      }),
    ).rejects.toThrow(/part number/);
    await expect(
      c.uploadPart({
        bucket: 'bkt',
        key: 'k',
        uploadId: '',
        partNumber: 1,
        body: new Uint8Array(),
      }),
    ).rejects.toThrow(/uploadId/);
    await expect(c.putObject({ bucket: 'B', key: 'k', body: new Uint8Array() })).rejects.toThrow(
      /bucket name/,
    );
    await expect(
      c.putObject({ bucket: 'bkt', key: 'k', body: new Uint8Array(), meta: { x: 'é' } }),
    ).rejects.toThrow(/printable ASCII/);
    await expect(
      c.completeMultipartUpload({
        bucket: 'bkt',
        key: 'k',
        uploadId: 'u',
        parts: [
          { partNumber: 2, etag: 'A' },
          { partNumber: 1, etag: 'B' },
        ],
      }),
    ).rejects.toThrow(/ascending/);
    await expect(
      c.completeMultipartUpload({
        bucket: 'bkt',
        key: 'k',
        uploadId: 'u',
        parts: [],
        completeAll: true,
      }),
    ).rejects.toThrow(/not both/);
    await expect(
      c.getObject({ bucket: 'bkt', key: 'k', range: { start: 5, end: 5 } }),
    ).rejects.toThrow(/range/);
    expect(sent).toHaveLength(0);
  });

  it('turns a 200 without ETag into a CORS hint', async () => {
    const { c } = client([
      () => new Response(null, { status: 200, headers: { 'x-oss-request-id': 'R' } }),
    ]);
    await expect(
      c.uploadPart({
        bucket: 'bkt',
        key: 'k',
        uploadId: 'u',
        partNumber: 1,
        body: new Uint8Array(1),
      }),
    ).rejects.toThrow(/ExposeHeader/);
  });

  it('returns bare ETags and bigint CRCs from UploadPart', async () => {
    const { c, sent } = client([
      () =>
        new Response(null, {
          status: 200,
          headers: {
            etag: '"ABCDEF0123456789ABCDEF0123456789"',
            'x-oss-hash-crc64ecma': '11051210869376104954',
          },
        }),
    ]);
    const out = await c.uploadPart({
      bucket: 'bkt',
      key: 'dir/ü k',
      uploadId: 'up id',
      partNumber: 7,
      body: new Uint8Array(1),
    });
    expect(out.etag).toBe('ABCDEF0123456789ABCDEF0123456789');
    expect(out.crc64).toBe(11051210869376104954n);
    expect(sent[0]?.url).toBe(
      'https://bkt.oss-cn-hangzhou.aliyuncs.com/dir/%C3%BC%20k?partNumber=7&uploadId=up%20id',
    );
  });

  it('treats NoSuchUpload on a retried Complete as success when the object has the expected multipart ETag', async () => {
    const parts = [
      { partNumber: 1, etag: '4DE8075FB607DF4D13FBC480EA488EFA' },
      { partNumber: 2, etag: 'AF947EC157726CEA88ED83B3C989063B' },
    ];
    const { c, sent } = client([
      () => new Response('<Error><Code>InternalError</Code></Error>', { status: 500 }),
      () => new Response('<Error><Code>NoSuchUpload</Code></Error>', { status: 404 }),
      () =>
        new Response(null, {
          status: 200,
          headers: { etag: '"1C787C506EABFB9B45EAAA8DB039F4B2-2"', 'x-oss-hash-crc64ecma': '42' },
        }),
    ]);
    const out = await c.completeMultipartUpload({ bucket: 'bkt', key: 'k', uploadId: 'u', parts });
    expect(out.etag).toBe('1C787C506EABFB9B45EAAA8DB039F4B2-2');
    expect(out.crc64).toBe(42n);
    expect(sent.map((r) => r.method)).toEqual(['POST', 'POST', 'HEAD']);
  });

  it('keeps NoSuchUpload when the object is not the one these parts make', async () => {
    const { c } = client([
      () => new Response('', { status: 503 }),
      () => new Response('<Error><Code>NoSuchUpload</Code></Error>', { status: 404 }),
      () =>
        new Response(null, {
          status: 200,
          headers: { etag: '"00000000000000000000000000000000-2"' },
        }),
    ]);
    await expect(
      c.completeMultipartUpload({
        bucket: 'bkt',
        key: 'k',
        uploadId: 'u',
        parts: [{ partNumber: 1, etag: '4DE8075FB607DF4D13FBC480EA488EFA' }],
      }),
    ).rejects.toThrow(/NoSuchUpload/);
  });

  it('sends x-oss-complete-all without a body', async () => {
    const result =
      '<CompleteMultipartUploadResult><Location>l</Location><Bucket>bkt</Bucket><Key>k</Key><ETag>"AB-3"</ETag></CompleteMultipartUploadResult>';
    const { c, sent } = client([() => new Response(result, { status: 200 })]);
    const out = await c.completeMultipartUpload({
      bucket: 'bkt',
      key: 'k',
      uploadId: 'u',
      completeAll: true,
      acl: 'private',
    });
    expect(out.etag).toBe('AB-3');
    expect(sent[0]?.headers['x-oss-complete-all']).toBe('yes');
    expect(sent[0]?.headers['x-oss-object-acl']).toBe('private');
    expect(sent[0]?.headers['content-type']).toBeUndefined();
    expect(sent[0]?.body).toEqual(new Uint8Array(0));
  });

  it('stops a paginator whose markers do not advance', async () => {
    const page =
      '<ListMultipartUploadsResult><Bucket>bkt</Bucket><NextKeyMarker>a</NextKeyMarker><NextUploadIdMarker>1</NextUploadIdMarker><IsTruncated>true</IsTruncated><Upload><Key>a</Key><UploadId>1</UploadId></Upload></ListMultipartUploadsResult>';
    const { c } = client([
      () => new Response(page),
      () => new Response(page),
      () => new Response(page),
    ]);
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const upload of c.listAllMultipartUploads({ bucket: 'bkt' }))
          seen.push(upload.uploadId);
      })(),
    ).rejects.toThrow(/endless loop/);
    expect(seen).toEqual(['1', '1']);
  });
});
