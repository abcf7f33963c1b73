import type { CommandDef } from './command.ts';
import { commandHelp, mainHelp } from './help.ts';

/**
 * The CLI reference in Markdown, generated from the command definitions (the same ones the
 * parser and `--help` use), so `docs/cli.md` cannot drift from what the CLI accepts. A test
 * fails when the committed file differs; `pnpm --filter @ossup/cli run docs` rewrites it.
 */
export function cliReferenceMarkdown(commands: readonly CommandDef[], version: string): string {
  const parts = [
    '# ossup command line reference',
    '',
    '<!-- Generated from packages/cli/src/commands by `pnpm --filter @ossup/cli run docs`. Do not edit. -->',
    '',
    '```text',
    mainHelp(commands, version)
      .replace(/^ossup \S+: /, 'ossup: ')
      .trimEnd(),
    '```',
    '',
  ];
  for (const c of commands) {
    parts.push(
      `## ossup ${c.name}`,
      '',
      c.summary.charAt(0).toUpperCase() + c.summary.slice(1) + '.',
      '',
      '```text',
      commandHelp(c).trimEnd(),
      '```',
      '',
    );
  }
  parts.push(
    '## Exit codes',
    '',
    '| code | meaning |',
    '| --- | --- |',
    '| 0 | success |',
    '| 1 | failure (service error, network, integrity, file problem) |',
    '| 2 | usage error or bad configuration (config file, profile, environment): nothing was attempted |',
    '| 130 | interrupted (SIGINT/SIGTERM, also Ctrl-C at a confirmation prompt); an upload keeps its checkpoint, run the same command again to resume |',
    '| 141 | stdout was closed by its reader (`ossup get oss://b/k - \\| head`): the command stopped quietly, as SIGPIPE ends other programs |',
    '',
  );
  return parts.join('\n');
}
