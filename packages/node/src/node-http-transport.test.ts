import { createHash, randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type NodeHttpTransport, nodeHttpTransport } from './node-http-transport.ts';

interface TestServer {
  url: string;
  server: Server;
  connections: number;
  sockets: Set<Socket>;
  close(): Promise<void>;
}

const servers: TestServer[] = [];
const transports: NodeHttpTransport[] = [];

afterEach(async () => {
  for (const t of transports.splice(0)) t.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: RequestListener): Promise<TestServer> {
  const server: Server = createServer(handler);
  const sockets = new Set<Socket>();
  const state: TestServer = {
    url: '',
    server,
    connections: 0,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  server.on('connection', (socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  servers.push(state);
  return state;
}

function transport(options: Parameters<typeof nodeHttpTransport>[0] = {}): NodeHttpTransport {
  const t = nodeHttpTransport(options);
  transports.push(t);
  return t;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('nodeHttpTransport', () => {
  it('returns a WHATWG Response with status, headers and body', async () => {
    const server = await serve((req, res) => {
      res.setHeader('x-oss-request-id', 'RID1');
      res.setHeader('x-echo', `${req.method} ${req.url} ${req.headers['x-custom']}`);
      res.statusCode = 404;
      res.statusMessage = 'Not Found';
      res.end('<Error><Code>NoSuchKey</Code></Error>');
    });
    const res = await transport()(
      { method: 'GET', url: `${server.url}/b/k%20ey?x=1`, headers: { 'X-Custom': 'v' } },
      {},
    );
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(404);
    expect(res.statusText).toBe('Not Found');
    expect(res.headers.get('x-oss-request-id')).toBe('RID1');
    expect(res.headers.get('x-echo')).toBe('GET /b/k%20ey?x=1 v');
    expect(await res.text()).toBe('<Error><Code>NoSuchKey</Code></Error>');
  });

  it('sends a Uint8Array body with Content-Length and reports progress up to its length', async () => {
    let received: { length: string | undefined; te: string | undefined; hash: string } | undefined;
    const server = await serve(async (req, res) => {
      const body = await readBody(req);
      received = {
        length: req.headers['content-length'],
        te: req.headers['transfer-encoding'],
        hash: sha256(body),
      };
      res.setHeader('etag', '"E"');
      res.end();
    });
    const body = randomBytes(5 * 1024 * 1024 + 17);
    const events: number[] = [];
    const res = await transport({ chunkSize: 256 * 1024 })(
      { method: 'PUT', url: `${server.url}/b/k`, headers: {}, body },
      { onUploadProgress: (n) => events.push(n) },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"E"');
    expect(received).toEqual({
      length: String(body.length),
      te: undefined,
      hash: sha256(body),
    });
    expect(events.length).toBeGreaterThan(10);
    for (let i = 0; i < events.length; i++) {
      const step = events[i]! - (i === 0 ? 0 : events[i - 1]!);
      expect(step).toBeGreaterThan(0);
      expect(step).toBeLessThanOrEqual(256 * 1024);
    }
    expect(events.at(-1)).toBe(body.length);
  });

  it('streams a ReadableStream body when Content-Length is given', async () => {
    let got: { length: string | undefined; hash: string } | undefined;
    const server = await serve(async (req, res) => {
      const body = await readBody(req);
      got = { length: req.headers['content-length'], hash: sha256(body) };
      res.end('ok');
    });
    const data = randomBytes(3_000_000);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let off = 0; off < data.length; off += 700_000)
          c.enqueue(data.subarray(off, off + 700_000));
        c.close();
      },
    });
    const events: number[] = [];
    const res = await transport()(
      {
        method: 'PUT',
        url: `${server.url}/s`,
        headers: { 'Content-Length': String(data.length) },
        body: stream,
      },
      { onUploadProgress: (n) => events.push(n) },
    );
    expect(await res.text()).toBe('ok');
    expect(got).toEqual({ length: String(data.length), hash: sha256(data) });
    expect(events.at(-1)).toBe(data.length);
  });

  it('rejects with the body stream error when the stream fails', async () => {
    const server = await serve(async (req, res) => {
      await readBody(req).catch(() => {});
      res.end();
    });
    const boom = new Error('source broke');
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (++pulls > 3) c.error(boom);
        else c.enqueue(new Uint8Array(1000));
      },
    });
    const err = await errorOf(
      transport()(
        {
          method: 'PUT',
          url: `${server.url}/s`,
          headers: { 'content-length': '100000' },
          body: stream,
        },
        {},
      ),
    );
    expect(err).toBe(boom);
  });

  it('sends Content-Length: 0 for an empty PUT and refuses a mismatched Content-Length', async () => {
    let length: string | undefined;
    const server = await serve((req, res) => {
      length = req.headers['content-length'];
      req.resume();
      req.on('end', () => res.end());
    });
    const t = transport();
    await t({ method: 'PUT', url: `${server.url}/e`, headers: {} }, {});
    expect(length).toBe('0');
    await expect(
      t(
        {
          method: 'PUT',
          url: `${server.url}/e`,
          headers: { 'content-length': '5' },
          body: new Uint8Array(4),
        },
        {},
      ),
    ).rejects.toThrow(/differs from the body length/);
  });

  it('resolves with an early error answer and stops sending the rest of the body', async () => {
    let bodyBytes = 0;
    const server = await serve((req, res) => {
      req.on('data', (c: Buffer) => {
        bodyBytes += c.length;
      });
      if (req.url === '/denied') {
        res.statusCode = 403;
        res.end('<Error><Code>AccessDenied</Code></Error>');
      } else {
        req.on('end', () => res.end('fine'));
      }
    });
    const t = transport();
    const body = new Uint8Array(64 * 1024 * 1024);
    const res = await t({ method: 'PUT', url: `${server.url}/denied`, headers: {}, body }, {});
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('<Error><Code>AccessDenied</Code></Error>');
    expect(bodyBytes).toBeLessThan(body.length);
    // The transport stays usable (the half-sent connection is not reused).
    const ok = await t(
      { method: 'PUT', url: `${server.url}/ok`, headers: {}, body: new Uint8Array(10) },
      {},
    );
    expect(await ok.text()).toBe('fine');
  });

  it('honours Expect: 100-continue: no body before 100, none at all after a refusal', async () => {
    const received: Record<string, number> = {};
    const server = await serve((_req, res) => res.end('unused'));
    // With a checkContinue listener, Node leaves the 100 Continue decision to the server.
    server.server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
      received[req.url!] = 0;
      req.on('data', (c: Buffer) => {
        received[req.url!]! += c.length;
      });
      if (req.url === '/refuse') {
        res.statusCode = 403;
        res.end('no');
      } else {
        res.writeContinue();
        req.on('end', () => res.end('yes'));
      }
    });
    const t = transport();
    const body = randomBytes(2 * 1024 * 1024);
    const headers = { Expect: '100-continue' };
    const refused = await t({ method: 'PUT', url: `${server.url}/refuse`, headers, body }, {});
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe('no');
    expect(received['/refuse']).toBe(0);
    const events: number[] = [];
    const accepted = await t(
      { method: 'PUT', url: `${server.url}/accept`, headers, body },
      { onUploadProgress: (n) => events.push(n) },
    );
    expect(await accepted.text()).toBe('yes');
    expect(received['/accept']).toBe(body.length);
    expect(events.at(-1)).toBe(body.length);
  });

  it('gives HEAD and 204 responses a null body', async () => {
    const server = await serve((req, res) => {
      if (req.method === 'HEAD') {
        res.setHeader('content-length', '1234');
        res.end();
      } else {
        res.statusCode = 204;
        res.end();
      }
    });
    const t = transport();
    const head = await t({ method: 'HEAD', url: `${server.url}/h`, headers: {} }, {});
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('1234');
    expect(head.body).toBeNull();
    const del = await t({ method: 'DELETE', url: `${server.url}/d`, headers: {} }, {});
    expect(del.status).toBe(204);
    expect(del.body).toBeNull();
  });

  it('reuses one keep-alive connection for sequential requests', async () => {
    const server = await serve(async (req, res) => {
      await readBody(req);
      res.end('x');
    });
    const t = transport();
    for (let i = 0; i < 10; i++) {
      const res = await t(
        { method: 'PUT', url: `${server.url}/k${i}`, headers: {}, body: new Uint8Array(1000) },
        {},
      );
      await res.text();
    }
    expect(server.connections).toBe(1);
  });

  it('opens at most maxSockets connections', async () => {
    let inFlight = 0;
    let peak = 0;
    const server = await serve(async (req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await readBody(req);
      await sleep(20);
      inFlight--;
      res.end();
    });
    const t = transport({ maxSockets: 3 });
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const res = await t(
          { method: 'PUT', url: `${server.url}/p${i}`, headers: {}, body: new Uint8Array(10) },
          {},
        );
        await res.arrayBuffer();
      }),
    );
    expect(peak).toBe(3);
    expect(server.connections).toBe(3);
  });

  it('rejects at once with the reason when the signal is already aborted', async () => {
    const server = await serve((_req, res) => res.end());
    const controller = new AbortController();
    const reason = new Error('cancelled by user');
    controller.abort(reason);
    const err = await errorOf(
      transport()(
        { method: 'GET', url: `${server.url}/x`, headers: {} },
        { signal: controller.signal },
      ),
    );
    expect(err).toBe(reason);
    expect(server.connections).toBe(0);
  });

  it('aborts mid-body: rejects with the reason and closes the connection', async () => {
    let serverSawClose: Promise<void> | undefined;
    let serverGot = 0;
    const server = await serve((req) => {
      // Read a little, then stop reading so the client's writes back up.
      serverSawClose = new Promise((resolve) => req.socket.on('close', () => resolve()));
      req.on('data', (c: Buffer) => {
        serverGot += c.length;
        if (serverGot > 1 << 20) req.pause();
      });
    });
    const controller = new AbortController();
    const reason = new DOMException('user pressed stop', 'AbortError');
    const body = new Uint8Array(256 * 1024 * 1024);
    const events: number[] = [];
    const pending = transport()(
      { method: 'PUT', url: `${server.url}/big`, headers: {}, body },
      {
        signal: controller.signal,
        onUploadProgress: (n) => {
          events.push(n);
          // At the first slice: it goes out alone, but later ones may queue 4 MiB ahead
          // and go as one batch, which a server that stops reading after 1 MiB never takes.
          if (events.length === 1) controller.abort(reason);
        },
      },
    );
    const err = await errorOf(pending);
    expect(err).toBe(reason);
    await serverSawClose;
    expect(events.at(-1)!).toBeLessThan(body.length);
    const settledCount = events.length;
    await sleep(20);
    // No progress after the abort.
    expect(events.length).toBe(settledCount);
  });

  it('aborting while the response body streams errors the body with the reason', async () => {
    const server = await serve((_req, res) => {
      res.write(randomBytes(64 * 1024));
      // Never ends: the client must cut it.
    });
    const controller = new AbortController();
    const res = await transport()(
      { method: 'GET', url: `${server.url}/stream`, headers: {} },
      { signal: controller.signal },
    );
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    const reason = new Error('stop reading');
    controller.abort(reason);
    const err = await errorOf(
      (async () => {
        for (;;) if ((await reader.read()).done) break;
      })(),
    );
    expect(err).toBe(reason);
  });

  it('rejects with a network TypeError when the server resets the connection', async () => {
    const server = await serve((req) => {
      req.socket.resetAndDestroy();
    });
    const err = await errorOf(
      transport()(
        {
          method: 'PUT',
          url: `${server.url}/b/k?uploadId=1&Signature=SECRETSIG`,
          headers: {},
          body: randomBytes(4 * 1024 * 1024),
        },
        {},
      ),
    );
    expect(err).toBeInstanceOf(TypeError);
    expect((err as TypeError).message).toContain(`PUT ${server.url}/b/k`);
    expect((err as TypeError).message).not.toContain('SECRETSIG');
    const code = ((err as TypeError).cause as { code?: string }).code;
    expect(['ECONNRESET', 'EPIPE']).toContain(code);
  });

  it('rejects with a network TypeError when nothing listens', async () => {
    const server = await serve((_req, res) => res.end());
    const url = server.url;
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const err = await errorOf(transport()({ method: 'GET', url: `${url}/x`, headers: {} }, {}));
    expect(err).toBeInstanceOf(TypeError);
    expect(((err as TypeError).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('errors the response body when the connection dies mid-body', async () => {
    const server = await serve((req, res) => {
      res.setHeader('content-length', String(10 * 1024 * 1024));
      res.write(randomBytes(1024 * 1024), () => {
        setTimeout(() => req.socket.resetAndDestroy(), 10);
      });
    });
    const res = await transport()({ method: 'GET', url: `${server.url}/cut`, headers: {} }, {});
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toThrow();
  });

  it('streams a large response body with backpressure instead of buffering it', async () => {
    const total = 96 * 1024 * 1024;
    const block = randomBytes(64 * 1024);
    let written = 0;
    const server = await serve((_req, res) => {
      res.setHeader('content-length', String(total));
      const pump = () => {
        while (written < total) {
          written += block.length;
          if (!res.write(block)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const res = await transport()({ method: 'GET', url: `${server.url}/large`, headers: {} }, {});
    const reader = res.body!.getReader();
    const hash = createHash('sha256');
    let read = 0;
    let maxAhead = 0;
    let chunks = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      hash.update(value);
      read += value.byteLength;
      // A consumer that stalls: without backpressure the whole body would pile up in the
      // stream while it sleeps; with it, the server is held back to a few socket buffers.
      if (++chunks % 256 === 1) {
        await sleep(150);
        maxAhead = Math.max(maxAhead, written - read);
      }
    }
    expect(read).toBe(total);
    const expected = createHash('sha256');
    for (let i = 0; i < total / block.length; i++) expected.update(block);
    expect(hash.digest('hex')).toBe(expected.digest('hex'));
    expect(maxAhead).toBeLessThan(24 * 1024 * 1024);
  });

  it('close() ends idle keep-alive sockets and leaves running requests alone', async () => {
    let release: (() => void) | undefined;
    const server = await serve((req, res: ServerResponse) => {
      if (req.url === '/slow') release = () => res.end('slow done');
      else res.end('x');
    });
    const t = transport();
    await (await t({ method: 'GET', url: `${server.url}/a`, headers: {} }, {})).text();
    expect(server.sockets.size).toBe(1);
    const idle = [...server.sockets][0]!;
    const idleClosed = new Promise<void>((resolve) => idle.on('close', () => resolve()));
    t.close();
    await idleClosed;
    expect(server.sockets.size).toBe(0);

    const slow = t({ method: 'GET', url: `${server.url}/slow`, headers: {} }, {});
    while (release === undefined) await sleep(5);
    t.close();
    release();
    expect(await (await slow).text()).toBe('slow done');
  });

  it('validates its options and the URL', async () => {
    expect(() => nodeHttpTransport({ maxSockets: 0 })).toThrow(RangeError);
    const t = transport();
    await expect(t({ method: 'GET', url: 'ftp://x/y', headers: {} }, {})).rejects.toThrow(
      /unsupported protocol/,
    );
    await expect(t({ method: 'GET', url: 'not a url', headers: {} }, {})).rejects.toThrow(
      TypeError,
    );
  });
});
