/** One `[section]` of a config file: string keys to string values. */
export type ConfigSection = Record<string, string>;

/**
 * Reads the small TOML subset ossup's config file uses: `[section]` or `[profile.name]`
 * headers, `key = "value"` (double or single quotes, or a bare word/number/boolean), `#`
 * comments and blank lines. Anything else is an error naming the line, rather than a guess.
 */
export function parseConfigToml(text: string, file: string): Map<string, ConfigSection> {
  const sections = new Map<string, ConfigSection>();
  let current: ConfigSection | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[\s*([A-Za-z0-9_.-]+)\s*\]$/.exec(line);
    if (header) {
      const name = header[1]!.replace(/^profile\./, '');
      current = sections.get(name) ?? {};
      sections.set(name, current);
      continue;
    }
    const kv = /^([A-Za-z0-9_-]+)\s*=\s*(.*?)\s*(?:#.*)?$/.exec(line);
    if (!kv)
      throw new Error(
        `${file}:${i + 1}: cannot read "${line}". Expected key = "value" or [profile].`,
      );
    if (!current) {
      current = sections.get('default') ?? {};
      sections.set('default', current);
    }
    current[kv[1]!] = unquote(kv[2]!, `${file}:${i + 1}`);
  }
  return sections;
}

function unquote(raw: string, where: string): string {
  if (/^"(?:[^"\\]|\\.)*"$/.test(raw)) {
    return raw
      .slice(1, -1)
      .replace(/\\(["\\nt])/g, (_, c: string) => ({ n: '\n', t: '\t' })[c] ?? c);
  }
  if (/^'[^']*'$/.test(raw)) return raw.slice(1, -1);
  if (/^[A-Za-z0-9_.:/+-]+$/.test(raw)) return raw;
  throw new Error(`${where}: cannot read the value ${raw}. Quote it: "value".`);
}
