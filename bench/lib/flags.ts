// Minimal command-line flags for the topics: `--name value`, `--name=value` and bare
// `--name` (true). Unknown flags are an error, so a typo does not silently run the default.

/** Parsed flags: strings for valued flags, `true` for bare ones. */
export type Flags = ReadonlyMap<string, string | true>;

/**
 * Parses `argv` against the allowed names: `valued` take a value, `bare` do not.
 * Exits with a usage message on anything else.
 */
export function parseFlags(
  argv: readonly string[],
  valued: readonly string[],
  bare: readonly string[],
  usage: string,
): Flags {
  const out = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      console.log(usage);
      process.exit(0);
    }
    const eq = arg.indexOf('=');
    const name = (eq > 0 ? arg.slice(0, eq) : arg).replace(/^--/, '');
    if (!arg.startsWith('--') || !(valued.includes(name) || bare.includes(name))) {
      console.error(`Unknown argument ${arg}.\n\n${usage}`);
      process.exit(2);
    }
    if (bare.includes(name)) {
      out.set(name, true);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value.startsWith('--')) {
      console.error(`--${name} needs a value.\n\n${usage}`);
      process.exit(2);
    }
    out.set(name, value);
  }
  return out;
}

/** A comma-separated list flag, or the default. */
export function listFlag(flags: Flags, name: string, fallback: readonly string[]): string[] {
  const v = flags.get(name);
  return typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [...fallback];
}
