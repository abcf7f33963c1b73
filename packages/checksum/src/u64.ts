// Internal helpers for the 64-bit values that cross the public API as bigint while the hot
// paths work on two unsigned 32-bit halves (BigInt arithmetic is ~100x slower per byte).

/** 2^64 - 1, the largest CRC-64 value. */
export const U64_MAX = 0xffff_ffff_ffff_ffffn;

/** Throws unless `value` is a bigint in 0..2^64-1; `what` names the argument in the message. */
export function assertU64(value: unknown, what: string): asserts value is bigint {
  if (typeof value !== 'bigint') {
    throw new TypeError(
      `${what} must be a bigint (CRC-64 values exceed 2^53; use parseCrc64() for strings), got ${typeof value}.`,
    );
  }
  if (value < 0n || value > U64_MAX) {
    throw new RangeError(
      `${what} must be an unsigned 64-bit value (0 to ${U64_MAX}), got ${value}. ` +
        'A negative value is probably a Java signed long: add 2^64.',
    );
  }
}

/** Low 32 bits of a u64 bigint, as an unsigned number. */
export function low32(value: bigint): number {
  return Number(value & 0xffff_ffffn);
}

/** High 32 bits of a u64 bigint, as an unsigned number. */
export function high32(value: bigint): number {
  return Number(value >> 32n);
}

/** Joins two 32-bit halves (either signed or unsigned) into a u64 bigint. */
export function fromHalves(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}
