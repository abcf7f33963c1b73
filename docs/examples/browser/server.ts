// The backend of the browser example: serves the page, bundles main.ts for the browser,
// and hands the page short-lived credentials. It also starts a local OSS-compatible server,
// so the example runs without a cloud account.
//
//   npx tsx server.ts          then open the URL it prints
//
// With real OSS, /config returns your endpoint and bucket, and /credentials calls STS
// AssumeRole with a policy limited to what the user may write (see docs/credentials.md).
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type DevServer, startDevServer } from '@ossup/dev-server';
import { build } from 'esbuild';

const BUCKET = 'uploads';

/** Starts the example on `port` (0 = any free port); also used by the docs' tests. */
export async function startExample(port = 8080): Promise<{
  url: string;
  oss: DevServer;
  close: () => Promise<void>;
}> {
  const oss = await startDevServer({ buckets: [BUCKET] });
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('main.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    // Inside the ossup repository this picks the packages' TypeScript sources (no build
    // needed); published packages have no such condition and resolve as usual.
    conditions: ['source'],
  });
  const script = bundle.outputFiles[0]!.text;
  const page = await readFile(new URL('index.html', import.meta.url));

  const server: Server = createServer((req, res) => {
    const send = (type: string, body: string | Uint8Array) => {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method === 'GET' && req.url === '/') return send('text/html; charset=utf-8', page);
    if (req.method === 'GET' && req.url === '/main.js') return send('text/javascript', script);
    if (req.method === 'GET' && req.url === '/config') {
      return send(
        'application/json',
        JSON.stringify({ endpoint: oss.endpoint, region: oss.region, bucket: BUCKET }),
      );
    }
    if (req.method === 'POST' && req.url === '/credentials') {
      // Authenticate your user here. The dev server issues STS-style credentials that
      // expire like real ones; with OSS, call STS AssumeRole instead.
      const { accessKeyId, accessKeySecret, securityToken, expiration } =
        oss.issueTemporaryCredentials({ durationSeconds: 900 });
      return send(
        'application/json',
        JSON.stringify({ accessKeyId, accessKeySecret, securityToken, expiration }),
      );
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const close = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await oss.close();
  };
  return { url, oss, close };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await startExample(Number(process.env['PORT'] ?? 8080));
  console.log(`Open ${url} (Ctrl-C stops; uploads are kept in a temporary directory until then)`);
}
