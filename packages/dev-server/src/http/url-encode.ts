const HEX = '0123456789ABCDEF';
const encoder = new TextEncoder();

function isUnreserved(b: number): boolean {
  return (
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    (b >= 0x30 && b <= 0x39) ||
    b === 0x2d ||
    b === 0x2e ||
    b === 0x5f ||
    b === 0x7e
  );
}

/**
 * Percent-encodes every UTF-8 byte outside `A-Z a-z 0-9 - _ . ~` with upper-case hex, the
 * `encoding-type=url` rule of the protocol reference (§4.0): it round-trips through both
 * `QueryUnescape`-style and `unquote`-style decoders because `+` and space are always escaped.
 */
export function ossUrlEncode(value: string): string {
  let out = '';
  for (const b of encoder.encode(value)) {
    out += isUnreserved(b) ? String.fromCharCode(b) : `%${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

/** Thrown when a percent-encoded string is not valid percent-encoded UTF-8. */
export class PercentDecodeError extends Error {
  constructor(readonly input: string) {
    super('malformed percent-encoding');
    this.name = 'PercentDecodeError';
  }
}

const fatalDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes `%XX` escapes exactly once and interprets the bytes as UTF-8. `plusIsSpace` turns
 * `+` into a space (query strings as go-v2 writes them; never for paths).
 */
export function percentDecode(input: string, plusIsSpace = false): string {
  if (
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the fast path is for all of ASCII
    /^[\x00-\x7f]*$/.test(input) &&
    !input.includes('%') &&
    !(plusIsSpace && input.includes('+'))
  ) {
    return input;
  }
  const bytes: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c === 0x25) {
      const hex = input.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new PercentDecodeError(input);
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (c === 0x2b && plusIsSpace) {
      bytes.push(0x20);
    } else if (c <= 0xff) {
      // Node hands over raw request-line bytes as latin1 characters: one char per byte.
      bytes.push(c);
    } else {
      const cp = input.codePointAt(i) ?? c;
      for (const b of encoder.encode(String.fromCodePoint(cp))) bytes.push(b);
      if (cp > 0xffff) i++;
    }
  }
  try {
    return fatalDecoder.decode(new Uint8Array(bytes));
  } catch {
    throw new PercentDecodeError(input);
  }
}
