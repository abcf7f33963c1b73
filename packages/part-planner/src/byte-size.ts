import { InvalidByteSizeError } from './errors.ts';
import { requireByteCount } from './validate.ts';

/** Options of {@link formatBytes}. */
export interface FormatBytesOptions {
  /**
   * `'iec'` (default): powers of 1024 with KiB, MiB, GiB, TiB, PiB — matches how part sizes
   * and OSS limits are defined. `'si'`: powers of 1000 with kB, MB, GB, TB, PB.
   */
  readonly system?: 'iec' | 'si';
  /** Most digits after the decimal point; trailing zeros are dropped. Default 2, range 0–6. */
  readonly maximumFractionDigits?: number;
}

const IEC_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;
const SI_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const;

/**
 * Formats a byte count for people: `formatBytes(8388608)` → `"8 MiB"`,
 * `formatBytes(1536)` → `"1.5 KiB"`, `formatBytes(512)` → `"512 B"`,
 * `formatBytes(1_500_000, { system: 'si' })` → `"1.5 MB"`.
 *
 * Values are rounded to `maximumFractionDigits`, so the text is exact only for round sizes
 * (8 MiB, 100 KiB, 5 GiB parse back to the same number with {@link parseByteSize}); print the
 * byte count too where exactness matters.
 *
 * @throws TypeError / RangeError if `bytes` is not a non-negative safe integer.
 */
export function formatBytes(bytes: number, options: FormatBytesOptions = {}): string {
  const n = requireByteCount('bytes', bytes);
  const si = options.system === 'si';
  if (options.system !== undefined && options.system !== 'iec' && !si) {
    throw new RangeError(`system must be 'iec' or 'si', got ${String(options.system)}.`);
  }
  const digits = options.maximumFractionDigits ?? 2;
  if (!Number.isInteger(digits) || digits < 0 || digits > 6) {
    throw new RangeError(`maximumFractionDigits must be a whole number 0–6, got ${digits}.`);
  }
  const base = si ? 1000 : 1024;
  const units = si ? SI_UNITS : IEC_UNITS;
  let exponent = 0;
  while (exponent < units.length - 1 && n >= base ** (exponent + 1)) exponent++;
  let value = round(n / base ** exponent, digits);
  // 1023.999 KiB rounds to "1024 KiB"; say "1 MiB" instead.
  if (value >= base && exponent < units.length - 1) {
    exponent++;
    value = round(n / base ** exponent, digits);
  }
  return `${value} ${units[exponent]}`;
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

// Single letters (k, M, G…) are rejected: dd and Docker read them as powers of 1024, Kubernetes
// and most SI-minded tools as powers of 1000. A part size off by 5 % is a silent surprise, so
// we ask for an explicit unit instead.
const MULTIPLIERS: ReadonlyMap<string, bigint> = new Map([
  ['', 1n],
  ['b', 1n],
  ['byte', 1n],
  ['bytes', 1n],
  ['kib', 1024n],
  ['ki', 1024n],
  ['mib', 1024n ** 2n],
  ['mi', 1024n ** 2n],
  ['gib', 1024n ** 3n],
  ['gi', 1024n ** 3n],
  ['tib', 1024n ** 4n],
  ['ti', 1024n ** 4n],
  ['pib', 1024n ** 5n],
  ['pi', 1024n ** 5n],
  ['kb', 1000n],
  ['mb', 1000n ** 2n],
  ['gb', 1000n ** 3n],
  ['tb', 1000n ** 4n],
  ['pb', 1000n ** 5n],
]);

const AMBIGUOUS: ReadonlyMap<string, string> = new Map([
  ['k', 'K'],
  ['m', 'M'],
  ['g', 'G'],
  ['t', 'T'],
  ['p', 'P'],
]);

const SYNTAX = /^(\d+)(?:\.(\d+))?\s*([a-z]*)$/i;
const EXAMPLES =
  'e.g. "8MiB", "100 KiB", "5GiB", "1.5MB" or a plain number of bytes such as "102400"';

/**
 * Parses a byte size as a CLI flag would take it (`--part-size 16MiB`) into a number of bytes.
 *
 * Accepted: a non-negative decimal number, optional spaces, and an optional unit, case-
 * insensitively. IEC units are powers of 1024 (`KiB`/`Ki`, `MiB`/`Mi`, `GiB`, `TiB`, `PiB`),
 * SI units powers of 1000 (`kB`, `MB`, `GB`, `TB`, `PB`); `B`, `byte`, `bytes` or no unit mean
 * bytes. Fractions are allowed with a unit (`1.5MiB` = 1572864, `1.5MB` = 1500000); the value
 * is computed exactly in decimal and rounded half up to a whole byte (`0.1KiB` = 102.4 → 102),
 * so text from {@link formatBytes} parses back to within its rounding. A number argument is
 * checked and returned as is.
 *
 * Rejected with {@link InvalidByteSizeError}: empty text, signs, exponents, thousands separators,
 * unknown units, the ambiguous single letters `K`/`M`/`G`/`T`/`P` (the message asks for `MiB`
 * or `MB`), fractions of a plain byte (`1.5`, `1.5B`), and results above
 * `Number.MAX_SAFE_INTEGER`.
 *
 * @throws InvalidByteSizeError for text or numbers that are not a valid byte size.
 * @throws TypeError when `input` is neither a string nor a number.
 */
export function parseByteSize(input: string | number): number {
  if (typeof input === 'number') {
    try {
      return requireByteCount('byte size', input);
    } catch (error) {
      if (error instanceof RangeError) throw new InvalidByteSizeError(error.message, String(input));
      throw error;
    }
  }
  if (typeof input !== 'string') {
    throw new TypeError(
      `parseByteSize() takes a string such as "8MiB" or a number of bytes, got ${typeof input}.`,
    );
  }
  const text = input.trim();
  const shown = JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input);
  if (text === '') {
    throw new InvalidByteSizeError(`Byte size is empty; give a size, ${EXAMPLES}.`, input);
  }
  const match = SYNTAX.exec(text);
  if (match === null) {
    throw new InvalidByteSizeError(
      `${shown} is not a byte size; use a non-negative number and an optional unit, ${EXAMPLES}.`,
      input,
    );
  }
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  const unit = (match[3] ?? '').toLowerCase();
  const letter = AMBIGUOUS.get(unit);
  if (letter !== undefined) {
    throw new InvalidByteSizeError(
      `${shown} is ambiguous: "${letter}" means a power of 1024 in some tools and of 1000 in others. ` +
        `Write ${whole}${fraction ? `.${fraction}` : ''}${letter}iB for powers of 1024 or ` +
        `${whole}${fraction ? `.${fraction}` : ''}${letter === 'K' ? 'k' : letter}B for powers of 1000.`,
      input,
    );
  }
  const multiplier = MULTIPLIERS.get(unit);
  if (multiplier === undefined) {
    throw new InvalidByteSizeError(
      `${shown} has an unknown unit "${match[3]}"; use B, KiB, MiB, GiB, TiB, PiB ` +
        `(powers of 1024) or kB, MB, GB, TB, PB (powers of 1000).`,
      input,
    );
  }
  if (fraction !== '' && multiplier === 1n) {
    throw new InvalidByteSizeError(
      `${shown} is a fraction of a byte; give a whole number of bytes or use a unit such as KiB.`,
      input,
    );
  }
  // Exact decimal arithmetic, then round half up: "1.23MiB" is 1289748.48 bytes → 1289748.
  const scale = 10n ** BigInt(fraction.length);
  const bytes = (BigInt(whole + fraction) * multiplier * 2n + scale) / (2n * scale);
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InvalidByteSizeError(
      `${shown} is larger than ${Number.MAX_SAFE_INTEGER} bytes (Number.MAX_SAFE_INTEGER), ` +
        'the most this library can count exactly; no OSS object is that large.',
      input,
    );
  }
  return Number(bytes);
}
