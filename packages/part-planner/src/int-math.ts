/**
 * Exact ⌈a / b⌉ for non-negative safe integers a and b > 0.
 *
 * Floating division can round a quotient that sits just below an integer up to that integer;
 * the multiply-back check corrects it, so the result is exact for every safe integer input.
 */
export function ceilDiv(a: number, b: number): number {
  const q = Math.floor(a / b);
  if (q * b < a) return q + 1;
  if (q > 0 && (q - 1) * b >= a) return q - 1;
  return q;
}

/** Smallest multiple of `step` that is ≥ `n` (n ≥ 0, step > 0, both safe integers). */
export function roundUpTo(n: number, step: number): number {
  return ceilDiv(n, step) * step;
}

/** Smallest power of two that is ≥ n (n ≥ 1). */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
