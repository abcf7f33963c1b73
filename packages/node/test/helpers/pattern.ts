/**
 * `size` bytes of a cheap, seed-dependent pattern, for tests that hash data and compare with a
 * reference. With `shared`, on a SharedArrayBuffer, as the hash workers read it.
 */
export function pattern(size: number, seed: number, shared = false): Uint8Array {
  const out = new Uint8Array(shared ? new SharedArrayBuffer(size) : new ArrayBuffer(size));
  for (let i = 0; i < size; i++) out[i] = ((i + seed) * 2654435761) >>> 24;
  return out;
}
