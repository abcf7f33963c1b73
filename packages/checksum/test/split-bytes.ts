/**
 * Cuts `bytes` at the given points (each taken modulo length + 1, in any order), for tests
 * that feed the same data in arbitrary chunks and expect the same digest.
 */
export function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const p of points) {
    pieces.push(bytes.subarray(start, p));
    start = p;
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}
