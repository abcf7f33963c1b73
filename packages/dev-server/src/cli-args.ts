import { homedir, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessKey } from './credentials.ts';
import type { DevServerOptions } from './options.ts';

/** Result of {@link parseDevServerArgs}. */
export type ParsedDevServerArgs =
  | {
      /** Start a server. */
      readonly kind: 'run';
      /** What to pass to `startDevServer`. */
      readonly options: DevServerOptions;
      /** `--json`: print one JSON line instead of the banner. */
      readonly json: boolean;
      /** The access key came from `OSS_ACCESS_KEY_ID` / `OSS_ACCESS_KEY_SECRET`. */
      readonly credentialsFromEnv: boolean;
    }
  | {
      /** `--help`: print the usage. */
      readonly kind: 'help';
    }
  | {
      /** `--version`: print the version. */
      readonly kind: 'version';
    }
  | {
      /** The arguments are wrong. */
      readonly kind: 'error';
      /** What is wrong, for the user. */
      readonly message: string;
    };

/** Usage text of the `ossup-dev-server` command. */
export const DEV_SERVER_USAGE = `Usage: ossup-dev-server [options]

Runs a local Alibaba Cloud OSS-compatible server until Ctrl+C (SIGINT) or SIGTERM.

Options:
  --host ADDR          interface to bind (default 127.0.0.1: this machine only)
  --port N             port; 0 picks a free one (default 9000)
  --data DIR           data directory (default: the user cache, e.g. ~/.cache/ossup/dev-server)
  --ephemeral          use a fresh temporary data directory, deleted on exit
  --bucket NAME        create this bucket at start (repeatable)
  --region ID          region to report and to accept in V4 signatures (default cn-hangzhou)
  --anonymous          accept unsigned requests
  --cors-origin ORIGIN allow this browser origin; * for any, patterns like http://localhost:*
                       (repeatable; default: http://localhost, 127.0.0.1 and [::1] on any port)
  --domain HOST        also accept virtual-hosted requests to <bucket>.HOST (repeatable)
  --admin              enable the fault-injection admin endpoint; its token is printed
  --min-part-size N    smallest non-last part accepted at Complete (default 102400)
  --json               print the startup information as one JSON line
  -h, --help           show this help
  --version            show the version

Credentials: set OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET in the environment to choose
them; otherwise public development credentials are used and printed. The secret is never
accepted as a command-line flag (it would show in the process list and shell history).
`;

/** The user cache directory for the dev server's data. */
export function defaultDataDir(env: Readonly<Record<string, string | undefined>>): string {
  let home: string;
  try {
    home = homedir();
  } catch {
    return join(tmpdir(), 'ossup-dev-server');
  }
  if (platform() === 'win32') {
    return join(env['LOCALAPPDATA'] ?? join(home, 'AppData', 'Local'), 'ossup', 'dev-server');
  }
  if (platform() === 'darwin') return join(home, 'Library', 'Caches', 'ossup', 'dev-server');
  return join(env['XDG_CACHE_HOME'] || join(home, '.cache'), 'ossup', 'dev-server');
}

const SECRET_FLAGS = /^--(access-?key-?secret|secret|access-key|password|sk)(=|$)/i;

/**
 * Parses the `ossup-dev-server` command line (without `node` and the script). Also usable by
 * other CLIs that embed the server (`ossup serve`).
 */
export function parseDevServerArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ParsedDevServerArgs {
  const options: DevServerOptions = {};
  const buckets: string[] = [];
  const cors: string[] = [];
  const domains: string[] = [];
  let json = false;
  let ephemeral = false;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    if (SECRET_FLAGS.test(raw)) {
      return {
        kind: 'error',
        message:
          'Secrets are not accepted as flags; set OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET in the environment instead.',
      };
    }
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const inline = eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string | undefined => {
      if (inline !== undefined) return inline;
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) return undefined;
      i++;
      return v;
    };
    const need = (name: string): string | { error: string } => {
      const v = value();
      return v === undefined || v === '' ? { error: `${name} needs a value.` } : v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        return { kind: 'help' };
      case '--version':
        return { kind: 'version' };
      case '--json':
        json = true;
        break;
      case '--anonymous':
        options.anonymous = true;
        break;
      case '--admin':
        options.admin = true;
        break;
      case '--ephemeral':
        ephemeral = true;
        break;
      case '--host':
      case '--data':
      case '--region':
      case '--bucket':
      case '--cors-origin':
      case '--domain':
      case '--port':
      case '--min-part-size': {
        const v = need(flag);
        if (typeof v !== 'string') return { kind: 'error', message: v.error };
        if (flag === '--host') options.host = v;
        else if (flag === '--data') options.dataDir = v;
        else if (flag === '--region') options.region = v;
        else if (flag === '--bucket') buckets.push(v);
        else if (flag === '--cors-origin') cors.push(v);
        else if (flag === '--domain') domains.push(v);
        else if (flag === '--port') {
          if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) {
            return { kind: 'error', message: `--port must be a number from 0 to 65535, got ${v}.` };
          }
          options.port = Number(v);
        } else {
          if (!/^\d{1,12}$/.test(v)) {
            return {
              kind: 'error',
              message: `--min-part-size must be a number of bytes, got ${v}.`,
            };
          }
          options.limits = { ...options.limits, minPartSize: Number(v) };
        }
        break;
      }
      default:
        return { kind: 'error', message: `Unknown option ${raw}. Run with --help for the list.` };
    }
  }
  if (ephemeral && options.dataDir !== undefined) {
    return { kind: 'error', message: '--ephemeral and --data cannot be used together.' };
  }
  if (!ephemeral && options.dataDir === undefined) options.dataDir = defaultDataDir(env);
  options.port ??= 9000;
  if (buckets.length > 0) options.buckets = buckets;
  if (cors.length > 0) options.corsOrigins = cors;
  if (domains.length > 0) options.domains = domains;
  const id = env['OSS_ACCESS_KEY_ID'];
  const secret = env['OSS_ACCESS_KEY_SECRET'];
  if ((id === undefined || id === '') !== (secret === undefined || secret === '')) {
    return {
      kind: 'error',
      message:
        'Set both OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET, or neither (to use the development credentials).',
    };
  }
  const credentialsFromEnv = Boolean(id && secret);
  if (credentialsFromEnv) {
    const key: AccessKey = { accessKeyId: id!, accessKeySecret: secret! };
    options.credentials = key;
  }
  return { kind: 'run', options, json, credentialsFromEnv };
}
