import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** What `ossup serve` records so that other `ossup` commands can find it with no configuration. */
export interface LocalServerState {
  endpoint: string;
  region: string;
  accessKeyId: string;
  /** The local server's development secret (never a real cloud secret). */
  accessKeySecret: string;
  pid: number;
}

/** `$OSSUP_STATE_DIR`, else `$XDG_STATE_HOME/ossup`, else `~/.local/state/ossup`. */
export function stateDir(env: Record<string, string | undefined>): string {
  if (env.OSSUP_STATE_DIR) return env.OSSUP_STATE_DIR;
  const base = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(base, 'ossup');
}

function stateFile(env: Record<string, string | undefined>): string {
  return join(stateDir(env), 'local-server.json');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads the running local server's state; undefined when none is recorded or its process is gone. */
export async function readLocalServerState(
  env: Record<string, string | undefined>,
): Promise<LocalServerState | undefined> {
  let parsed: Partial<LocalServerState>;
  try {
    parsed = JSON.parse(await readFile(stateFile(env), 'utf8'));
  } catch {
    return undefined;
  }
  if (
    typeof parsed.endpoint !== 'string' ||
    typeof parsed.region !== 'string' ||
    typeof parsed.accessKeyId !== 'string' ||
    typeof parsed.accessKeySecret !== 'string' ||
    typeof parsed.pid !== 'number' ||
    !alive(parsed.pid)
  ) {
    return undefined;
  }
  return parsed as LocalServerState;
}

/** Records the state atomically with mode 0600. */
export async function writeLocalServerState(
  env: Record<string, string | undefined>,
  state: LocalServerState,
): Promise<void> {
  const file = stateFile(env);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(state), { mode: 0o600 });
  await rename(tmp, file);
}

/** Removes the state if it still belongs to `pid`. */
export async function clearLocalServerState(
  env: Record<string, string | undefined>,
  pid: number,
): Promise<void> {
  try {
    const current = JSON.parse(await readFile(stateFile(env), 'utf8')) as { pid?: number };
    if (current.pid === pid) await rm(stateFile(env), { force: true });
  } catch {
    // Nothing recorded: nothing to clear.
  }
}
