const encoder = new TextEncoder();
const HEX = '0123456789ABCDEF';

// Byte -> output, precomputed once: the unreserved set of RFC 3986 §2.3 passes through,
// every other byte becomes %XX with upper-case hex.
const TABLE: string[] = Array.from({ length: 256 }, (_, byte) => {
  const unreserved =
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || // -
    byte === 0x5f || // _
    byte === 0x2e || // .
    byte === 0x7e; // ~
  return unreserved ? String.fromCharCode(byte) : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
});

function encode(value: string, keepSlash: boolean): string {
  // Fast path: pure unreserved ASCII needs no work (most parameter names and values).
  if (/^[A-Za-z0-9\-_.~]*$/.test(value)) return value;
  let out = '';
  for (const byte of encoder.encode(value)) {
    out += keepSlash && byte === 0x2f ? '/' : TABLE[byte];
  }
  return out;
}

/**
 * Percent-encodes a string as OSS V4 canonical strings require: the UTF-8 bytes of every
 * character outside `A-Z a-z 0-9 - _ . ~` become `%XX` with upper-case hex (space is `%20`,
 * never `+`; `*` is `%2A`; `~` stays). Use it for V4 query names and values and for
 * presigned URL query strings. Unlike `encodeURIComponent` it encodes `! ' ( ) *`, and unlike
 * `URLSearchParams` it never writes `+` for a space.
 *
 * Lone UTF-16 surrogates cannot be represented in UTF-8 and are encoded as U+FFFD.
 */
export function encodeRfc3986(value: string): string {
  return encode(value, false);
}

/**
 * Same as {@link encodeRfc3986} but keeps `/` literal: the encoding of object keys in the V4
 * canonical URI and in request paths (`dir/ü k+y.bin` → `dir/%C3%BC%20k%2By.bin`).
 */
export function encodeRfc3986Path(value: string): string {
  return encode(value, true);
}

const decoder = new TextDecoder();

/** Options of {@link percentDecode}. */
export interface PercentDecodeOptions {
  /**
   * Decode `+` as a space, as form-encoded query strings do (go-v2 and Node's querystring
   * read query strings that way). Use it for query strings, never for paths, where `+` is a
   * literal plus. Default `false`.
   */
  plusAsSpace?: boolean;
}

/**
 * Decodes `%XX` escapes exactly once and reads the bytes as UTF-8. Lenient, as a server
 * must be: a `%` not followed by two hex digits is kept literally, and invalid UTF-8 becomes
 * U+FFFD instead of throwing (unlike `decodeURIComponent`).
 */
export function percentDecode(value: string, options: PercentDecodeOptions = {}): string {
  const spaced = options.plusAsSpace ? value.replaceAll('+', ' ') : value;
  if (!spaced.includes('%')) return spaced;
  const bytes: number[] = [];
  for (let i = 0; i < spaced.length; ) {
    const char = spaced.charCodeAt(i);
    if (char === 0x25 && /^[0-9A-Fa-f]{2}$/.test(spaced.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(spaced.slice(i + 1, i + 3), 16));
      i += 3;
      continue;
    }
    const codePoint = spaced.codePointAt(i)!;
    const step = codePoint > 0xffff ? 2 : 1;
    for (const byte of encoder.encode(spaced.slice(i, i + step))) bytes.push(byte);
    i += step;
  }
  return decoder.decode(new Uint8Array(bytes));
}
