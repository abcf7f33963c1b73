import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type DevServerInfo, shareDevServer } from './server-commands.ts';

// Starts the dev server that the transport tests upload to (dev-server-child.ts, reached
// through the commands of server-commands.ts), and closes it when the run ends.
export async function setup(): Promise<() => Promise<void>> {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const child = fork(fileURLToPath(new URL('./dev-server-child.ts', import.meta.url)), [], {
    execArgv: ['--conditions=source', '--import', tsx],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  const info = await new Promise<DevServerInfo>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the dev server exited (${code})`)));
    child.on(
      'message',
      (m: { ready?: DevServerInfo; id?: number; result?: unknown; error?: string }) => {
        if (m.ready !== undefined) resolve(m.ready);
        const waiter = m.id === undefined ? undefined : pending.get(m.id);
        if (waiter === undefined) return;
        pending.delete(m.id!);
        if (m.error !== undefined) waiter.reject(new Error(m.error));
        else waiter.resolve(m.result);
      },
    );
  });
  child.on('exit', (code) => {
    for (const waiter of pending.values())
      waiter.reject(new Error(`the dev server exited (${code})`));
    pending.clear();
  });
  const call = (request: Record<string, unknown>) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ ...request, id });
    });
  shareDevServer({ info, call });
  return async () => {
    shareDevServer(undefined);
    for (const waiter of pending.values()) waiter.reject(new Error('the test run ended'));
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.disconnect(); // the child closes its server and exits
    const timer = setTimeout(() => child.kill(), 5000);
    await exited;
    clearTimeout(timer);
  };
}
