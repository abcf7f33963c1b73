// Small shared helpers for the benchmarks: best-of-N timing and a Markdown table.

import { randomFillSync } from 'node:crypto';
import { arch, cpus, loadavg, platform } from 'node:os';

/** One measured case: a name and the function to time (its result is kept for cross-checks). */
export interface Case {
  readonly name: string;
  readonly run: () => unknown | Promise<unknown>;
}

/** Result of {@link bestOf}: the fastest run's seconds and the value it returned. */
export interface Timing {
  readonly seconds: number;
  readonly result: unknown;
}

/** Runs `fn` `runs` times (after a GC, if exposed) and keeps the fastest. */
export async function bestOf(runs: number, fn: () => unknown | Promise<unknown>): Promise<Timing> {
  let best = Number.POSITIVE_INFINITY;
  let result: unknown;
  for (let i = 0; i < runs; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const start = performance.now();
    result = await fn();
    const seconds = (performance.now() - start) / 1000;
    if (seconds < best) best = seconds;
  }
  return { seconds: best, result };
}

/** Random bytes, filled in slices because getRandomValues-style APIs cap one call at 64 KiB. */
export function randomBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let start = 0; start < size; start += 1 << 30) {
    randomFillSync(bytes, start, Math.min(1 << 30, size - start));
  }
  return bytes;
}

/** Decimal megabytes (10^6 bytes) per second. */
export function mbPerSecond(bytes: number, seconds: number): number {
  return bytes / 1e6 / seconds;
}

/** Renders rows as a GitHub Markdown table. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * Describes where the numbers were taken, and warns when the machine is busy: on a shared
 * 2-core box another process can halve any result, so a loaded run should be repeated.
 */
export function environment(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const cores = cpus().length;
  const load = loadavg()[0] ?? 0;
  const busy =
    load > cores / 2
      ? `\nWARNING: load average ${load.toFixed(2)} on ${cores} cores; other processes are competing, numbers will be low and noisy.`
      : '';
  return `Node ${process.versions.node}, V8 ${process.versions.v8}, ${platform()}/${arch()}, ${cpu} (${cores} cores), load ${load.toFixed(2)}${busy}`;
}
