import { formatBytes } from './byte-size.ts';

/**
 * Human size plus the exact byte count, for error messages: users think in MiB, but the exact
 * number is what they need when a limit is off by one byte.
 */
export function describeBytes(n: number): string {
  return n < 1024 ? `${n} bytes` : `${formatBytes(n)} (${n} bytes)`;
}
