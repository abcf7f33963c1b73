import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readLocalServerState } from './local-server-state.ts';
import { parseConfigToml } from './toml.ts';
import { UsageError } from './usage-error.ts';

/** Endpoint, region and credentials the command will use, and where they came from. */
export interface ResolvedConfig {
  /** Endpoint URL. */
  endpoint: string;
  /** Region id for V4 signing. */
  region: string;
  /** AccessKey ID. */
  accessKeyId: string;
  /** AccessKey secret (never printed). */
  accessKeySecret: string;
  /** STS token, when the credentials are temporary. */
  securityToken: string | undefined;
  /** Signature scheme. */
  signatureVersion: 'v1' | 'v4';
  /** Path-style addressing; `undefined` lets the client decide. */
  pathStyle: boolean | undefined;
  /** Where the endpoint came from, for `--verbose` and error messages. */
  from: 'flags' | 'env' | 'config' | 'local';
}

/** Inputs to {@link resolveConfig}. */
export interface ResolveConfigInput {
  /** Values of the global flags. */
  flags: {
    /** `--endpoint`. */
    endpoint?: string;
    /** `--region`. */
    region?: string;
    /** `--profile`. */
    profile?: string;
    /** `--signature-version`. */
    signatureVersion?: string;
    /** `--path-style`. */
    pathStyle?: boolean;
    /** `--local`. */
    local?: boolean;
  };
  /** Environment variables. */
  env: Record<string, string | undefined>;
}

/** Path of the config file: `$OSSUP_CONFIG`, else `$XDG_CONFIG_HOME/ossup/config.toml`, else `~/.config/ossup/config.toml`. */
export function configFilePath(env: Record<string, string | undefined>): string {
  if (env.OSSUP_CONFIG) return env.OSSUP_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'ossup', 'config.toml');
}

async function readProfile(
  env: Record<string, string | undefined>,
  profile: string | undefined,
): Promise<Record<string, string> | undefined> {
  const file = configFilePath(env);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      if (profile)
        throw new UsageError(
          `Profile "${profile}" was asked for, but there is no config file at ${file}.`,
        );
      return undefined;
    }
    throw e;
  }
  const sections = parseConfigToml(text, file);
  const name = profile ?? 'default';
  const section = sections.get(name);
  if (!section && profile) {
    throw new UsageError(
      `Profile "${profile}" is not in ${file}. Known profiles: ${[...sections.keys()].join(', ') || 'none'}.`,
    );
  }
  return section;
}

/**
 * The signature scheme, checked where it was given: the message names the flag, the
 * environment variable or the config file, whichever holds the bad value. A config-file value
 * is not repeated (nothing read from that file is printed).
 */
function signatureVersion(
  flag: string | undefined,
  env: Record<string, string | undefined>,
  fromProfile?: { value: string | undefined; file: string },
): 'v1' | 'v4' {
  const [value, source, got] =
    flag !== undefined
      ? [flag, '--signature-version', `, got "${flag}"`]
      : env.OSS_SIGNATURE_VERSION !== undefined
        ? [
            env.OSS_SIGNATURE_VERSION,
            'OSS_SIGNATURE_VERSION',
            `, got "${env.OSS_SIGNATURE_VERSION}"`,
          ]
        : [fromProfile?.value, `signature_version in ${fromProfile?.file}`, ''];
  const v = (value ?? 'v4').toLowerCase();
  if (v !== 'v1' && v !== 'v4') throw new UsageError(`${source} must be v1 or v4${got}.`);
  return v;
}

const ENV_CREDENTIALS = ['OSS_ACCESS_KEY_ID', 'OSS_ACCESS_KEY_SECRET', 'OSS_SESSION_TOKEN'];
const PROFILE_CREDENTIALS = ['access_key_id', 'access_key_secret', 'session_token'];
const USE_LOCAL = 'To use the local server started by `ossup serve` instead, pass --local.';

/**
 * Resolves where to connect and as whom: flags first, then the environment
 * (`OSS_ENDPOINT`, `OSS_REGION`, `OSS_ACCESS_KEY_ID`, `OSS_ACCESS_KEY_SECRET`,
 * `OSS_SESSION_TOKEN`), then the config file's profile. With nothing configured at all, or
 * with `--local`, it targets the local server started by `ossup serve`. A profile asked for by
 * name, or credentials in the environment or the default profile, without an endpoint are an
 * error rather than a quiet switch to the local server. Secrets are never accepted as flags.
 */
export async function resolveConfig(input: ResolveConfigInput): Promise<ResolvedConfig> {
  const { flags, env } = input;
  const sigVersion = signatureVersion(flags.signatureVersion, env);
  const useLocal = flags.local === true;
  if (!useLocal) {
    const profileName = flags.profile ?? env.OSSUP_PROFILE;
    const profile = await readProfile(env, profileName);
    const endpoint = flags.endpoint ?? env.OSS_ENDPOINT ?? profile?.endpoint;
    const from: ResolvedConfig['from'] = flags.endpoint
      ? 'flags'
      : env.OSS_ENDPOINT
        ? 'env'
        : 'config';
    const accessKeyId = env.OSS_ACCESS_KEY_ID ?? profile?.access_key_id;
    const accessKeySecret = env.OSS_ACCESS_KEY_SECRET ?? profile?.access_key_secret;
    if (endpoint) {
      const region =
        flags.region ?? env.OSS_REGION ?? profile?.region ?? regionFromEndpoint(endpoint);
      if (!region) {
        throw new UsageError(
          `No region for endpoint ${endpoint}. Pass --region (e.g. cn-hangzhou) or set OSS_REGION.`,
        );
      }
      if (!accessKeyId || !accessKeySecret) {
        throw new UsageError(
          'No credentials. Set OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET (and OSS_SESSION_TOKEN for STS) in the environment, or access_key_id/access_key_secret in a profile of ' +
            `${configFilePath(env)}. Secrets are never taken as command-line flags.`,
        );
      }
      return {
        endpoint: normalizeEndpoint(endpoint),
        region,
        accessKeyId,
        accessKeySecret,
        securityToken: env.OSS_SESSION_TOKEN ?? profile?.session_token,
        signatureVersion: signatureVersion(flags.signatureVersion, env, {
          value: profile?.signature_version,
          file: configFilePath(env),
        }),
        pathStyle:
          flags.pathStyle ??
          (profile?.path_style === undefined ? undefined : profile.path_style === 'true'),
        from,
      };
    }
    // Something is configured, just not where to send it: going to the local server instead
    // would send the user's data (or their cloud credentials' requests) somewhere they did not
    // mean, and could look like success.
    const file = configFilePath(env);
    const addEndpoint = `add endpoint = "https://oss-<region>.aliyuncs.com" to it, set OSS_ENDPOINT or pass --endpoint. ${USE_LOCAL}`;
    if (profileName) {
      const how = flags.profile !== undefined ? '--profile' : 'OSSUP_PROFILE';
      throw new UsageError(
        `Profile "${profileName}" (chosen by ${how}) in ${file} has no endpoint: ${addEndpoint}`,
      );
    }
    const inEnv = ENV_CREDENTIALS.filter((name) => env[name]);
    if (inEnv.length > 0) {
      throw new UsageError(
        `${inEnv.join(', ')} ${inEnv.length === 1 ? 'is' : 'are'} set in the environment, but no endpoint is: set OSS_ENDPOINT (e.g. https://oss-cn-hangzhou.aliyuncs.com) or pass --endpoint. ${USE_LOCAL}`,
      );
    }
    if (profile && PROFILE_CREDENTIALS.some((k) => profile[k] !== undefined)) {
      throw new UsageError(
        `The default profile in ${file} has credentials but no endpoint: ${addEndpoint}`,
      );
    }
  }
  const local = await readLocalServerState(env);
  if (!local) {
    throw new UsageError(
      useLocal
        ? 'No local server is running. Start one with `ossup serve` (in another terminal) and try again.'
        : 'No endpoint configured and no local server running. Set OSS_ENDPOINT (or --endpoint, or a profile in ' +
            `${configFilePath(env)}), or start a local server with \`ossup serve\`.`,
    );
  }
  return {
    endpoint: local.endpoint,
    region: flags.region ?? local.region,
    accessKeyId: local.accessKeyId,
    accessKeySecret: local.accessKeySecret,
    securityToken: undefined,
    signatureVersion: sigVersion,
    pathStyle: true,
    from: 'local',
  };
}

/** `oss-cn-hangzhou.aliyuncs.com` → `cn-hangzhou`; undefined for other hosts. */
export function regionFromEndpoint(endpoint: string): string | undefined {
  const host = endpoint.replace(/^[a-z]+:\/\//i, '').split(/[/:]/)[0] ?? '';
  const m = /^(?:[^.]+\.)?oss-([a-z0-9-]+?)(?:-internal)?\.aliyuncs\.com$/i.exec(host);
  return m?.[1];
}

function normalizeEndpoint(endpoint: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(
      `Endpoint "${endpoint}" is not a valid URL. Use a form like https://oss-cn-hangzhou.aliyuncs.com.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`Endpoint "${endpoint}" must use http or https.`);
  }
  return url.origin;
}
