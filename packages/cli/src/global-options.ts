import type { OptionDef } from './command.ts';

/** Options every command accepts. */
export const GLOBAL_OPTIONS: Record<string, OptionDef> = {
  endpoint: {
    type: 'string',
    value: 'URL',
    description: 'OSS endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com (env OSS_ENDPOINT)',
  },
  region: {
    type: 'string',
    value: 'REGION',
    description: 'region for V4 signing, e.g. cn-hangzhou (env OSS_REGION)',
  },
  profile: {
    type: 'string',
    value: 'NAME',
    description: 'profile of ~/.config/ossup/config.toml to use (env OSSUP_PROFILE)',
  },
  'signature-version': {
    type: 'string',
    value: 'v1|v4',
    description: 'request signature version',
    defaultText: 'v4',
  },
  'path-style': {
    type: 'boolean',
    description: 'address buckets in the path instead of the host name',
  },
  local: { type: 'boolean', description: 'target the local server started by `ossup serve`' },
  json: { type: 'boolean', description: 'machine-readable output: one JSON document per line' },
  quiet: { type: 'boolean', short: 'q', description: 'print nothing but errors' },
  verbose: { type: 'boolean', short: 'v', description: 'print request ids, retries and details' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
};
