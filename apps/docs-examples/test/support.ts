import { type ChildProcess, spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..', '..');
/** docs/examples, where the examples live. */
export const EXAMPLES = join(ROOT, 'docs', 'examples');

/** Writes `size` deterministic, incompressible-looking bytes to `path`; returns them. */
export async function writeTestFile(path: string, size: number, seed = 1): Promise<Uint8Array> {
  const data = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    data[i] = x & 0xff;
  }
  const file = await open(path, 'w');
  await file.writeFile(data);
  await file.close();
  return data;
}

/** A running example process with its combined output so far. */
export interface Run {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** Resolves once the output matches `pattern` (rejects if the process exits first). */
  waitFor(pattern: RegExp): Promise<void>;
}

/** Starts `cmd args` in `cwd` with exactly `env` (plus PATH and HOME). */
export function start(cmd: string, args: string[], cwd: string, env: Record<string, string>): Run {
  const child = spawn(cmd, args, {
    cwd,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      NO_COLOR: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters: { pattern: RegExp; resolve: () => void; reject: (e: Error) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (w.pattern.test(out)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout?.on('data', (d) => {
    out += d;
    check();
  });
  child.stderr?.on('data', (d) => {
    out += d;
    check();
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code) => {
      for (const w of waiters.splice(0)) {
        w.reject(new Error(`exited (${code}) before printing ${w.pattern}:\n${out}`));
      }
      resolve(code);
    });
  });
  return {
    child,
    output: () => out,
    exited,
    waitFor: (pattern) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(out)) return resolve();
        if (child.exitCode !== null) return reject(new Error(`exited before ${pattern}:\n${out}`));
        waiters.push({ pattern, resolve, reject });
      }),
  };
}
