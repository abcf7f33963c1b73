const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

function checkDate(date: Date): void {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new RangeError('Expected a valid Date to format.');
  }
}

/**
 * Formats an instant as the RFC 1123 date OSS uses in `Date` / V1 `x-oss-date` headers:
 * `Wed, 28 Dec 2022 10:27:41 GMT` (UTC, milliseconds dropped).
 */
export function formatRfc1123(date: Date): string {
  checkDate(date);
  return (
    `${DAYS[date.getUTCDay()]}, ${pad(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ` +
    `${pad(date.getUTCFullYear(), 4)} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:` +
    `${pad(date.getUTCSeconds())} GMT`
  );
}

/**
 * Formats an instant as the ISO 8601 basic form of V4 `x-oss-date`:
 * `20231216T162057Z` (UTC, milliseconds dropped). Its first 8 characters are the scope date.
 */
export function formatIso8601Basic(date: Date): string {
  checkDate(date);
  return (
    `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`
  );
}

function fromParts(
  year: number,
  month: number,
  day: number,
  hours: number,
  minutes: number,
  seconds: number,
): Date | undefined {
  const date = new Date(Date.UTC(year, month, day, hours, minutes, seconds));
  // Date.UTC rolls over out-of-range fields (Feb 30 -> Mar 2); reject instead.
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hours ||
    date.getUTCMinutes() !== minutes ||
    date.getUTCSeconds() !== seconds
  ) {
    return undefined;
  }
  return date;
}

/**
 * Parses an RFC 1123 date (`Wed, 28 Dec 2022 10:27:41 GMT`; a one-digit day is accepted).
 * Returns `undefined` for anything else instead of guessing, since engines' `Date.parse`
 * differ on non-standard input.
 */
export function parseRfc1123(value: string): Date | undefined {
  const match =
    /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(
      value.trim(),
    );
  if (!match) return undefined;
  const [, day, month, year, hours, minutes, seconds] = match;
  return fromParts(
    Number(year),
    MONTHS.indexOf(month as (typeof MONTHS)[number]),
    Number(day),
    Number(hours),
    Number(minutes),
    Number(seconds),
  );
}

/** Parses a V4 `x-oss-date` (`20231216T162057Z`); `undefined` when malformed. */
export function parseIso8601Basic(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hours, minutes, seconds] = match;
  return fromParts(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hours),
    Number(minutes),
    Number(seconds),
  );
}
