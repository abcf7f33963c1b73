import { readdir, readFile } from 'node:fs/promises';

interface ProcessInfo {
  pid: number;
  ppid: number;
  /** Resident set size, bytes. */
  rss: number;
  cmdline: string;
}

async function processes(): Promise<ProcessInfo[]> {
  const list: ProcessInfo[] = [];
  for (const name of await readdir('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name, which may itself contain spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
      list.push({ pid, ppid, rss, cmdline });
    } catch {
      // The process ended while it was being read.
    }
  }
  return list;
}

/** Memory of the Chromium launched by this process (Linux `/proc`). */
export interface ChromiumMemory {
  /** RSS of the largest renderer: the tab, whose dedicated workers run in the same process. */
  renderer: number;
  /** RSS of every Chromium process added up (shared pages count more than once). */
  total: number;
}

/** Samples the memory of the Chromium that Playwright launched from this process. */
export async function chromiumMemory(): Promise<ChromiumMemory> {
  const all = await processes();
  const root = all.find((p) => p.ppid === process.pid && /chrom/.test(p.cmdline));
  if (root === undefined) throw new Error('No Chromium child of this process was found.');
  const byParent = new Map<number, ProcessInfo[]>();
  for (const p of all) byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  let renderer = 0;
  let total = 0;
  const walk = (p: ProcessInfo) => {
    total += p.rss;
    if (p.cmdline.includes('--type=renderer')) renderer = Math.max(renderer, p.rss);
    for (const child of byParent.get(p.pid) ?? []) walk(child);
  };
  walk(root);
  return { renderer, total };
}
