// The dev server under hostile requests: unsigned, wrongly signed, replayed or re-targeted
// presigned URLs, skewed clocks, path-traversal keys, oversized headers and XML bodies, XML
// entity bombs. Each is refused with the right OSS error, and a normal upload running at the
// same time is not disturbed. It binds to loopback by default; its admin endpoint is off by
// default, needs the token and answers only on loopback.

import { readdir } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { dirname } from 'node:path';
import { crc64 } from '@ossup/checksum';
import { createClient, fromBytes, type OssClient, upload } from '@ossup/client';
import { type DevServer, parseDevServerArgs, startDevServer } from '@ossup/dev-server';
import { createSigner, encodeKeyForPath } from '@ossup/signer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededBytes } from '../src/seeded.ts';

const KiB = 1024;
const BUCKET = 'secure';
const SECRET = 'dev-server-security-secret';
const CREDS = { accessKeyId: 'sec-id', accessKeySecret: SECRET };

let server: DevServer;
let client: OssClient;
let shift = 0;

beforeAll(async () => {
  server = await startDevServer({
    buckets: [BUCKET],
    credentials: CREDS,
    limits: { minPartSize: 16 * KiB },
    now: () => Date.now() + shift,
    onWarning: () => {},
  });
  client = createClient({ endpoint: server.endpoint, region: server.region, credentials: CREDS });
});
afterAll(async () => {
  await server?.close();
});

interface Answer {
  status: number;
  code: string;
  body: string;
}

async function answer(res: Response): Promise<Answer> {
  const body = await res.text();
  return { status: res.status, code: /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? '', body };
}

/** A raw request with the path exactly as given (no URL normalisation). */
function rawRequest(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Uint8Array,
): Promise<Answer> {
  const url = new URL(server.endpoint);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? '',
            body: text,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const signer = (secret = SECRET, version: 'v1' | 'v4' = 'v4') =>
  createSigner({
    region: 'cn-hangzhou',
    version,
    credentials: { accessKeyId: 'sec-id', accessKeySecret: secret },
  });

async function signed(
  method: string,
  key: string,
  options: { secret?: string; version?: 'v1' | 'v4'; date?: Date; body?: string } = {},
) {
  const s = signer(options.secret, options.version);
  const out = await s.sign(
    { method, bucket: BUCKET, key, headers: { 'content-type': 'text/plain' } },
    options.date === undefined ? {} : { date: options.date },
  );
  return fetch(`${server.endpoint}/${BUCKET}/${encodeKeyForPath(key)}`, {
    method,
    headers: out.headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  }).then(answer);
}

/** A normal upload running while the hostile requests go on: it must not notice them. */
function backgroundUpload() {
  const data = seededBytes('background', 0, 600 * KiB + 3);
  const slow = createClient({
    endpoint: server.endpoint,
    region: server.region,
    credentials: CREDS,
    // Spread it over the hostile requests.
    transport: async (request, options) => {
      await new Promise((r) => setTimeout(r, 30));
      return fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body as Uint8Array | undefined,
        signal: options.signal ?? null,
        ...(request.body === undefined ? {} : { duplex: 'half' }),
      } as RequestInit);
    },
  });
  return {
    data,
    done: upload(slow, {
      source: fromBytes(data),
      bucket: BUCKET,
      key: 'background.bin',
      partSize: 32 * KiB,
      limits: { minPartSize: 16 * KiB },
      parallel: 2,
    }),
  };
}

describe('dev server: hostile requests are refused and do not affect others', () => {
  let background: ReturnType<typeof backgroundUpload>;
  beforeAll(async () => {
    await client.putObject({
      bucket: BUCKET,
      key: 'public/a.txt',
      body: new TextEncoder().encode('hello'),
    });
    background = backgroundUpload();
  });

  it('no signature: 403 AccessDenied (read and write)', async () => {
    expect(await answer(await fetch(`${server.endpoint}/${BUCKET}/public/a.txt`))).toMatchObject({
      status: 403,
      code: 'AccessDenied',
    });
    expect(
      await answer(await fetch(`${server.endpoint}/${BUCKET}/x`, { method: 'PUT', body: 'x' })),
    ).toMatchObject({ status: 403, code: 'AccessDenied' });
  });

  it('wrong signature: 403 SignatureDoesNotMatch (V4 and V1), and a tampered one too', async () => {
    for (const version of ['v4', 'v1'] as const) {
      expect(
        await signed('PUT', 'wrong.txt', { secret: 'not-the-secret', version, body: 'x' }),
      ).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    }
    const out = await signer().sign({ method: 'GET', bucket: BUCKET, key: 'public/a.txt' });
    const auth = out.headers['authorization']!;
    const last = auth.at(-1) === '0' ? '1' : '0';
    const tampered = { ...out.headers, authorization: auth.slice(0, -1) + last };
    expect(
      await answer(await fetch(`${server.endpoint}/${BUCKET}/public/a.txt`, { headers: tampered })),
    ).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    // The same request unmodified is fine: the refusal was for the signature.
    expect(
      (
        await answer(
          await fetch(`${server.endpoint}/${BUCKET}/public/a.txt`, { headers: out.headers }),
        )
      ).status,
    ).toBe(200);
  });

  it('a header-signed request from a clock 20 minutes off: 403 RequestTimeTooSkewed', async () => {
    expect(
      await signed('GET', 'public/a.txt', { date: new Date(Date.now() - 20 * 60_000) }),
    ).toMatchObject({ status: 403, code: 'RequestTimeTooSkewed' });
  });

  it('presigned URL: works before expiry, refused when replayed after it, for another key or another method', async () => {
    for (const version of ['v4', 'v1'] as const) {
      const c = createClient({
        endpoint: server.endpoint,
        region: server.region,
        credentials: CREDS,
        signatureVersion: version,
      });
      const get = await c.presign({ bucket: BUCKET, key: 'public/a.txt', expires: 60 });
      expect((await answer(await fetch(get.url))).status).toBe(200);
      const otherKey = await answer(await fetch(get.url.replace('public/a.txt', 'public/b.txt')));
      expect(otherKey).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
      const otherMethod = await answer(await fetch(get.url, { method: 'PUT', body: 'overwrite' }));
      expect(otherMethod).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
      const del = await answer(await fetch(get.url, { method: 'DELETE' }));
      expect(del).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
      shift = 120_000;
      try {
        expect(await answer(await fetch(get.url))).toMatchObject({
          status: 403,
          code: 'AccessDenied',
        });
      } finally {
        shift = 0;
      }
    }
    // The object is untouched.
    const got = await client.getObject({ bucket: BUCKET, key: 'public/a.txt' });
    expect(await new Response(got.body).text()).toBe('hello');
  });

  it('path-traversal keys stay inside the data directory or are refused', async () => {
    const marker = `ossup-escape-${process.pid}-${Date.now()}`;
    const keys = [
      `../../../../../../tmp/${marker}`,
      `a/../../../${marker}`,
      `..\\..\\..\\${marker}`,
      `./../${marker}/./x`,
      `%2e%2e/%2e%2e/${marker}`,
      `nul\u0000byte/../${marker}`,
      `${'../'.repeat(300)}${marker}`,
    ];
    for (const key of keys) {
      const body = new TextEncoder().encode(`inside ${key.length}`);
      await client.putObject({ bucket: BUCKET, key, body });
      const got = await client.getObject({ bucket: BUCKET, key });
      expect(new Uint8Array(await new Response(got.body).arrayBuffer())).toEqual(body);
    }
    // Literal dot segments in the request path (what a hostile client sends without a URL
    // library): refused or kept inside, never a file outside.
    for (const path of [
      `/${BUCKET}/../../../${marker}`,
      `/${BUCKET}/..%2f..%2f${marker}`,
      `/../../${marker}`,
    ]) {
      const res = await rawRequest('PUT', path, { 'content-length': '1' }, 'x');
      expect(res.status).toBeGreaterThanOrEqual(400);
    }
    expect(
      await rawRequest('PUT', `/${BUCKET}//${marker}`, { 'content-length': '1' }, 'x'),
    ).toMatchObject({ status: 400, code: 'InvalidObjectName' });
    // Nothing named after the marker exists where an escape could have written it: /tmp, the
    // directory around the data directory, the working directory, or inside the data directory
    // (no file name ever comes from a key).
    const shallow = ['/tmp', dirname(server.dataDir), process.cwd()];
    for (const dir of shallow) {
      const names = await readdir(dir).catch(() => [] as string[]);
      expect(names.filter((n) => n.includes(marker))).toEqual([]);
    }
    const inside = await readdir(server.dataDir, { recursive: true });
    expect(inside.filter((n) => String(n).includes(marker))).toEqual([]);
  });

  it('oversized headers: refused, and the server keeps serving', async () => {
    const huge = await new Promise<number>((resolve, reject) => {
      const socket = connect(Number(new URL(server.endpoint).port), '127.0.0.1', () => {
        socket.write(
          `GET /${BUCKET}/public/a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(64 * KiB)}\r\n\r\n`,
        );
      });
      let text = '';
      socket.on('data', (d) => (text += d));
      socket.on('error', reject);
      socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
    });
    expect([400, 431]).toContain(huge);
    const got = await client.getObject({ bucket: BUCKET, key: 'public/a.txt' });
    expect(await new Response(got.body).text()).toBe('hello');
  });

  it('Complete with an XML entity bomb, deep nesting, an element flood or a body over 2 MiB: refused', async () => {
    const { uploadId } = await client.initiateMultipartUpload({
      bucket: BUCKET,
      key: 'xml/target.bin',
    });
    const part = await client.uploadPart({
      bucket: BUCKET,
      key: 'xml/target.bin',
      uploadId,
      partNumber: 1,
      body: new Uint8Array(100),
    });
    const bodies: [string, string, RegExp][] = [
      [
        'entity bomb',
        `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]><CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&lol2;</ETag></Part></CompleteMultipartUpload>`,
        /^(MalformedXML|InvalidArgument)$/,
      ],
      [
        'external entity',
        `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&xxe;</ETag></Part></CompleteMultipartUpload>`,
        /^(MalformedXML|InvalidArgument)$/,
      ],
      [
        'deep nesting',
        `<CompleteMultipartUpload>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</CompleteMultipartUpload>`,
        /^(MalformedXML|InvalidArgument)$/,
      ],
      [
        'element flood (200,000 parts)',
        `<CompleteMultipartUpload>${'<Part><PartNumber>1</PartNumber><ETag>x</ETag></Part>'.repeat(200_000)}</CompleteMultipartUpload>`,
        /^(MalformedXML|InvalidArgument|EntityTooLarge|InvalidPart)$/,
      ],
      [
        '2 MiB + 1 of body',
        `<CompleteMultipartUpload>${' '.repeat(2 * 1024 * 1024)}</CompleteMultipartUpload>`,
        /^(MalformedXML|InvalidArgument|EntityTooLarge)$/,
      ],
    ];
    const s = signer();
    for (const [what, xml, code] of bodies) {
      const out = await s.sign({
        method: 'POST',
        bucket: BUCKET,
        key: 'xml/target.bin',
        query: { uploadId },
        headers: { 'content-type': 'application/xml' },
      });
      const res = await answer(
        await fetch(
          `${server.endpoint}/${BUCKET}/xml/target.bin?uploadId=${encodeURIComponent(uploadId)}`,
          { method: 'POST', headers: out.headers, body: xml },
        ),
      );
      expect({ what, status: res.status }).toEqual({ what, status: 400 });
      expect(res.code).toMatch(code);
      expect(res.body).not.toContain('root:');
    }
    // The upload is intact and completes normally.
    const done = await client.completeMultipartUpload({
      bucket: BUCKET,
      key: 'xml/target.bin',
      uploadId,
      parts: [{ partNumber: 1, etag: part.etag }],
    });
    expect(done.etag).toMatch(/-1$/);
  });

  it('the upload that ran meanwhile completed byte for byte', async () => {
    const result = await background.done;
    expect(result.crc64).toBe(crc64(background.data));
    const got = await client.getObject({ bucket: BUCKET, key: 'background.bin' });
    expect(
      Buffer.from(await new Response(got.body).arrayBuffer()).equals(Buffer.from(background.data)),
    ).toBe(true);
  });
});

function externalAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('dev server: exposure', () => {
  it('binds to 127.0.0.1 by default (library and CLI), unreachable from other interfaces', async () => {
    expect(server.host).toBe('127.0.0.1');
    const parsed = parseDevServerArgs([], {});
    expect(parsed.kind).toBe('run');
    if (parsed.kind === 'run') expect(parsed.options.host ?? '127.0.0.1').toBe('127.0.0.1');
    const external = externalAddress();
    if (external !== undefined) expect(await connects(external, server.port)).toBe(false);
    expect(await connects('127.0.0.1', server.port)).toBe(true);
  });

  it('admin endpoint: 404 when off; with it on, 401 without or with a wrong token, 403 from a non-loopback address', async () => {
    expect((await fetch(`${server.endpoint}/_ossup/health`)).status).toBe(404);
    const admin = await startDevServer({ admin: true, host: '0.0.0.0', onWarning: () => {} });
    try {
      const local = `http://127.0.0.1:${admin.port}/_ossup/faults`;
      expect((await fetch(local)).status).toBe(401);
      expect((await fetch(local, { headers: { 'x-ossup-admin-token': 'guess' } })).status).toBe(
        401,
      );
      expect(
        (await fetch(local, { headers: { 'x-ossup-admin-token': admin.admin!.token } })).status,
      ).toBe(200);
      const external = externalAddress();
      if (external !== undefined) {
        const remote = await fetch(`http://${external}:${admin.port}/_ossup/faults`, {
          headers: { 'x-ossup-admin-token': admin.admin!.token },
        });
        expect(remote.status).toBe(403);
        // Adding a fault from outside must not have worked either.
        const add = await fetch(`http://${external}:${admin.port}/_ossup/faults`, {
          method: 'POST',
          headers: { 'x-ossup-admin-token': admin.admin!.token },
          body: JSON.stringify({ action: { kind: 'status', status: 503 } }),
        });
        expect(add.status).toBe(403);
        expect(admin.faults.list()).toEqual([]);
      }
    } finally {
      await admin.close();
    }
  });
});
