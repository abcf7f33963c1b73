import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type OssClient } from '@ossup/client';
import { type DevServer, startDevServer } from '@ossup/dev-server';

export const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The CLI as a child process, straight from source (no build), the way users run it. */
export function spawnCli(args: string[], env: Record<string, string | undefined>): ChildProcess {
  return spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join(pkgDir, 'src', 'bin.ts'), ...args],
    {
      cwd: pkgDir,
      env: { PATH: process.env.PATH, HOME: env.HOME, ...env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function runCli(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<CliResult> {
  return collect(spawnCli(args, env));
}

export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ossup-cli-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function randomFile(
  dir: string,
  name: string,
  size: number,
): Promise<{ path: string; bytes: Buffer }> {
  const bytes = randomBytes(size);
  const path = join(dir, name);
  await writeFile(path, bytes);
  return { path, bytes };
}

/** A dev server with one bucket and the environment that points the CLI at it. */
export interface CliServer {
  server: DevServer;
  work: { dir: string; cleanup: () => Promise<void> };
  env: Record<string, string | undefined>;
  secret: string;
  /** A library client for the same server, to set up and check what the CLI should see. */
  client: OssClient;
  close(): Promise<void>;
}

export async function startCliServer(bucket: string): Promise<CliServer> {
  const work = await tempDir();
  const secret = `cli-test-secret-${randomBytes(8).toString('hex')}`;
  const server = await startDevServer({
    buckets: [bucket],
    credentials: { accessKeyId: 'cli-test-key', accessKeySecret: secret },
    limits: { minPartSize: 64 * 1024 },
  });
  const env = {
    HOME: work.dir,
    OSSUP_STATE_DIR: join(work.dir, 'state'),
    OSS_ENDPOINT: server.endpoint,
    OSS_REGION: server.region,
    OSS_ACCESS_KEY_ID: 'cli-test-key',
    OSS_ACCESS_KEY_SECRET: secret,
  };
  return {
    server,
    work,
    env,
    secret,
    client: createClient({
      endpoint: server.endpoint,
      region: server.region,
      credentials: { accessKeyId: 'cli-test-key', accessKeySecret: secret },
    }),
    close: async () => {
      await server.close();
      await work.cleanup();
    },
  };
}
