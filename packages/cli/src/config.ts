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

function signatureVersion(value: string | undefined): 'v1' | 'v4' {
  const v = (value ?? 'v4').toLowerCase();
  if (v !== 'v1' && v !== 'v4')
    throw new UsageError(`--signature-version must be v1 or v4, got "${value}".`);
  return v;
}

/**
 * Resolves where to connect and as whom: flags first, then the environment
 * (`OSS_ENDPOINT`, `OSS_REGION`, `OSS_ACCESS_KEY_ID`, `OSS_ACCESS_KEY_SECRET`,
 * `OSS_SESSION_TOKEN`), then the config file's profile. With nothing configured, or with
 * `--local`, it targets the local server started by `ossup serve`. Secrets are never accepted
 * as flags.
 */
export async function resolveConfig(input: ResolveConfigInput): Promise<ResolvedConfig> {
  const { flags, env } = input;
  const sigVersion = signatureVersion(flags.signatureVersion ?? env.OSS_SIGNATURE_VERSION);
  const useLocal = flags.local === true;
  if (!useLocal) {
    const profile = await readProfile(env, flags.profile ?? env.OSSUP_PROFILE);
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
        signatureVersion: signatureVersion(
          flags.signatureVersion ?? env.OSS_SIGNATURE_VERSION ?? profile?.signature_version,
        ),
        pathStyle:
          flags.pathStyle ??
          (profile?.path_style === undefined ? undefined : profile.path_style === 'true'),
        from,
      };
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
