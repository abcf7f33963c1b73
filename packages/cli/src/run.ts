import { OssArgumentError } from '@ossup/client';
import type { CommandContext, CommandDef } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import { type ResolvedConfig, resolveConfig } from './config.ts';
import { describeError } from './describe-error.ts';
import { GLOBAL_OPTIONS } from './global-options.ts';
import { commandHelp, mainHelp } from './help.ts';
import { Output, type OutputOptions } from './output.ts';
import { parseCommandArgs } from './parse-args.ts';
import { StdoutClosedError } from './stdout-closed.ts';
import { EXIT, UsageError } from './usage-error.ts';
import { VERSION } from './version.ts';

/** Everything {@link run} needs from the process, injectable for tests. */
export interface RunOptions {
  /** Arguments after the program name, e.g. `['cp', 'a.bin', 'oss://b/']`. */
  argv: string[];
  /** Environment variables (credentials and settings are read from here). */
  env: Record<string, string | undefined>;
  /** Where results go. */
  stdout: OutputOptions['stdout'];
  /** Where progress, warnings and errors go. */
  stderr: OutputOptions['stderr'];
  /** Aborted when the user interrupts (SIGINT/SIGTERM). */
  signal: AbortSignal;
  /**
   * Reads one line of an answer from the terminal; absent when stdin is not a terminal. It
   * should stop reading when `signal` aborts (the prompt ends then either way).
   */
  readLine?: (signal: AbortSignal) => Promise<string>;
}

/**
 * Runs one `ossup` command line and resolves with the exit code (see {@link EXIT}). Never
 * throws: every failure is printed as one or two lines (or a JSON error document with
 * `--json`) and mapped to an exit code.
 */
export async function run(options: RunOptions): Promise<number> {
  const { argv } = options;
  const wantsJson = argv.includes('--json');
  const bootstrap = new Output({
    stdout: options.stdout,
    stderr: options.stderr,
    json: wantsJson,
    quiet: false,
    verbose: false,
  });
  const first = argv[0];
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? COMMANDS.find((c) => c.name === argv[1]) : undefined;
    options.stdout.write(topic ? commandHelp(topic) : mainHelp(COMMANDS, VERSION));
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  if (first === '--version' || first === 'version') {
    options.stdout.write(
      wantsJson
        ? `${JSON.stringify({ type: 'version', version: VERSION })}\n`
        : `ossup ${VERSION}\n`,
    );
    return EXIT.ok;
  }
  const cmd = COMMANDS.find((c) => c.name === first);
  if (!cmd) {
    bootstrap.error(`unknown command "${first}". Run \`ossup --help\` for the list of commands.`, {
      code: 'usage',
    });
    return EXIT.usage;
  }
  let values: CommandContext['values'];
  let positionals: string[];
  if (cmd.rawArgs) {
    positionals = argv.slice(1);
    values = { json: wantsJson };
  } else
    try {
      ({ values, positionals } = parseCommandArgs(
        { ...GLOBAL_OPTIONS, ...cmd.options },
        argv.slice(1),
      ));
    } catch (e) {
      bootstrap.error(
        `${(e as Error).message.replace(/\. To specify a positional.*$/s, '.')} Run \`ossup ${cmd.name} --help\`.`,
        {
          code: 'usage',
        },
      );
      return EXIT.usage;
    }
  if (values.help && !cmd.rawArgs) {
    options.stdout.write(commandHelp(cmd));
    return EXIT.ok;
  }
  const out = new Output({
    stdout: options.stdout,
    stderr: options.stderr,
    json: values.json === true,
    quiet: values.quiet === true,
    verbose: values.verbose === true,
  });
  const [min, max] = cmd.positionals;
  if (!cmd.rawArgs && (positionals.length < min || positionals.length > max)) {
    out.error(
      `${cmd.name} expects ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}. Usage: ossup ${cmd.usage}`,
      {
        code: 'usage',
      },
    );
    return EXIT.usage;
  }
  let resolved: Promise<ResolvedConfig> | undefined;
  const ctx: CommandContext = {
    out,
    positionals,
    values,
    env: options.env,
    signal: options.signal,
    config: () => {
      resolved ??= resolveConfig({
        env: options.env,
        flags: {
          endpoint: values.endpoint as string | undefined,
          region: values.region as string | undefined,
          profile: values.profile as string | undefined,
          signatureVersion: values['signature-version'] as string | undefined,
          pathStyle: values['path-style'] as boolean | undefined,
          local: values.local as boolean | undefined,
        },
      }).then((c) => {
        out.addSecret(c.accessKeySecret);
        out.addSecret(c.securityToken);
        out.debug(
          `endpoint ${c.endpoint} (from ${c.from}), region ${c.region}, signature ${c.signatureVersion}`,
        );
        return c;
      });
      return resolved;
    },
    confirm: async (question) => {
      if (!options.readLine) return false;
      const { signal } = options;
      signal.throwIfAborted();
      options.stderr.write(`${question} [y/N] `);
      // Ctrl-C at the prompt must end it at once (exit 130), not wait for a line that the
      // person who pressed it will never type.
      let onAbort = () => {};
      const interrupted = new Promise<never>((_, reject) => {
        onAbort = () => {
          options.stderr.write('\n');
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        const answer = await Promise.race([options.readLine(signal), interrupted]);
        // A readLine that ends its read on the abort answers '' (no): still an interrupt.
        signal.throwIfAborted();
        return ['y', 'yes'].includes(answer.trim().toLowerCase());
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    },
  };
  try {
    return await runCommand(cmd, ctx);
  } catch (e) {
    if (e instanceof StdoutClosedError) {
      out.debug('stdout was closed by its reader; stopped.');
      return EXIT.brokenPipe;
    }
    if (e instanceof UsageError) {
      out.error(e.message, { code: 'usage' });
      return EXIT.usage;
    }
    if (options.signal.aborted) {
      out.error('interrupted.', { code: 'interrupted' });
      return EXIT.interrupted;
    }
    const d = describeError(e);
    out.error(d.message, d.fields);
    if (d.detail) out.debug(d.detail);
    // Fix (apps/reliability bad-input table): an OssArgumentError is thrown before anything
    // is sent (e.g. `--part-size 50KiB`, under the OSS minimum): the command line was wrong,
    // and retrying cannot help, so it exits 2 like every other usage error, not 1.
    return e instanceof OssArgumentError ? EXIT.usage : EXIT.failure;
  }
}

function runCommand(cmd: CommandDef, ctx: CommandContext): Promise<number> {
  return cmd.run(ctx);
}
