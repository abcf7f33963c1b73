#!/usr/bin/env node
import { createInterface } from 'node:readline';
import { run } from './run.ts';

// First Ctrl-C asks the running command to stop cleanly (an upload keeps its checkpoint);
// a second one exits at once.
const controller = new AbortController();
let interrupts = 0;
const onSignal = (signal: NodeJS.Signals) => {
  interrupts++;
  if (interrupts > 1) process.exit(130);
  controller.abort(new Error(`interrupted by ${signal}`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const readLine = process.stdin.isTTY
  ? () =>
      new Promise<string>((resolve) => {
        const rl = createInterface({ input: process.stdin });
        rl.once('line', (line) => {
          rl.close();
          resolve(line);
        });
        rl.once('close', () => resolve(''));
      })
  : undefined;

run({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
  ...(readLine ? { readLine } : {}),
}).then(
  (code) => {
    process.exitCode = code;
    // Keep-alive sockets and timers must not hold the process open after the result.
    setTimeout(() => process.exit(code), 50).unref();
  },
  (e: unknown) => {
    process.stderr.write(`ossup: unexpected error: ${(e as Error)?.stack ?? e}\n`);
    process.exit(1);
  },
);
