import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { crc64 } from '@ossup/checksum';
import { type DevServer, startDevServer } from '@ossup/dev-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, jsonLines, pkgDir, randomFile, tempDir } from './helpers.ts';

// `ossup cp` + `ossup stat` under Bun, Deno, and as the standalone binary that
// `bun build --compile` makes, against one real dev server.
const root = join(pkgDir, '..', '..');
const bun = join(root, 'node_modules', '.bin', 'bun');
const deno = join(root, 'node_modules', '.bin', 'deno');

let server: DevServer;
let work: { dir: string; cleanup: () => Promise<void> };
let binary: string;

beforeAll(async () => {
  work = await tempDir();
  server = await startDevServer({ buckets: ['runtimes'] });
  binary = join(work.dir, 'ossup');
  const build = spawnSync(
    bun,
    ['build', 'src/bin.ts', '--conditions=source', '--compile', `--outfile=${binary}`],
    {
      cwd: pkgDir,
      encoding: 'utf8',
    },
  );
  expect(build.status, build.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await work?.cleanup();
});

const runners: Record<string, () => string[]> = {
  bun: () => [bun, '--conditions=source', 'src/bin.ts'],
  deno: () => [deno, 'run', '--allow-all', '--conditions=source', 'src/bin.ts'],
  binary: () => [binary],
};

describe('the CLI under other runtimes', () => {
  for (const [name, argv] of Object.entries(runners)) {
    it(`uploads and verifies with ${name}`, async () => {
      const { path, bytes } = await randomFile(work.dir, `${name}.bin`, 300 * 1024 + 3);
      const env = {
        PATH: process.env.PATH,
        HOME: work.dir,
        NO_COLOR: '1',
        OSSUP_STATE_DIR: join(work.dir, `state-${name}`),
        OSS_ENDPOINT: server.endpoint,
        OSS_REGION: server.region,
        OSS_ACCESS_KEY_ID: server.credentials.accessKeyId,
        OSS_ACCESS_KEY_SECRET: server.credentials.accessKeySecret,
      };
      const run = (args: string[]) => {
        const [cmd, ...pre] = argv();
        return collect(
          spawn(cmd!, [...pre, ...args], { cwd: pkgDir, env, stdio: ['ignore', 'pipe', 'pipe'] }),
        );
      };
      const cp = await run([
        'cp',
        path,
        `oss://runtimes/${name}.bin`,
        '--part-size',
        '100KiB',
        '--json',
      ]);
      expect({ name, code: cp.code, stderr: cp.stderr }).toEqual({ name, code: 0, stderr: '' });
      expect(jsonLines(cp.stdout).find((d) => d.type === 'result')?.crc64).toBe(
        crc64(bytes).toString(),
      );
      const stat = await run(['stat', `oss://runtimes/${name}.bin`, '--json']);
      expect(stat.code).toBe(0);
      expect(jsonLines(stat.stdout)[0]?.crc64).toBe(crc64(bytes).toString());
    });
  }
});
