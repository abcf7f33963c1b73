// A discard-everything server that answers just enough of the OSS multipart protocol for
// ossup, ali-oss and the raw client: the client under test is measured, not a server.
// Run as a child process (see child.ts); it reports {type:'ready', endpoint}, answers
// {type:'stats'} with its CPU, RSS and byte counts, and exits on {type:'stop'}.
//
// What it answers (path style `/bucket/key` or ali-oss's virtual host
// `bucket.oss-<region>.aliyuncs.com` with path `/key`):
//   POST ?uploads            InitiateMultipartUploadResult with a fresh UploadId
//   PUT  ?partNumber&uploadId  body read and dropped; 200 with a fake (but well-formed) ETag
//   POST ?uploadId            CompleteMultipartUploadResult; ETag "<hex>-<parts>"
//   HEAD                      200 with the size of the last completed object under that key
//   DELETE                    204
// It computes no checksum and sends no `x-oss-hash-crc64ecma`: the client computes its CRC-64
// of every part all the same (ossup hashes each part while sending it, whether or not the
// server sends one; with contentMd5 it computes the MD5 instead), it only skips the
// comparison, and checks the whole object with one HeadObject. So the sink does no hashing
// work and the client does all of its own.

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Message, toParent } from './child.ts';
import { processStats } from './proc-stats.ts';

let bodyBytes = 0;
let requests = 0;
const uploads = new Map<string, { bytes: number; parts: number }>();
const objects = new Map<string, number>();

function target(req: IncomingMessage, url: URL): { bucket: string; key: string } {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  const path = decodeURIComponent(url.pathname.slice(1));
  const virtual = /^([a-z0-9-]+)\.oss-[a-z0-9-]+\.aliyuncs\.com$/.exec(host);
  if (virtual !== null) return { bucket: virtual[1]!, key: path };
  const slash = path.indexOf('/');
  return slash < 0
    ? { bucket: path, key: '' }
    : { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

function xml(res: ServerResponse, body: string, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
  res.writeHead(200, {
    'content-type': 'application/xml',
    'content-length': String(bytes.byteLength),
    ...headers,
  });
  res.end(bytes);
}

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function fakeEtag(seed: number): string {
  return seed.toString(16).padStart(8, '0').repeat(4).toUpperCase();
}

/** Reads the body, counting and dropping it. */
function drain(req: IncomingMessage): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    req.on('data', (chunk: Buffer) => {
      n += chunk.byteLength;
    });
    req.on('end', () => resolve(n));
    req.on('error', reject);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  requests++;
  const url = new URL(req.url ?? '/', 'http://sink');
  const q = url.searchParams;
  const { bucket, key } = target(req, url);
  const base = { 'x-oss-request-id': randomBytes(12).toString('hex').toUpperCase() };
  const n = await drain(req);
  bodyBytes += n;
  const method = req.method ?? 'GET';
  if (method === 'POST' && q.has('uploads')) {
    const uploadId = randomBytes(16).toString('hex').toUpperCase();
    uploads.set(uploadId, { bytes: 0, parts: 0 });
    xml(
      res,
      `<InitiateMultipartUploadResult><Bucket>${escapeXml(bucket)}</Bucket><Key>${escapeXml(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
      base,
    );
    return;
  }
  const uploadId = q.get('uploadId');
  if (method === 'PUT' && uploadId !== null && q.has('partNumber')) {
    const upload = uploads.get(uploadId);
    if (upload !== undefined) {
      upload.bytes += n;
      upload.parts++;
    }
    res.writeHead(200, {
      ...base,
      etag: `"${fakeEtag(Number(q.get('partNumber')))}"`,
      'content-length': '0',
    });
    res.end();
    return;
  }
  if (method === 'POST' && uploadId !== null) {
    const upload = uploads.get(uploadId) ?? { bytes: 0, parts: 0 };
    uploads.delete(uploadId);
    objects.set(`${bucket}/${key}`, upload.bytes);
    const etag = `${fakeEtag(upload.bytes)}-${upload.parts}`;
    xml(
      res,
      `<CompleteMultipartUploadResult><Location>http://${escapeXml(req.headers.host ?? '')}/${escapeXml(key)}</Location><Bucket>${escapeXml(bucket)}</Bucket><Key>${escapeXml(key)}</Key><ETag>"${etag}"</ETag></CompleteMultipartUploadResult>`,
      { ...base, etag: `"${etag}"` },
    );
    return;
  }
  if (method === 'HEAD') {
    const size = objects.get(`${bucket}/${key}`);
    res.writeHead(size === undefined ? 404 : 200, {
      ...base,
      'content-length': String(size ?? 0),
      etag: `"${fakeEtag(size ?? 0)}-1"`,
      'x-oss-object-type': 'Multipart',
    });
    res.end();
    return;
  }
  if (method === 'DELETE') {
    if (uploadId !== null) uploads.delete(uploadId);
    else objects.delete(`${bucket}/${key}`);
    res.writeHead(204, base);
    res.end();
    return;
  }
  const body = Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NotImplemented</Code><Message>The benchmark sink does not implement this.</Message></Error>',
  );
  res.writeHead(501, {
    ...base,
    'content-type': 'application/xml',
    'content-length': String(body.byteLength),
  });
  res.end(body);
}

const server = createServer({ keepAliveTimeout: 30_000, requestTimeout: 0 }, (req, res) => {
  handle(req, res).catch(() => res.destroy());
});
server.on('connection', (socket) => socket.setNoDelay(true));
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  toParent({ type: 'ready', endpoint: `http://127.0.0.1:${port}`, port });
});

process.on('message', (raw) => {
  const message = raw as Message;
  if (message.type === 'stats') {
    toParent({ type: 'stats', ...processStats(), bodyBytes, requests });
  } else if (message.type === 'stop') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
