// Summarises a V8 .cpuprofile (from `node --cpu-prof`): where the main thread's time went,
// by function (self time) and by origin (which package, Node internals, GC, idle).

import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One line of a summary: a name and its share of the sampled time. */
export interface ProfileLine {
  readonly name: string;
  readonly ms: number;
  readonly percent: number;
}

/** Summary of one profile. */
export interface ProfileSummary {
  readonly totalMs: number;
  /** Self time per function, largest first. */
  readonly functions: readonly ProfileLine[];
  /** Self time per origin (package or category), largest first. */
  readonly origins: readonly ProfileLine[];
  /** Inclusive time of functions whose name matches one of the `inclusive` patterns. */
  readonly inclusive: readonly ProfileLine[];
}

/** Where a frame comes from: `@ossup/<pkg>`, a dependency, `node:internal`, or a V8 category. */
function origin(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (url === '') {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)') return 'idle (waiting for I/O)';
    if (functionName === '(program)') return 'V8/native (program)';
    return `native ${functionName || '(anonymous)'}`;
  }
  const pkg = /\/packages\/([^/]+)\/src\//.exec(url);
  if (pkg) return `@ossup/${pkg[1]}`;
  const dep = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return dep[1] === 'tsx' ? 'tsx (loader)' : dep[1]!;
  if (url.startsWith('node:')) return url.replace(/^node:internal\/([^/]+).*$/, 'node:internal/$1');
  if (url.includes('/bench/')) return 'bench harness';
  return url;
}

function label(frame: ProfileNode['callFrame']): string {
  const file = frame.url.replace(
    /^.*\/(packages\/[^/]+\/src\/|node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?)/,
    '',
  );
  return `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
}

function top(map: Map<string, number>, total: number, n: number): ProfileLine[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ name, ms: us / 1000, percent: (100 * us) / total }));
}

/** Reads and summarises a profile; `inclusive` names functions whose total time to report. */
export function summarizeProfile(
  path: string,
  inclusive: readonly RegExp[] = [],
  n = 15,
): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const self = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + dt);
  }
  const functions = new Map<string, number>();
  const origins = new Map<string, number>();
  const incl = new Map<string, number>();
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame;
    functions.set(label(frame), (functions.get(label(frame)) ?? 0) + us);
    origins.set(origin(frame), (origins.get(origin(frame)) ?? 0) + us);
    // Inclusive: charge every matching ancestor once per sample stack.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      for (const re of inclusive) {
        const key = label(f);
        if (re.test(f.functionName) && !seen.has(key)) {
          seen.add(key);
          incl.set(key, (incl.get(key) ?? 0) + us);
        }
      }
    }
  }
  return {
    totalMs: total / 1000,
    functions: top(functions, total, n),
    origins: top(origins, total, n),
    inclusive: top(incl, total, n),
  };
}

/** Renders a summary as indented text lines. */
export function formatProfile(title: string, s: ProfileSummary): string {
  const lines = [`${title} (${(s.totalMs / 1000).toFixed(2)} s sampled)`];
  lines.push('  by origin:');
  for (const l of s.origins.slice(0, 8))
    lines.push(`    ${l.percent.toFixed(1).padStart(5)}%  ${l.name}`);
  lines.push('  top functions (self time):');
  for (const l of s.functions.slice(0, 12))
    lines.push(`    ${l.percent.toFixed(1).padStart(5)}%  ${l.name}`);
  if (s.inclusive.length > 0) {
    lines.push('  inclusive:');
    for (const l of s.inclusive) lines.push(`    ${l.percent.toFixed(1).padStart(5)}%  ${l.name}`);
  }
  return lines.join('\n');
}
