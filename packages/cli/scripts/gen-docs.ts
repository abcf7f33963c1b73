// Writes docs/cli.md from the command definitions. Run: pnpm --filter @ossup/cli run docs
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliReferenceMarkdown } from '../src/cli-reference.ts';
import { COMMANDS } from '../src/commands/index.ts';
import { VERSION } from '../src/version.ts';

const target = join(import.meta.dirname, '..', '..', '..', 'docs', 'cli.md');
writeFileSync(target, cliReferenceMarkdown(COMMANDS, VERSION));
process.stdout.write(`wrote ${target}\n`);
