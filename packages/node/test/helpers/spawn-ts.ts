import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The package directory: tsx resolves from the working directory. */
export const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/** Path of a fixture script in test/fixtures. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/**
 * Runs a TypeScript fixture in a child Node process against the workspace sources (the
 * `source` export condition), as a real second process would run the built package.
 */
export function spawnTs(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): ChildProcess {
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script, ...args], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Collects a child's output lines and resolves when it exits. */
export function watch(child: ChildProcess): {
  lines: string[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor: (predicate: (line: string) => boolean) => Promise<string>;
} {
  const lines: string[] = [];
  const waiters: { predicate: (line: string) => boolean; resolve: (l: string) => void }[] = [];
  let err = '';
  let partial = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
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
    lines,
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
              `child exited (code ${code}, signal ${signal}) before the expected line; stderr: ${err}`,
            ),
          ),
        );
      }),
  };
}
