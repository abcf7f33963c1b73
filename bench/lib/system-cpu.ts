// How busy the whole machine is, from /proc/stat: lets a benchmark wait for a quiet moment
// before each measurement and report how much CPU other processes took during it. On a shared
// 2-core box a concurrent test run can halve any number, and it hurts CPU-heavy contenders more
// than I/O-bound ones (the scheduler favours threads that sleep), so this is recorded per run.

import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

// Linux reports /proc/stat in USER_HZ ticks, 100 per second on every mainstream build.
const TICKS_PER_SECOND = 100;

/** CPU seconds spent busy by the whole machine (all cores) since boot; undefined off Linux. */
export function machineBusySeconds(): number | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/stat', 'utf8');
  } catch {
    return undefined;
  }
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) return undefined;
  // user nice system idle iowait irq softirq steal ...
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
  return busy / TICKS_PER_SECOND;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the machine used less than `busyCores` cores over one second, for at most
 * `maxSeconds`. Resolves with the seconds waited and the last second's busy cores.
 */
export async function waitForQuiet(
  maxSeconds: number,
  busyCores = 0.25,
): Promise<{ waited: number; busyCores: number | undefined }> {
  const start = performance.now();
  let last: number | undefined;
  for (;;) {
    const a = machineBusySeconds();
    if (a === undefined) return { waited: 0, busyCores: undefined };
    await sleep(1000);
    const b = machineBusySeconds()!;
    last = b - a;
    const waited = (performance.now() - start) / 1000;
    if (last < busyCores || waited >= maxSeconds) return { waited, busyCores: last };
  }
}

/** Number of cores, for turning CPU seconds into a share of the machine. */
export const CORES = cpus().length;
