#!/usr/bin/env node
import { createInterface } from 'node:readline';
import { run } from './run.ts';
import { EXIT } from './usage-error.ts';

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

// A reader that closes stdout early (`ossup get oss://b/k - | head -c 100`) ends the command
// the way SIGPIPE ends other programs: quietly, with 141. Node ignores SIGPIPE, so without
// this the failed write would surface as an unhandled 'error' event and a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(EXIT.brokenPipe);
  process.stderr.write(`ossup: cannot write to standard output: ${e.message}\n`);
  process.exit(EXIT.failure);
});

const readLine = process.stdin.isTTY
  ? (signal: AbortSignal) =>
      new Promise<string>((resolve) => {
        const rl = createInterface({ input: process.stdin });
        const stop = () => rl.close();
        signal.addEventListener('abort', stop, { once: true });
        rl.once('line', (line) => {
          rl.close();
          resolve(line);
        });
        rl.once('close', () => {
          signal.removeEventListener('abort', stop);
          resolve('');
        });
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
