// The ceiling of `pnpm bench server`: a minimal node:http server that stores every request
// body in a file of its own, with the dev server's I/O pattern and none of its work (no auth,
// no hashing, no XML, no metadata). argv[2]: directory; argv[3]: `fsync` (like the dev server:
// write to <id>.tmp, fdatasync, close, rename, fsync the directory) or `no-fsync` (write,
// close, rename). Writes go out as vectored writes of at least 1 MiB, and the request is
// paused while 8 MiB wait for the disk, as the dev server's InlineSink does.
// Reports {type:'ready', endpoint}, answers {type:'stats'}, exits on {type:'stop'}.

import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Message, toParent } from './child.ts';
import { processStats } from './proc-stats.ts';

const dir = process.argv[2]!;
const fsync = process.argv[3] === 'fsync';
const BATCH = 1 << 20;
const MAX_BUFFERED = 8 << 20;
let bodyBytes = 0;

async function fsyncDir(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function writeAll(fh: FileHandle, chunks: Buffer[]): Promise<void> {
  let list: Buffer[] = chunks;
  let total = 0;
  for (const c of list) total += c.byteLength;
  while (total > 0) {
    const { bytesWritten } = await fh.writev(list);
    total -= bytesWritten;
    if (total === 0) break;
    // A short write: drop what went out and go on with the rest.
    let skip = bytesWritten;
    const rest: Buffer[] = [];
    for (const c of list) {
      if (skip >= c.byteLength) {
        skip -= c.byteLength;
        continue;
      }
      rest.push(skip > 0 ? c.subarray(skip) : c);
      skip = 0;
    }
    list = rest;
  }
}

/** Streams the body into a new file, with backpressure; resolves with its length. */
async function store(req: IncomingMessage): Promise<number> {
  const id = randomBytes(16).toString('hex');
  const tmp = join(dir, `${id}.tmp`);
  const fh = await open(tmp, 'wx', 0o600);
  try {
    const size = await new Promise<number>((resolve, reject) => {
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let writing: Promise<void> | undefined;
      let ended = false;
      let total = 0;
      const flush = () => {
        const batch = pending;
        pending = [];
        pendingBytes = 0;
        writing = writeAll(fh, batch).then(() => {
          writing = undefined;
          if (pendingBytes >= BATCH || (ended && pendingBytes > 0)) flush();
          else if (ended) resolve(total);
          else if (req.isPaused()) req.resume();
        }, reject);
      };
      req.on('data', (chunk: Buffer) => {
        total += chunk.byteLength;
        pending.push(chunk);
        pendingBytes += chunk.byteLength;
        if (pendingBytes >= BATCH && writing === undefined) flush();
        if (pendingBytes >= MAX_BUFFERED) req.pause();
      });
      req.on('end', () => {
        ended = true;
        if (writing === undefined) {
          if (pendingBytes > 0) flush();
          else resolve(total);
        }
      });
      req.on('error', reject);
    });
    if (fsync) await fh.datasync();
    await fh.close();
    await rename(tmp, join(dir, id));
    if (fsync) await fsyncDir(dir);
    return size;
  } catch (err) {
    await fh.close().catch(() => {});
    throw err;
  }
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sink');
  if (req.method === 'PUT') {
    bodyBytes += await store(req);
    res.writeHead(200, { etag: `"${randomBytes(16).toString('hex')}"`, 'content-length': '0' });
    res.end();
    return;
  }
  req.resume();
  await new Promise((resolve) => req.on('end', resolve));
  if (req.method === 'POST' && url.searchParams.has('uploads')) {
    const body = Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?>\n<InitiateMultipartUploadResult><Bucket>bench</Bucket><Key>k</Key><UploadId>${randomBytes(16).toString('hex')}</UploadId></InitiateMultipartUploadResult>`,
    );
    res.writeHead(200, {
      'content-type': 'application/xml',
      'content-length': String(body.byteLength),
    });
    res.end(body);
    return;
  }
  res.writeHead(204);
  res.end();
}

const server = createServer({ keepAliveTimeout: 30_000, requestTimeout: 0 }, (req, res) => {
  handle(req, res).catch((err: unknown) => {
    console.error(`disk sink: ${String(err)}`);
    res.destroy();
  });
});
server.on('connection', (socket) => socket.setNoDelay(true));
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  toParent({ type: 'ready', endpoint: `http://127.0.0.1:${port}` });
});

process.on('message', (raw) => {
  const message = raw as Message;
  if (message.type === 'stats') toParent({ type: 'stats', ...processStats(), bodyBytes });
  else if (message.type === 'stop') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
