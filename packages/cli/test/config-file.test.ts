import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliServer, jsonLines, runCli, startCliServer } from './helpers.ts';

const TOKEN = 'CAISleakedTokenValue0123+abc/def==';

let t: CliServer;

beforeAll(async () => {
  t = await startCliServer('config-bucket');
});

afterAll(async () => {
  await t?.close();
});

describe('config file errors', () => {
  it('name the file, line and key but never print the value; exit 2', async () => {
    const file = join(t.work.dir, 'leaky.toml');
    await writeFile(
      file,
      ['[default]', `endpoint = "${t.server.endpoint}"`, `session_token = ${TOKEN}`, ''].join('\n'),
    );
    const env = { ...t.env, OSSUP_CONFIG: file };
    const r = await runCli(['stat', 'oss://config-bucket/a', '--verbose'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/leaky\.toml:3: .*session_token/);
    const j = await runCli(['stat', 'oss://config-bucket/a', '--json'], env);
    expect(j.code).toBe(2);
    expect(jsonLines(j.stdout).find((d) => d.type === 'error')?.message).toMatch(
      /leaky\.toml:3: .*session_token/,
    );
    for (const text of [r.stdout, r.stderr, j.stdout, j.stderr]) {
      expect(text).not.toContain('CAISleaked');
      expect(text).not.toContain('abc/def');
    }
  });
});
