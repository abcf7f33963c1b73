import { describe, expect, it } from 'vitest';
import { defaultDataDir, parseDevServerArgs } from './cli-args.ts';

describe('parseDevServerArgs', () => {
  it('has working defaults', () => {
    const r = parseDevServerArgs([], { XDG_CACHE_HOME: '/cache' });
    expect(r.kind).toBe('run');
    if (r.kind !== 'run') return;
    expect(r.options.port).toBe(9000);
    expect(r.options.host).toBeUndefined();
    expect(r.options.credentials).toBeUndefined();
    expect(r.options.dataDir).toBe(defaultDataDir({ XDG_CACHE_HOME: '/cache' }));
    expect(r.credentialsFromEnv).toBe(false);
  });

  it('reads every flag, repeatable ones included', () => {
    const r = parseDevServerArgs(
      [
        '--host',
        '0.0.0.0',
        '--port=0',
        '--data',
        '/d',
        '--bucket',
        'a1b',
        '--bucket',
        'c2d',
        '--anonymous',
        '--region',
        'cn-beijing',
        '--cors-origin',
        '*',
        '--domain',
        'x.test',
        '--admin',
        '--json',
        '--min-part-size',
        '1024',
      ],
      {},
    );
    expect(r.kind).toBe('run');
    if (r.kind !== 'run') return;
    expect(r.options).toEqual({
      host: '0.0.0.0',
      port: 0,
      dataDir: '/d',
      buckets: ['a1b', 'c2d'],
      anonymous: true,
      region: 'cn-beijing',
      corsOrigins: ['*'],
      domains: ['x.test'],
      admin: true,
      limits: { minPartSize: 1024 },
    });
    expect(r.json).toBe(true);
  });

  it('takes credentials from the environment only', () => {
    const r = parseDevServerArgs([], { OSS_ACCESS_KEY_ID: 'id', OSS_ACCESS_KEY_SECRET: 'secret' });
    expect(r.kind === 'run' && r.options.credentials).toEqual({
      accessKeyId: 'id',
      accessKeySecret: 'secret',
    });
    expect(parseDevServerArgs([], { OSS_ACCESS_KEY_ID: 'id' }).kind).toBe('error');
    for (const flag of ['--access-key-secret=x', '--secret', '--accessKeySecret', '--sk=1']) {
      const e = parseDevServerArgs([flag], {});
      expect(e.kind).toBe('error');
      if (e.kind === 'error') expect(e.message).not.toContain('x');
    }
  });

  it('reports usage errors', () => {
    expect(parseDevServerArgs(['--port', 'abc'], {}).kind).toBe('error');
    expect(parseDevServerArgs(['--port', '70000'], {}).kind).toBe('error');
    expect(parseDevServerArgs(['--bucket'], {}).kind).toBe('error');
    expect(parseDevServerArgs(['--frobnicate'], {}).kind).toBe('error');
    expect(parseDevServerArgs(['--ephemeral', '--data', '/d'], {}).kind).toBe('error');
    expect(parseDevServerArgs(['--help'], {}).kind).toBe('help');
    expect(parseDevServerArgs(['--version'], {}).kind).toBe('version');
  });

  it('leaves the data directory unset with --ephemeral', () => {
    const r = parseDevServerArgs(['--ephemeral'], {});
    expect(r.kind === 'run' && r.options.dataDir).toBeUndefined();
  });
});
