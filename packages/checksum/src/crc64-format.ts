import { ChecksumFormatError } from './errors.ts';
import { assertU64, U64_MAX } from './u64.ts';

/**
 * Formats a CRC-64 the way OSS writes it in `x-oss-hash-crc64ecma` and `<HashCrc64ecma>`:
 * unsigned decimal, no sign, no leading zeros (e.g. `"11051210869376104954"`).
 *
 * @param crc - the CRC, 0..2^64-1
 * @throws TypeError if `crc` is not a bigint
 * @throws RangeError if `crc` is outside 0..2^64-1 (a negative one is probably a Java signed
 *   long: add 2^64)
 */
export function crc64ToString(crc: bigint): string {
  assertU64(crc, 'crc');
  return crc.toString(10);
}

/**
 * Parses a CRC-64 from its OSS wire form (unsigned decimal), e.g. the value of the
 * `x-oss-hash-crc64ecma` response header or a ListParts `<HashCrc64ecma>` element.
 *
 * Strict on purpose, because a lenient parse would turn a garbled header into a false
 * integrity failure: only ASCII digits, no sign, no spaces, no `0x`, value at most 2^64-1.
 * Leading zeros are accepted.
 *
 * @param text - the decimal string
 * @returns the CRC as a bigint
 * @throws TypeError if `text` is not a string
 * @throws ChecksumFormatError (a RangeError) if it is empty, has a non-digit (including a
 *   minus sign or whitespace), or exceeds 2^64-1
 */
export function parseCrc64(text: string): bigint {
  if (typeof text !== 'string') {
    throw new TypeError(`CRC-64 text must be a string, got ${typeof text}.`);
  }
  if (text.length === 0) throw new ChecksumFormatError('crc64', text, 'it is empty');
  if (!/^[0-9]+$/.test(text)) {
    const problem =
      text[0] === '-'
        ? 'it is negative; OSS sends CRC-64 unsigned (a Java signed long needs 2^64 added)'
        : 'it must be an unsigned decimal integer made of ASCII digits only';
    throw new ChecksumFormatError('crc64', text, problem);
  }
  // Check the digit count before BigInt() so a huge string costs nothing.
  const significant = text.replace(/^0+(?=[0-9])/, '');
  const value = significant.length <= 20 ? BigInt(significant) : U64_MAX + 1n;
  if (value > U64_MAX) {
    throw new ChecksumFormatError('crc64', text, `it exceeds 2^64-1 (${U64_MAX})`);
  }
  return value;
}
