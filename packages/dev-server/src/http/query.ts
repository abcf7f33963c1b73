import { percentDecode } from './url-encode.ts';

/** One query parameter: decoded name and value; `value` is `undefined` for `?uploads`. */
export interface QueryParam {
  readonly name: string;
  readonly value: string | undefined;
}

/**
 * The request's query string, decoded once. Parameter order and duplicates are kept because
 * signature verification needs them; `get` returns the first value.
 */
export class ParsedQuery {
  readonly params: readonly QueryParam[];
  readonly raw: string;
  private readonly byName = new Map<string, string>();

  constructor(raw: string) {
    this.raw = raw;
    const params: QueryParam[] = [];
    if (raw !== '') {
      for (const piece of raw.split('&')) {
        if (piece === '') continue;
        const eq = piece.indexOf('=');
        // `+` means space in query strings written by go-v2 and by URLSearchParams.
        const name = percentDecode(eq < 0 ? piece : piece.slice(0, eq), true);
        const value = eq < 0 ? undefined : percentDecode(piece.slice(eq + 1), true);
        params.push({ name, value });
        if (!this.byName.has(name)) this.byName.set(name, value ?? '');
      }
    }
    this.params = params;
  }

  /** True when the parameter is present, with or without a value. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** First value of the parameter; `''` for a bare `?name`; `undefined` when absent. */
  get(name: string): string | undefined {
    return this.byName.get(name);
  }

  /** Plain object view (first value wins), as handed to the signature verifier. */
  toRecord(): Record<string, string> {
    return Object.fromEntries(this.byName);
  }
}
