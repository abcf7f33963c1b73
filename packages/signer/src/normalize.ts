import type { HeadersInput, QueryInput } from './types.ts';

/**
 * Lower-cases header names and merges case variants (`X-Oss-Meta-A` and `x-oss-meta-a`)
 * into one value joined with `,`, the rule OSS applies to repeated headers. `undefined`
 * values are dropped. Values are kept as given; canonical forms trim them.
 */
export function normalizeHeaders(headers: HeadersInput | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    const previous = out[lower];
    out[lower] = previous === undefined ? String(value) : `${previous},${value}`;
  }
  return out;
}

/** Turns either query form into `[name, value]` pairs; an `undefined` value becomes `''`. */
export function normalizeQuery(query: QueryInput | undefined): Array<[string, string]> {
  if (!query) return [];
  const entries: ReadonlyArray<readonly [string, string | undefined]> = Array.isArray(query)
    ? (query as ReadonlyArray<readonly [string, string | undefined]>)
    : Object.entries(query as Readonly<Record<string, string | undefined>>);
  return entries.map(([name, value]) => [String(name), value === undefined ? '' : String(value)]);
}

/**
 * Orders strings by Unicode code point, which is the byte order of their UTF-8 encodings
 * (plain `<` compares UTF-16 code units and misorders astral characters).
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** Removes HTTP optional whitespace (space, tab) around a header value, as HTTP parsers do. */
export function trimHeaderValue(value: string): string {
  return value.replace(/^[ \t]+|[ \t]+$/g, '');
}
