// `pnpm --filter web-uploader dev`: starts the local OSS dev server, the page's backend and
// the page (Vite, live TypeScript) on loopback, and prints the URL to open.
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { APP_DIR, startWebUploader } from '../server/start.ts';

const USAGE = `Usage: pnpm --filter web-uploader dev [-- options]

  --port N         port of the page and its backend (default 5173; 0 = any free port)
  --oss-port N     port of the local OSS dev server (default 9100; 0 = any free port)
  --data DIR       where the dev server keeps objects (default ~/.cache/ossup/web-uploader)
  --ephemeral      keep objects in a temporary directory deleted on exit
  --mode MODE      auth mode the page starts in: sts (default) or signer
  --part-size MiB  part size (default 8)
  --static         build the page with Vite, then serve dist/ (what a deployment would)
  -h, --help       this text`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function port(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) fail(`${name} must be a port number.`);
  return n;
}

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: {
      port: { type: 'string' },
      'oss-port': { type: 'string' },
      data: { type: 'string' },
      ephemeral: { type: 'boolean' },
      mode: { type: 'string' },
      'part-size': { type: 'string' },
      static: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
}
try {
  args = parse();
} catch (error) {
  fail((error as Error).message);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const mode = args.mode ?? 'sts';
if (mode !== 'sts' && mode !== 'signer') fail('--mode must be sts or signer.');
const partSizeMiB = args['part-size'] === undefined ? 8 : Number(args['part-size']);
if (!(partSizeMiB >= 0.1 && partSizeMiB <= 5120)) fail('--part-size must be 0.1 to 5120 (MiB).');

function cacheDir(): string {
  try {
    return join(
      process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache'),
      'ossup',
      'web-uploader',
    );
  } catch {
    return join(tmpdir(), 'ossup-web-uploader');
  }
}
const dataDir = args.ephemeral ? undefined : (args.data ?? cacheDir());

let page: { kind: 'vite' } | { kind: 'static'; dir: string } = { kind: 'vite' };
if (args.static) {
  console.log('Building the page…');
  await build({ configFile: join(APP_DIR, 'vite.config.ts'), logLevel: 'warn' });
  page = { kind: 'static', dir: join(APP_DIR, 'dist') };
}

const app = await startWebUploader({
  port: port(args.port, 5173, '--port'),
  page,
  devServerOptions: {
    port: port(args['oss-port'], 9100, '--oss-port'),
    ...(dataDir === undefined ? {} : { dataDir }),
  },
  backend: { defaultMode: mode, partSize: Math.round(partSizeMiB * 1024 * 1024) },
}).catch((error: unknown) => {
  const e = error as { code?: string; name?: string; message?: string };
  if (e.code === 'EADDRINUSE') {
    fail(`A port is in use (${e.message}); pick others with --port / --oss-port.`);
  }
  if (e.name === 'DataDirInUseError') {
    fail(`${e.message} Stop the other instance, or use --data DIR or --ephemeral.`);
  }
  throw error;
});

const { devServer, backend } = app;
console.log(`
  ossup web uploader

  Page      ${app.url}
  OSS       ${devServer.endpoint}  (local dev server; bucket ${backend.config.bucket}, region ${devServer.region})
  Data      ${dataDir ?? `${devServer.dataDir} (deleted on exit)`}
  Auth      starts in ${mode === 'sts' ? 'STS mode (backend issues short-lived credentials)' : 'remote-signer mode (backend signs each request)'}; switch on the page
  Page from ${page.kind === 'vite' ? 'Vite (live TypeScript)' : 'dist/ (vite build)'}

  Open the page, drop a file. Ctrl+C stops everything.
`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  await app.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
