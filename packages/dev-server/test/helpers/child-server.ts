import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/** What `ossup-dev-server --json` prints on start. */
export interface ChildInfo {
  endpoint: string;
  port: number;
  region: string;
  accessKeyId: string;
  accessKeySecret?: string;
  dataDir: string;
  buckets: string[];
  adminUrl?: string;
  adminToken?: string;
}

export interface ChildServer {
  readonly child: ChildProcess;
  readonly info: ChildInfo;
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<number | string>;
  stderr(): string;
}

/**
 * Runs the real CLI (`src/cli.ts`) in a child Node process (TypeScript loaded through
 * `register-ts.mjs`), waits for its JSON startup line.
 */
export function spawnServer(
  args: string[],
  env: Record<string, string> = {},
): Promise<ChildServer> {
  const child = spawn(
    process.execPath,
    ['--import', './test/helpers/register-ts.mjs', 'src/cli.ts', '--json', ...args],
    { cwd: packageDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        child.stdout!.off('data', onData);
        try {
          resolve({
            child,
            info: JSON.parse(out.slice(0, nl)) as ChildInfo,
            exited,
            stderr: () => err,
          });
        } catch (e) {
          reject(e);
        }
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited early (${code}): ${err}`)));
  });
}
