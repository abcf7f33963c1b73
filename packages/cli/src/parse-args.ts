import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { CommandContext, OptionDef } from './command.ts';

/**
 * Parses a command's arguments against its options and the global ones.
 *
 * `allowNegative` lets `--no-path-style` turn off a `path_style = true` from a profile. It also
 * makes node:util read `--no-resume` as `resume: false` even though the option is declared as
 * `no-resume`, so such declared `no-*` options are mapped back to their own name here: commands
 * read `values['no-resume']`.
 *
 * @throws the parser's own error (unknown option, missing value) for the caller to report.
 */
export function parseCommandArgs(
  options: Record<string, OptionDef>,
  args: string[],
): { values: CommandContext['values']; positionals: string[] } {
  const parsed = parseArgs({
    args,
    options: options as ParseArgsConfig['options'],
    allowPositionals: true,
    allowNegative: true,
    strict: true,
  });
  const values = parsed.values as CommandContext['values'];
  for (const [name, def] of Object.entries(options)) {
    if (def.type !== 'boolean' || !name.startsWith('no-')) continue;
    const positive = name.slice(3);
    if (positive in options || values[positive] !== false) continue;
    delete values[positive];
    values[name] = true;
  }
  return { values, positionals: parsed.positionals };
}
