// Starts a benchmark helper (a .ts file in bench/lib) in its own Node process with an IPC
// channel, so its CPU time and peak RSS are its own and cannot mix with another contender's.

import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** A message on the IPC channel: every one has a `type`. */
export interface Message {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** Options of {@link startChild}. */
export interface ChildOptions {
  /** Extra Node flags, e.g. `--cpu-prof`. */
  readonly execArgv?: readonly string[];
  /** Environment overrides. */
  readonly env?: Record<string, string>;
  /**
   * Import workspace packages from their built `dist/` (what users run) instead of `src/`.
   * Default false. The caller must have built them (`buildPackages()`).
   */
  readonly builtPackages?: boolean;
}

/** A running helper process. */
export interface Child {
  readonly process: ChildProcess;
  /**
   * Resolves with the next message of `type` (or of any of the types), earlier unclaimed
   * ones first.
   */
  next<T extends Message>(type: string | readonly string[]): Promise<T>;
  send(message: Message): void;
  /** Sends `request`, resolves with the reply of type `replyType`. */
  ask<T extends Message>(request: Message, replyType: string): Promise<T>;
  /** Resolves with the exit code once the process ended. */
  readonly exited: Promise<number | null>;
  /** Asks the child to stop (`{ type: 'stop' }`), then kills it if it has not ended in 10 s. */
  stop(): Promise<void>;
}

/**
 * Forks `lib/<script>` with `--import tsx --conditions=source` (workspace packages from src/),
 * or without the condition when `builtPackages` is set.
 * A child that exits before sending an awaited message rejects that wait.
 */
export function startChild(
  script: string,
  args: readonly string[],
  options: ChildOptions = {},
): Child {
  const proc = fork(join(here, script), [...args], {
    execArgv: [
      '--import',
      'tsx',
      ...(options.builtPackages ? [] : ['--conditions=source']),
      ...(options.execArgv ?? []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...options.env },
  });
  const queue: Message[] = [];
  const waiters: {
    types: readonly string[];
    resolve: (m: Message) => void;
    reject: (e: Error) => void;
  }[] = [];
  let exitCode: number | null | undefined;
  proc.on('message', (raw) => {
    const message = raw as Message;
    const i = waiters.findIndex((w) => w.types.includes(message.type));
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(message);
    else queue.push(message);
  });
  const exited = new Promise<number | null>((resolve) => {
    proc.on('exit', (code, signal) => {
      exitCode = code ?? (signal === null ? null : 128);
      for (const w of waiters.splice(0)) {
        w.reject(
          new Error(
            `${script} exited (${code ?? signal}) before sending '${w.types.join("' or '")}'.`,
          ),
        );
      }
      resolve(exitCode);
    });
  });
  const next = <T extends Message>(type: string | readonly string[]): Promise<T> => {
    const types = typeof type === 'string' ? [type] : type;
    const i = queue.findIndex((m) => types.includes(m.type));
    if (i >= 0) return Promise.resolve(queue.splice(i, 1)[0] as T);
    if (exitCode !== undefined) {
      return Promise.reject(
        new Error(`${script} has exited; no '${types.join("' or '")}' will come.`),
      );
    }
    return new Promise<T>((resolve, reject) => {
      waiters.push({ types, resolve: resolve as (m: Message) => void, reject });
    });
  };
  const send = (message: Message) => {
    proc.send(message);
  };
  return {
    process: proc,
    next,
    send,
    ask: <T extends Message>(request: Message, replyType: string) => {
      const reply = next<T>(replyType);
      send(request);
      return reply;
    },
    exited,
    stop: async () => {
      if (exitCode !== undefined) return;
      if (proc.connected) proc.send({ type: 'stop' });
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** In a child: sends a message to the parent; resolves once it is handed to the channel. */
export function toParent(message: Message): Promise<void> {
  return new Promise<void>((resolve) => {
    if (process.send === undefined) resolve();
    else process.send(message, undefined, {}, () => resolve());
  });
}

/** In a child: resolves with the next message of `type` from the parent. */
export function fromParent<T extends Message>(type: string): Promise<T> {
  return new Promise<T>((resolve) => {
    const onMessage = (raw: unknown) => {
      const message = raw as Message;
      if (message.type !== type) return;
      process.off('message', onMessage);
      resolve(message as T);
    };
    process.on('message', onMessage);
  });
}

/**
 * Builds the workspace packages (turbo; cached when nothing changed), for children started
 * with `builtPackages`.
 */
export function buildPackages(): void {
  const root = join(here, '..', '..');
  const result = spawnSync('pnpm', ['turbo', 'run', 'build', '--filter=./packages/*'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error('building the packages failed (pnpm turbo run build)');
}
