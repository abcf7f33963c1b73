import { DEV_SERVER_USAGE, parseDevServerArgs, startDevServer } from '@ossup/dev-server';
import type { CommandDef } from '../command.ts';
import { clearLocalServerState, writeLocalServerState } from '../local-server-state.ts';
import { EXIT, UsageError } from '../usage-error.ts';

/**
 * `ossup serve`: the local OSS-compatible server. Its options are the dev server's own
 * (`ossup-dev-server --help`); it also records where it listens so that other `ossup`
 * commands find it with no configuration.
 */
export const serveCommand: CommandDef = {
  name: 'serve',
  summary: 'run a local OSS-compatible server (for development, tests and the quick start)',
  usage: 'serve [--port 9000] [--data DIR] [--bucket NAME]... [--anonymous] [--admin]',
  details: DEV_SERVER_USAGE.replace(/^Usage:.*\n\n/, ''),
  positionals: [0, 0],
  options: {},
  rawArgs: true,
  async run(ctx) {
    const parsed = parseDevServerArgs(ctx.positionals, ctx.env);
    if (parsed.kind === 'help') {
      ctx.out.stdout.write(DEV_SERVER_USAGE.replace('ossup-dev-server', 'ossup serve'));
      return EXIT.ok;
    }
    if (parsed.kind === 'version') return EXIT.ok;
    if (parsed.kind === 'error') throw new UsageError(parsed.message);
    const server = await startDevServer({ ...parsed.options, onWarning: (m) => ctx.out.warn(m) });
    await writeLocalServerState(ctx.env, {
      endpoint: server.endpoint,
      region: server.region,
      accessKeyId: server.credentials.accessKeyId,
      accessKeySecret: server.credentials.accessKeySecret,
      pid: process.pid,
    });
    const buckets = parsed.options.buckets ?? [];
    if (ctx.out.json) {
      ctx.out.stdout.write(
        `${JSON.stringify({ type: 'serving', endpoint: server.endpoint, port: server.port, region: server.region, accessKeyId: server.credentials.accessKeyId, dataDir: server.dataDir, buckets, ...(server.admin ? { adminUrl: server.admin.url, adminToken: server.admin.token } : {}) })}\n`,
      );
    } else {
      const lines = [
        'ossup local server (OSS-compatible) is running',
        `  endpoint:   ${server.endpoint}`,
        `  region:     ${server.region}`,
        `  access key: ${server.credentials.accessKeyId}`,
        parsed.credentialsFromEnv
          ? '  secret:     (from OSS_ACCESS_KEY_SECRET)'
          : `  secret:     ${server.credentials.accessKeySecret}   (public development key)`,
        `  data:       ${server.dataDir}`,
        ...(buckets.length ? [`  buckets:    ${buckets.join(', ')}`] : []),
        ...(server.admin
          ? [`  admin:      ${server.admin.url} (token ${server.admin.token})`]
          : []),
        'Other ossup commands in this account now use it when nothing else is configured.',
        'Press Ctrl+C to stop.',
      ];
      ctx.out.stdout.write(`${lines.join('\n')}\n`);
    }
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await server.close();
    await clearLocalServerState(ctx.env, process.pid);
    if (!ctx.out.json) ctx.out.stdout.write('ossup local server stopped.\n');
    return EXIT.ok;
  },
};
