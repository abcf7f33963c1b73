import { assertU64, fromHalves, high32, low32 } from './u64.ts';

// GF(2) matrix method (as zlib's crc32_combine, widened to 64 bits). Appending n zero bytes to
// a message multiplies its (pre-xorout) CRC register by a fixed 64x64 bit matrix Z^n, and for
// CRC-64/XZ the init/xorout terms cancel, so CRC(A‖B) = Z^len(B) · CRC(A) xor CRC(B).
//
// Unlike zlib, which squares its way up to len2 on every call (~log2(len2) matrix squarings,
// each 64 matrix-vector products), we cache Z^(2^k) for k = 0..63 once and then apply one
// cached matrix per set bit of len2. That makes a combine a few dozen matrix-vector products,
// so folding 10,000 part CRCs takes milliseconds.
//
// A matrix is a Uint32Array of 128 words: column i (the image of register bit i) is the pair
// [2i] = low half, [2i + 1] = high half.

const POLY_LO = 0xd787_0f42;
const POLY_HI = 0xc96c_5795;

/** ZERO_BYTE_POWERS[k] = matrix for appending 2^k zero bytes; filled lazily. */
const ZERO_BYTE_POWERS: Uint32Array[] = [];

/** Result of {@link times}; module-level scratch avoids allocating a pair per product. */
let outLo = 0;
let outHi = 0;

/** Sets (outLo, outHi) = M · (lo, hi) over GF(2). */
function times(m: Uint32Array, lo: number, hi: number): void {
  let rLo = 0;
  let rHi = 0;
  for (let i = 0; lo !== 0; i += 2, lo >>>= 1) {
    if (lo & 1) {
      rLo ^= m[i]!;
      rHi ^= m[i + 1]!;
    }
  }
  for (let i = 64; hi !== 0; i += 2, hi >>>= 1) {
    if (hi & 1) {
      rLo ^= m[i]!;
      rHi ^= m[i + 1]!;
    }
  }
  outLo = rLo;
  outHi = rHi;
}

function square(m: Uint32Array): Uint32Array {
  const result = new Uint32Array(128);
  for (let i = 0; i < 128; i += 2) {
    times(m, m[i]!, m[i + 1]!);
    result[i] = outLo;
    result[i + 1] = outHi;
  }
  return result;
}

function zeroBytePower(k: number): Uint32Array {
  if (ZERO_BYTE_POWERS.length === 0) {
    // Operator for one zero bit: shift right by one, xor the polynomial if bit 0 was set.
    const oneBit = new Uint32Array(128);
    oneBit[0] = POLY_LO;
    oneBit[1] = POLY_HI;
    for (let n = 1; n < 64; n++) {
      const bit = n - 1;
      if (bit < 32) oneBit[2 * n] = (1 << bit) >>> 0;
      else oneBit[2 * n + 1] = (1 << (bit - 32)) >>> 0;
    }
    ZERO_BYTE_POWERS.push(square(square(square(oneBit))));
  }
  while (ZERO_BYTE_POWERS.length <= k) {
    ZERO_BYTE_POWERS.push(square(ZERO_BYTE_POWERS[ZERO_BYTE_POWERS.length - 1]!));
  }
  return ZERO_BYTE_POWERS[k]!;
}

/**
 * Combines two CRC-64/XZ values: given `crc1 = CRC(A)`, `crc2 = CRC(B)` and `len2 = len(B)`,
 * returns `CRC(A ‖ B)` without the data. This is how the CRC of a multipart object is derived
 * from its parts' CRCs (OSS returns each part's in `x-oss-hash-crc64ecma` and ListParts'
 * `HashCrc64ecma`); see {@link combineCrc64Parts} to fold a whole list.
 *
 * `combineCrc64(0n, c, n)` is `c`, and `combineCrc64(c, 0n, 0)` is `c`.
 *
 * @param crc1 - CRC of the first piece
 * @param crc2 - CRC of the second piece
 * @param len2 - byte length of the second piece; a safe-integer number or a bigint, up to 2^64-1
 * @throws TypeError if a CRC is not a bigint or `len2` is neither a number nor a bigint
 * @throws RangeError if a CRC is outside 0..2^64-1 or `len2` is negative, fractional, an unsafe
 *   integer number (pass a bigint instead) or above 2^64-1
 */
export function combineCrc64(crc1: bigint, crc2: bigint, len2: number | bigint): bigint {
  assertU64(crc1, 'crc1');
  assertU64(crc2, 'crc2');
  const length = toLength(len2, 'len2');
  if (length === 0n) return crc1 ^ crc2;
  let lo = low32(crc1);
  let hi = high32(crc1);
  // Split the length into 32-bit halves so the bit scan below stays in small integers.
  let lenLo = Number(length & 0xffff_ffffn);
  let lenHi = Number(length >> 32n);
  for (let k = 0; lenLo !== 0; k++, lenLo >>>= 1) {
    if (lenLo & 1) {
      times(zeroBytePower(k), lo, hi);
      lo = outLo;
      hi = outHi;
    }
  }
  for (let k = 32; lenHi !== 0; k++, lenHi >>>= 1) {
    if (lenHi & 1) {
      times(zeroBytePower(k), lo, hi);
      lo = outLo;
      hi = outHi;
    }
  }
  return fromHalves(lo, hi) ^ crc2;
}

/** One piece of a larger object for {@link combineCrc64Parts}. */
export interface Crc64Part {
  /** CRC-64/XZ of the piece, e.g. a part's `x-oss-hash-crc64ecma` parsed with `parseCrc64`. */
  readonly crc64: bigint;
  /** Byte length of the piece (number or bigint). */
  readonly size: number | bigint;
}

/**
 * Folds the CRCs of consecutive pieces into the CRC of their concatenation, i.e. the CRC OSS
 * reports for an object built by CompleteMultipartUpload from these parts. Pass the parts in
 * ascending part-number order (the order they are listed in the Complete request). An empty
 * list gives `0n`, the CRC of no bytes.
 *
 * @param parts - the pieces, in order
 * @throws TypeError / RangeError as {@link combineCrc64} does, for the first bad piece
 */
export function combineCrc64Parts(parts: Iterable<Crc64Part>): bigint {
  let crc = 0n;
  for (const part of parts) crc = combineCrc64(crc, part.crc64, part.size);
  return crc;
}

function toLength(value: number | bigint, what: string): bigint {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(
        `${what} must be a non-negative safe integer (pass a bigint for lengths above 2^53), got ${value}.`,
      );
    }
    return BigInt(value);
  }
  if (typeof value === 'bigint') {
    if (value < 0n || value > 0xffff_ffff_ffff_ffffn) {
      throw new RangeError(`${what} must be between 0 and 2^64-1, got ${value}.`);
    }
    return value;
  }
  throw new TypeError(`${what} must be a number or a bigint, got ${typeof value}.`);
}
