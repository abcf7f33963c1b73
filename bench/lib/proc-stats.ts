// What a benchmark process reports about itself: CPU time and resident memory, read the same
// way in every child so the numbers of different contenders compare.

import { readFileSync } from 'node:fs';

/** CPU seconds and memory of the calling process (all its threads). */
export interface ProcessStats {
  /** User CPU seconds since the process started. */
  readonly userSeconds: number;
  /** System CPU seconds since the process started. */
  readonly systemSeconds: number;
  /** Current resident set size, bytes. */
  readonly rssBytes: number;
  /** Peak resident set size so far (VmHWM), bytes. */
  readonly peakRssBytes: number;
  /**
   * User + system CPU seconds of the main thread alone (Linux: /proc/self/task/<pid>/stat);
   * undefined elsewhere. The rest of `userSeconds + systemSeconds` is worker threads and the
   * libuv pool.
   */
  readonly mainThreadSeconds: number | undefined;
}

// Linux reports per-thread times in USER_HZ ticks, 100 per second on every mainstream build.
const TICKS_PER_SECOND = 100;

function mainThreadSeconds(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

function statusField(status: string, name: string): number | undefined {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
  return match === null ? undefined : Number(match[1]) * 1024;
}

/**
 * Reads /proc/self/status (VmRSS, VmHWM) where it exists, else `process.memoryUsage().rss`
 * and `process.resourceUsage().maxRSS`. CPU comes from `process.cpuUsage()`, which is
 * getrusage(RUSAGE_SELF): it includes worker threads and the libuv pool.
 */
export function processStats(): ProcessStats {
  const cpu = process.cpuUsage();
  let status = '';
  try {
    status = readFileSync('/proc/self/status', 'utf8');
  } catch {
    // Not Linux: fall back below.
  }
  return {
    userSeconds: cpu.user / 1e6,
    systemSeconds: cpu.system / 1e6,
    rssBytes: statusField(status, 'VmRSS') ?? process.memoryUsage().rss,
    peakRssBytes: statusField(status, 'VmHWM') ?? process.resourceUsage().maxRSS * 1024,
    mainThreadSeconds: mainThreadSeconds(),
  };
}

/** Parses `1GiB`, `512MiB`, `64KiB`, `2GB` or a plain byte count. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB|KB|MB|GB)?$/i.exec(text.trim());
  if (match === null)
    throw new Error(`Cannot read the size ${JSON.stringify(text)}: use e.g. 1GiB, 512MiB.`);
  const units: Record<string, number> = {
    b: 1,
    kib: 1024,
    mib: 1024 ** 2,
    gib: 1024 ** 3,
    kb: 1e3,
    mb: 1e6,
    gb: 1e9,
  };
  return Math.round(Number(match[1]) * units[(match[2] ?? 'b').toLowerCase()]!);
}

/** `1 GiB`, `512 MiB`: for labels. */
export function formatSize(bytes: number): string {
  if (bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3} GiB`;
  if (bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MiB`;
  return `${bytes} B`;
}

/** Bytes as MiB with one decimal. */
export function mib(bytes: number): string {
  return (bytes / 1024 ** 2).toFixed(1);
}
