// Deliberately naive reference implementations, written straight from oss-protocol.md §6.2 and
// §6.3 with BigInt, sharing no code with src/. The fast implementations are checked against
// these on random inputs.

const MASK = 0xffff_ffff_ffff_ffffn;
const POLY = 0xc96c_5795_d787_0f42n;

const TABLE: bigint[] = [];
for (let i = 0n; i < 256n; i++) {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ POLY : c >> 1n;
  TABLE.push(c);
}

/** Byte-at-a-time table CRC-64/XZ over BigInt (§6.2), continuing from `crc`. */
export function referenceCrc64(bytes: Uint8Array, crc = 0n): bigint {
  let c = ~crc & MASK;
  for (const b of bytes) c = TABLE[Number((c ^ BigInt(b)) & 0xffn)]! ^ (c >> 8n);
  return ~c & MASK;
}

function times(m: bigint[], v: bigint): bigint {
  let sum = 0n;
  for (let i = 0; v !== 0n; i++, v >>= 1n) if (v & 1n) sum ^= m[i]!;
  return sum;
}

function square(m: bigint[]): bigint[] {
  return m.map((column) => times(m, column));
}

/** zlib-style combine exactly as §6.3 words it: squares its way up on every call. */
export function referenceCombine(crc1: bigint, crc2: bigint, len2: bigint): bigint {
  if (len2 === 0n) return crc1 ^ crc2;
  let odd: bigint[] = [POLY];
  for (let n = 1; n < 64; n++) odd.push(1n << BigInt(n - 1));
  let even = square(odd);
  odd = square(even);
  for (;;) {
    even = square(odd);
    if (len2 & 1n) crc1 = times(even, crc1);
    len2 >>= 1n;
    if (len2 === 0n) break;
    odd = square(even);
    if (len2 & 1n) crc1 = times(odd, crc1);
    len2 >>= 1n;
    if (len2 === 0n) break;
  }
  return crc1 ^ crc2;
}
