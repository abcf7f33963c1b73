import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from './config.ts';
import { writeLocalServerState } from './local-server-state.ts';
import { UsageError } from './usage-error.ts';

let dir: string;
let base: Record<string, string | undefined>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ossup-config-test-'));
  await mkdir(join(dir, 'state'));
  base = { HOME: dir, OSSUP_STATE_DIR: join(dir, 'state'), OSSUP_CONFIG: join(dir, 'config.toml') };
  // A live local server is recorded (this process stands in for it), so that a silent
  // fallback to it would be taken if the code allowed one.
  await writeLocalServerState(base, {
    endpoint: 'http://127.0.0.1:9',
    region: 'cn-hangzhou',
    accessKeyId: 'local-key',
    accessKeySecret: 'local-secret',
    pid: process.pid,
  });
  await writeFile(
    base.OSSUP_CONFIG!,
    [
      '[default]',
      'endpoint = "https://oss-cn-hangzhou.aliyuncs.com"',
      'access_key_id = "default-id"',
      'access_key_secret = "default-secret"',
      '[profile.noendpoint]',
      'access_key_id = "p-id"',
      'access_key_secret = "p-secret"',
    ].join('\n'),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(input: Parameters<typeof resolveConfig>[0]): Promise<Error> {
  try {
    const c = await resolveConfig(input);
    throw new Error(`expected an error, got the endpoint ${c.endpoint} (from ${c.from})`);
  } catch (e) {
    return e as Error;
  }
}

describe('resolveConfig', () => {
  it('falls back to the local server only when nothing at all is configured', async () => {
    const c = await resolveConfig({
      env: { ...base, OSSUP_CONFIG: join(dir, 'none.toml') },
      flags: {},
    });
    expect(c.from).toBe('local');
    expect(c.accessKeyId).toBe('local-key');
  });

  it('refuses an explicit profile without an endpoint instead of using the local server', async () => {
    for (const input of [
      { env: base, flags: { profile: 'noendpoint' } },
      { env: { ...base, OSSUP_PROFILE: 'noendpoint' }, flags: {} },
    ]) {
      const e = await failure(input);
      expect(e).toBeInstanceOf(UsageError);
      expect(e.message).toMatch(/profile "noendpoint"/i);
      expect(e.message).toMatch(/endpoint/);
    }
  });

  it('refuses credentials from the environment without OSS_ENDPOINT', async () => {
    const e = await failure({
      env: {
        ...base,
        OSSUP_CONFIG: join(dir, 'none.toml'),
        OSS_ACCESS_KEY_ID: 'env-id',
        OSS_ACCESS_KEY_SECRET: 'env-secret',
      },
      flags: {},
    });
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toMatch(/OSS_ENDPOINT/);
    expect(e.message).not.toContain('env-secret');
  });

  it('still uses the local server with --local whatever else is configured', async () => {
    const c = await resolveConfig({
      env: { ...base, OSS_ACCESS_KEY_ID: 'env-id', OSS_ACCESS_KEY_SECRET: 'env-secret' },
      flags: { local: true, profile: 'noendpoint' },
    });
    expect(c.from).toBe('local');
  });

  it('names OSS_SIGNATURE_VERSION, not the flag, when the environment holds a bad value', async () => {
    const fromEnv = await failure({ env: { ...base, OSS_SIGNATURE_VERSION: 'v3' }, flags: {} });
    expect(fromEnv.message).toMatch(/^OSS_SIGNATURE_VERSION must be v1 or v4/);
    const fromFlag = await failure({ env: base, flags: { signatureVersion: 'v3' } });
    expect(fromFlag.message).toMatch(/^--signature-version must be v1 or v4/);
  });
});
