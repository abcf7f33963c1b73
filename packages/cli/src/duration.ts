import { UsageError } from './usage-error.ts';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/**
 * Parses a duration such as `90s`, `15m`, `2h`, `7d`, `1w`, or a plain number of seconds,
 * into seconds.
 *
 * @throws {@link UsageError} with the accepted forms.
 */
export function parseDuration(text: string, what = 'duration'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$/i.exec(text);
  if (!m) {
    throw new UsageError(
      `${what} "${text}" is not a duration. Use a number with s, m, h, d or w, e.g. 15m or 7d.`,
    );
  }
  const seconds = Number(m[1]) * (UNITS[(m[2] || 's').toLowerCase()] ?? 1);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`${what} "${text}" must be greater than zero.`);
  }
  // Fix (apps/reliability test/fuzz.test.ts): "0.4s" rounded to 0 and was returned, a
  // zero-second expiry or age that the check above exists to refuse.
  if (Math.round(seconds) < 1) {
    throw new UsageError(`${what} "${text}" must be at least 1 second.`);
  }
  return Math.round(seconds);
}
