import { UsageError } from './usage-error.ts';

/** One `[section]` of a config file: string keys to string values. */
export type ConfigSection = Record<string, string>;

/**
 * Reads the small TOML subset ossup's config file uses: `[section]` or `[profile.name]`
 * headers, `key = "value"` (double or single quotes, or a bare word/number/boolean), `#`
 * comments (outside quotes) and blank lines. Anything else is an error naming the file, the
 * line and the key, rather than a guess.
 *
 * Errors never quote the text of the file: the line that fails to parse may well hold a
 * secret (an unquoted `session_token = CAIS…+…==`), and they are printed before any secret is
 * known to the redacting output.
 *
 * @throws {@link UsageError} for anything it cannot read.
 */
export function parseConfigToml(text: string, file: string): Map<string, ConfigSection> {
  const sections = new Map<string, ConfigSection>();
  let current: ConfigSection | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const where = `${file}:${i + 1}`;
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[\s*([A-Za-z0-9_.-]+)\s*\]\s*(?:#.*)?$/.exec(line);
    if (header) {
      const name = header[1]!.replace(/^profile\./, '');
      current = sections.get(name) ?? {};
      sections.set(name, current);
      continue;
    }
    const kv = /^([A-Za-z0-9_-]+)\s*=\s*/.exec(line);
    if (!kv) {
      throw new UsageError(
        `${where}: cannot read this line. Expected key = "value", [profile] or a # comment.`,
      );
    }
    const key = kv[1]!;
    const value = readValue(line.slice(kv[0].length));
    if (value === undefined) {
      throw new UsageError(
        `${where}: cannot read the value of ${key}. Quote it: ${key} = "…" (a # outside quotes starts a comment).`,
      );
    }
    if (!current) {
      current = sections.get('default') ?? {};
      sections.set('default', current);
    }
    current[key] = value;
  }
  return sections;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', '"': '"', '\\': '\\' };

/**
 * The value at the start of `raw` (what follows `key =`), or undefined when it is malformed:
 * an unterminated string, a bare value with other characters, or anything
 * after the value but a comment.
 */
function readValue(raw: string): string | undefined {
  let value: string;
  let rest: string;
  if (raw.startsWith('"')) {
    value = '';
    let i = 1;
    for (; i < raw.length && raw[i] !== '"'; i++) {
      if (raw[i] !== '\\') {
        value += raw[i];
        continue;
      }
      const next = raw[++i];
      if (next === undefined) return undefined;
      // Other escapes are kept as written, as this reader always did (`"C:\data"`).
      value += ESCAPES[next] ?? `\\${next}`;
    }
    if (i >= raw.length) return undefined;
    rest = raw.slice(i + 1);
  } else if (raw.startsWith("'")) {
    const end = raw.indexOf("'", 1);
    if (end < 0) return undefined;
    value = raw.slice(1, end);
    rest = raw.slice(end + 1);
  } else {
    const m = /^([A-Za-z0-9_.:/+-]+)(.*)$/.exec(raw);
    if (!m) return undefined;
    value = m[1]!;
    rest = m[2]!;
  }
  return /^\s*(?:#.*)?$/.test(rest) ? value : undefined;
}
