// Runs @ossup/dev-server in a process of its own, so the benchmarks can read its CPU time and
// peak RSS apart from the client's. argv[2]: DevServerOptions as JSON. Reports
// {type:'ready', endpoint, region, credentials} (the public development key, over IPC, never
// argv), answers {type:'stats'}, exits on {type:'stop'} after closing the server.

import { type DevServerOptions, startDevServer } from '@ossup/dev-server';
import { type Message, toParent } from './child.ts';
import { processStats } from './proc-stats.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as DevServerOptions;
const server = await startDevServer({
  ...options,
  onWarning: (m) => console.warn(`[dev-server] ${m}`),
});
toParent({
  type: 'ready',
  endpoint: server.endpoint,
  region: server.region,
  credentials: server.credentials,
});

process.on('message', (raw) => {
  const message = raw as Message;
  if (message.type === 'stats') {
    toParent({ type: 'stats', ...processStats() });
  } else if (message.type === 'stop') {
    void server.close().then(() => process.exit(0));
  }
});
process.on('disconnect', () => {
  void server.close().then(() => process.exit(0));
});
