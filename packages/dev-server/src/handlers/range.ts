import { invalidRange } from '../error-codes.ts';

/** A satisfiable byte range, inclusive `first`..`last`. */
export interface ByteRange {
  readonly first: number;
  readonly last: number;
}

/**
 * Interprets `Range` like OSS (§4.8): only the first range counts; by default an invalid or
 * unsatisfiable range is ignored (whole object, 200). With `x-oss-range-behavior: standard`
 * an end past the object is clipped and a start past it is 416 InvalidRange.
 */
export function resolveRange(
  header: string | undefined,
  size: number,
  standard: boolean,
): ByteRange | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*bytes\s*=\s*([^,]*)/i.exec(header);
  if (!m) return undefined;
  const spec = m[1]!.trim();
  const r = /^(\d*)\s*-\s*(\d*)$/.exec(spec);
  if (!r) return undefined;
  const [, a, b] = r as unknown as [string, string, string];
  if (a === '' && b === '') return undefined;
  if (a === '') {
    const n = Number(b);
    if (n === 0) return standard ? throwRange() : undefined;
    if (n > size) {
      if (!standard) return undefined;
      return size === 0 ? throwRange() : { first: 0, last: size - 1 };
    }
    return { first: size - n, last: size - 1 };
  }
  const first = Number(a);
  const last = b === '' ? size - 1 : Number(b);
  if (b !== '' && last < first) return undefined;
  if (first >= size) return standard ? throwRange() : undefined;
  if (last >= size) return standard ? { first, last: size - 1 } : undefined;
  return { first, last };
}

function throwRange(): never {
  throw invalidRange();
}
