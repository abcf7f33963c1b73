import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliReferenceMarkdown } from '../src/cli-reference.ts';
import { COMMANDS } from '../src/commands/index.ts';
import { VERSION } from '../src/version.ts';
import { pkgDir, runCli } from './helpers.ts';

describe('docs/cli.md', () => {
  it('is exactly what the command definitions generate (run `pnpm --filter @ossup/cli run docs`)', async () => {
    const committed = await readFile(join(pkgDir, '..', '..', 'docs', 'cli.md'), 'utf8');
    expect(committed).toBe(cliReferenceMarkdown(COMMANDS, VERSION));
  });

  it('matches what `--help` prints for every command', async () => {
    const doc = cliReferenceMarkdown(COMMANDS, VERSION);
    for (const c of COMMANDS.filter((x) => !x.rawArgs)) {
      const r = await runCli([c.name, '--help'], { HOME: '/nonexistent' });
      expect(r.code).toBe(0);
      expect(doc).toContain(r.stdout.trimEnd());
    }
  });
});
