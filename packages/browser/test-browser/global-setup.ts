import { closeDevServer } from './server-commands.ts';

// Closes the dev server that the transport tests' commands start on first use.
export function setup(): () => Promise<void> {
  return closeDevServer;
}
