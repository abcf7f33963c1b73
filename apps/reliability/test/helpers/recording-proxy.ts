import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A loopback HTTP proxy in front of a server that records every `Authorization` header and
 * presigned signature it forwards, so a test can look for those signatures in a child
 * process's output (the CLI signs inside its own process, out of the test's reach).
 */
export interface RecordingProxy {
  endpoint: string;
  /** Signature values seen (V4 hex, V1 base64), never empty strings. */
  signatures: Set<string>;
  close(): Promise<void>;
}

/** Extracts the signature from an Authorization header (V4 or V1) or a presigned query. */
export function signatureOf(authorization: string | undefined, url: string): string[] {
  const found: string[] = [];
  const v4 = /Signature=([0-9a-fA-F]+)/.exec(authorization ?? '');
  if (v4?.[1]) found.push(v4[1]);
  const v1 = /^OSS [^:]+:(.+)$/.exec(authorization ?? '');
  if (v1?.[1]) found.push(v1[1]);
  const q = new URL(url, 'http://x').searchParams;
  for (const name of ['Signature', 'x-oss-signature']) {
    const v = q.get(name);
    if (v) found.push(v);
  }
  return found;
}

/** Starts a {@link RecordingProxy} that forwards to `target` (an `http://host:port` origin). */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const signatures = new Set<string>();
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    for (const s of signatureOf(req.headers.authorization, req.url ?? '/')) signatures.add(s);
    const out = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
    req.on('aborted', () => out.destroy());
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    signatures,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
