import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the hostile server does with the next request. */
export type Behaviour =
  | { kind: 'answer'; status: number; headers?: Record<string, string>; body?: string | Uint8Array }
  /** Sends the headers and part of the body, then cuts the connection. */
  | {
      kind: 'truncate';
      status: number;
      headers?: Record<string, string>;
      body: string;
      keep: number;
    }
  /** Accepts the request and never answers. */
  | { kind: 'hang' };

/** A loopback HTTP server that answers what a test scripts, as a broken proxy or server would. */
export interface HostileServer {
  endpoint: string;
  /** Every request seen: method and URL. */
  seen: { method: string; url: string }[];
  /** Sets what every request gets from now on. */
  behave(behaviour: Behaviour | ((req: IncomingMessage) => Behaviour)): void;
  close(): Promise<void>;
}

/** Starts a {@link HostileServer} on 127.0.0.1. */
export async function startHostileServer(): Promise<HostileServer> {
  let behaviour: Behaviour | ((req: IncomingMessage) => Behaviour) = { kind: 'hang' };
  const seen: { method: string; url: string }[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '' });
    const b = typeof behaviour === 'function' ? behaviour(req) : behaviour;
    req.resume();
    req.on('end', () => {
      if (b.kind === 'hang') return;
      const headers = { 'x-oss-request-id': '5F0000000000000000000001', ...(b.headers ?? {}) };
      if (b.kind === 'answer') {
        const body = b.body ?? '';
        res.writeHead(b.status, {
          'content-length': String(
            typeof body === 'string' ? Buffer.byteLength(body) : body.length,
          ),
          ...headers,
        });
        res.end(body);
        return;
      }
      res.writeHead(b.status, { 'content-length': String(Buffer.byteLength(b.body)), ...headers });
      res.write(b.body.slice(0, b.keep), () => res.socket?.destroy());
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    behave: (next) => {
      behaviour = next;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
