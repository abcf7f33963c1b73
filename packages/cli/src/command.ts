import type { ResolvedConfig } from './config.ts';
import type { Output } from './output.ts';

/** One option of a command, as `node:util` parseArgs reads it, plus its help text. */
export interface OptionDef {
  /** Whether the option takes a value. */
  type: 'string' | 'boolean';
  /** One-letter alias, e.g. `q` for `-q`. */
  short?: string;
  /** Whether it may be given several times. */
  multiple?: boolean;
  /** Placeholder shown in help, e.g. `SIZE`. */
  value?: string;
  /** Help text. */
  description: string;
  /** Default shown in help (the command applies it). */
  defaultText?: string;
}

/** What a command receives when it runs. */
export interface CommandContext {
  /** Where the command writes (honours `--json`, `--quiet`, `--verbose`). */
  out: Output;
  /** Positional arguments after the command name. */
  positionals: string[];
  /** Parsed option values (command and global). */
  values: Record<string, string | boolean | string[] | undefined>;
  /** Resolves endpoint and credentials (flags, env, config file, local server) on demand. */
  config(): Promise<ResolvedConfig>;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** Environment variables. */
  env: Record<string, string | undefined>;
  /** Asks a yes/no question on the terminal; false when there is no terminal. */
  confirm(question: string): Promise<boolean>;
}

/**
 * A command of the `ossup` CLI. Help text and the CLI reference in docs are generated from
 * these definitions, so they cannot drift from what the parser accepts.
 */
export interface CommandDef {
  /** Command name, e.g. `cp`. */
  name: string;
  /** One-line description for the command list. */
  summary: string;
  /** Usage line after `ossup `. */
  usage: string;
  /** Longer explanation and examples, shown by `--help`. */
  details?: string;
  /** Options of the command, by long name. */
  options: Record<string, OptionDef>;
  /** Smallest and largest number of positional arguments. */
  positionals: [min: number, max: number];
  /**
   * Hand every argument after the command name to the command unparsed (as positionals):
   * for `serve`, whose options belong to the dev server.
   */
  rawArgs?: boolean;
  /** Runs the command; resolves with the exit code. */
  run(ctx: CommandContext): Promise<number>;
}
