import type { CommandDef, OptionDef } from './command.ts';
import { GLOBAL_OPTIONS } from './global-options.ts';

function optionLines(options: Record<string, OptionDef>): string[] {
  const rows = Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.value ? ` ${o.value}` : ''}`;
    const def = o.defaultText ? ` (default: ${o.defaultText})` : '';
    const rep = o.multiple ? ' (repeatable)' : '';
    return [flag, `${o.description}${def}${rep}`] as const;
  });
  const width = Math.max(0, ...rows.map(([f]) => f.length));
  return rows.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`);
}

/** Help for one command, generated from its definition. */
export function commandHelp(cmd: CommandDef): string {
  const lines = [`Usage: ossup ${cmd.usage}`, '', cmd.summary];
  if (cmd.details) lines.push('', cmd.details.trim());
  if (Object.keys(cmd.options).length > 0) lines.push('', 'Options:', ...optionLines(cmd.options));
  // A command that takes its arguments raw (`serve`: the dev server's own parser) does not
  // read the global options either.
  if (!cmd.rawArgs) lines.push('', 'Global options:', ...optionLines(GLOBAL_OPTIONS));
  return `${lines.join('\n')}\n`;
}

/** The top-level help: every command with its summary. */
export function mainHelp(commands: readonly CommandDef[], version: string): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `ossup ${version}: resumable, verified uploads to Alibaba Cloud OSS`,
    '',
    'Usage: ossup <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '  --version         print the version',
    '',
    'Credentials come from the environment (OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET,',
    'OSS_SESSION_TOKEN) or a profile in ~/.config/ossup/config.toml, never from flags.',
    'With nothing configured, commands use the local server started by `ossup serve`;',
    'a profile or credentials without an endpoint are an error (pass --local for that server).',
    '',
    'Run `ossup <command> --help` for the options of a command.',
    '',
  ].join('\n');
}
