import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** apps/reliability: a directory from which `--import tsx` and `@ossup/*` resolve. */
export const appDir = fileURLToPath(new URL('../..', import.meta.url));
/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));

/** Runs a TypeScript file in a child Node process against the workspace sources. */
export function spawnTs(
  script: string,
  args: string[],
  env: Record<string, string>,
  cwd = appDir,
): ChildProcess {
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script, ...args], {
    cwd,
    // Only what the child needs: no inherited secrets, no inherited OSS_* settings.
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A child's output, line by line, with a way to wait for a line. */
export interface Watched {
  child: ChildProcess;
  lines: string[];
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor: (predicate: (line: string) => boolean) => Promise<string>;
}

/** Collects a child's output; `waitFor` rejects if the child exits first. */
export function watch(child: ChildProcess): Watched {
  const lines: string[] = [];
  const waiters: { predicate: (line: string) => boolean; resolve: (l: string) => void }[] = [];
  let out = '';
  let err = '';
  let partial = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    out += chunk;
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.predicate(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    lines,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (predicate) =>
      new Promise<string>((resolve, reject) => {
        const seen = lines.find(predicate);
        if (seen !== undefined) return resolve(seen);
        waiters.push({ predicate, resolve });
        void exited.then(({ code, signal }) =>
          reject(
            new Error(
              `child exited (code ${code}, signal ${signal}) before the expected line; stdout: ${out}\nstderr: ${err}`,
            ),
          ),
        );
      }),
  };
}

/** Polls `condition` every 10 ms until it holds; rejects after `timeoutMs`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A TCP port that was free a moment ago (for a server that must come back on the same one). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
