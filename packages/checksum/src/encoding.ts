import { ChecksumFormatError } from './errors.ts';

/** Options for {@link toHex}. */
export interface HexOptions {
  /**
   * Use `A-F` instead of `a-f`. OSS ETags are upper-case hex, so pass `true` to build or
   * compare one. Default `false`.
   */
  readonly upperCase?: boolean;
}

const HEX_LOWER = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX_UPPER = HEX_LOWER.map((pair) => pair.toUpperCase());

/**
 * Encodes bytes as hex, two digits per byte, lower-case unless `upperCase` is set.
 *
 * @param bytes - the bytes, e.g. an MD5 digest
 * @param options - see {@link HexOptions}
 */
export function toHex(bytes: Uint8Array, options: HexOptions = {}): string {
  const table = options.upperCase ? HEX_UPPER : HEX_LOWER;
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += table[bytes[i]!]!;
  return out;
}

/**
 * Decodes hex (either case) into bytes, e.g. an ETag's digits back into an MD5 digest.
 *
 * @throws TypeError if `hex` is not a string
 * @throws ChecksumFormatError (a RangeError) if the length is odd or a character is not hex
 */
export function fromHex(hex: string): Uint8Array {
  if (typeof hex !== 'string')
    throw new TypeError(`Hex input must be a string, got ${typeof hex}.`);
  if (hex.length % 2 !== 0) {
    throw new ChecksumFormatError('hex', hex, 'it has an odd number of digits');
  }
  if (!/^[0-9a-fA-F]*$/.test(hex)) {
    throw new ChecksumFormatError('hex', hex, 'it has a character other than 0-9, a-f, A-F');
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/**
 * Encodes bytes as standard padded Base64 (RFC 4648 §4), the form of the `Content-MD5` header:
 * `toBase64(await md5(body))`. No `Buffer`, so it works in every runtime.
 */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[v >>> 18]! + B64[(v >>> 12) & 63]! + B64[(v >>> 6) & 63]! + B64[v & 63]!;
  }
  if (i + 1 === n) {
    const v = bytes[i]! << 16;
    out += B64[v >>> 18]! + B64[(v >>> 12) & 63]! + '==';
  } else if (i + 2 === n) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64[v >>> 18]! + B64[(v >>> 12) & 63]! + B64[(v >>> 6) & 63]! + '=';
  }
  return out;
}

/**
 * Decodes standard padded Base64 (RFC 4648 §4), e.g. a `Content-MD5` header into the 16-byte
 * digest a server compares with the MD5 of the body it received.
 *
 * Strict, so that a verifier rejects what it cannot trust: padding is required, whitespace,
 * the URL-safe alphabet and non-canonical trailing bits are rejected. Every accepted string
 * round-trips through {@link toBase64}.
 *
 * @throws TypeError if `text` is not a string
 * @throws ChecksumFormatError (a RangeError) if it is not canonical padded Base64
 */
export function fromBase64(text: string): Uint8Array {
  if (typeof text !== 'string') {
    throw new TypeError(`Base64 input must be a string, got ${typeof text}.`);
  }
  if (text.length % 4 !== 0) {
    throw new ChecksumFormatError(
      'base64',
      text,
      'its length is not a multiple of 4 (padding is required)',
    );
  }
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const c0 = sextet(text, i);
    const c1 = sextet(text, i + 1);
    const c2 = last && padding === 2 ? 0 : sextet(text, i + 2);
    const c3 = last && padding >= 1 ? 0 : sextet(text, i + 3);
    const v = (c0 << 18) | (c1 << 12) | (c2 << 6) | c3;
    out[o++] = v >>> 16;
    if (o < out.length) out[o++] = (v >>> 8) & 0xff;
    if (o < out.length) out[o++] = v & 0xff;
    if (last && ((padding === 2 && (c1 & 15) !== 0) || (padding === 1 && (c2 & 3) !== 0))) {
      throw new ChecksumFormatError('base64', text, 'its last character has non-zero unused bits');
    }
  }
  return out;
}

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  const value = code < 128 ? B64_INDEX[code]! : -1;
  if (value < 0) {
    throw new ChecksumFormatError(
      'base64',
      text,
      `character ${JSON.stringify(text[index])} at ${index} is not in the standard Base64 alphabet (or padding is misplaced)`,
    );
  }
  return value;
}
