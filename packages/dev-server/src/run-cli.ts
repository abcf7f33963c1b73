import { readFileSync } from 'node:fs';
import { DEV_SERVER_USAGE, parseDevServerArgs } from './cli-args.ts';
import { type DevServer, startDevServer } from './start-dev-server.ts';

/** Streams and process hooks the CLI uses (injectable for embedding). */
export interface DevServerCliIo {
  /** Where the banner and `--help` go. */
  readonly stdout: {
    /** Writes text as is. */
    write(text: string): unknown;
  };
  /** Where warnings and errors go. */
  readonly stderr: {
    /** Writes text as is. */
    write(text: string): unknown;
  };
  /** Environment (`OSS_ACCESS_KEY_ID`, `OSS_ACCESS_KEY_SECRET`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Registers a stop-signal handler (SIGINT / SIGTERM). */
  readonly onSignal: (signal: 'SIGINT' | 'SIGTERM', handler: () => void) => void;
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function banner(server: DevServer, fromEnv: boolean, buckets: readonly string[]): string {
  const lines = [
    'ossup dev server (local Alibaba Cloud OSS) is running',
    `  endpoint:          ${server.endpoint}   (path style; or http://<bucket>.localhost:${server.port})`,
    `  region:            ${server.region}`,
    `  access key id:     ${server.credentials.accessKeyId}`,
    fromEnv
      ? '  access key secret: (from OSS_ACCESS_KEY_SECRET)'
      : `  access key secret: ${server.credentials.accessKeySecret}   (public development key)`,
    `  data:              ${server.dataDir}`,
  ];
  if (buckets.length > 0) lines.push(`  buckets:           ${buckets.join(', ')}`);
  if (server.admin)
    lines.push(`  admin:             ${server.admin.url}  token ${server.admin.token}`);
  lines.push('Press Ctrl+C to stop.');
  return `${lines.join('\n')}\n`;
}

/**
 * Runs the `ossup-dev-server` command: parses `argv`, starts the server, prints how to use
 * it, and stops cleanly on SIGINT/SIGTERM. Resolves with the process exit code once the
 * server stopped (or at once for --help, --version and usage errors).
 */
export async function runDevServerCli(
  argv: readonly string[],
  io: DevServerCliIo,
): Promise<number> {
  const parsed = parseDevServerArgs(argv, io.env);
  if (parsed.kind === 'help') {
    io.stdout.write(DEV_SERVER_USAGE);
    return 0;
  }
  if (parsed.kind === 'version') {
    io.stdout.write(`${version()}\n`);
    return 0;
  }
  if (parsed.kind === 'error') {
    io.stderr.write(`ossup-dev-server: ${parsed.message}\n`);
    return 2;
  }
  // Signal handlers go in before anything is printed, so a supervisor that reacts to the
  // startup line can always stop the server cleanly.
  let resolveStop!: () => void;
  const stopRequested = new Promise<void>((resolve) => {
    resolveStop = resolve;
  });
  let signals = 0;
  let forceExit: ((code: number) => void) | undefined;
  const onStopSignal = () => {
    signals++;
    if (signals > 1) forceExit?.(1);
    resolveStop();
  };
  io.onSignal('SIGINT', onStopSignal);
  io.onSignal('SIGTERM', onStopSignal);

  let server: DevServer;
  try {
    server = await startDevServer({
      ...parsed.options,
      onWarning: (m) => io.stderr.write(`ossup-dev-server: warning: ${m}\n`),
    });
  } catch (err) {
    io.stderr.write(`ossup-dev-server: could not start: ${(err as Error).message}\n`);
    return 1;
  }
  const buckets = parsed.options.buckets ?? [];
  if (parsed.json) {
    io.stdout.write(
      `${JSON.stringify({
        endpoint: server.endpoint,
        port: server.port,
        region: server.region,
        accessKeyId: server.credentials.accessKeyId,
        ...(parsed.credentialsFromEnv
          ? {}
          : { accessKeySecret: server.credentials.accessKeySecret }),
        dataDir: server.dataDir,
        buckets,
        ...(server.admin ? { adminUrl: server.admin.url, adminToken: server.admin.token } : {}),
      })}\n`,
    );
  } else {
    io.stdout.write(banner(server, parsed.credentialsFromEnv, buckets));
  }
  return new Promise<number>((resolve) => {
    forceExit = resolve;
    void stopRequested.then(() =>
      server.close().then(
        () => {
          if (!parsed.json) io.stdout.write('ossup dev server stopped.\n');
          resolve(0);
        },
        (err: unknown) => {
          io.stderr.write(`ossup-dev-server: error while stopping: ${(err as Error).message}\n`);
          resolve(1);
        },
      ),
    );
  });
}
