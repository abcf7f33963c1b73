#!/usr/bin/env node
// The `ossup-dev-server` executable.
import { runDevServerCli } from './run-cli.ts';

const code = await runDevServerCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  onSignal: (signal, handler) => {
    process.on(signal, handler);
  },
});
process.exit(code);
