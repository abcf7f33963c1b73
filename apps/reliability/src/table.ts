import { formatBytes } from '@ossup/part-planner';
import type { SoakReport } from './soak-runner.ts';

/** Renders rows as a Markdown table (first row = header), columns padded for terminals. */
export function markdownTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]) =>
    `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [
    line(rows[0]!),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.slice(1).map(line),
  ].join('\n');
}

/** `12.3 MiB`, `64 KiB`, `0 B`. */
export function mib(bytes: number): string {
  return formatBytes(Math.max(0, Math.round(bytes)), { maximumFractionDigits: 1 });
}

const entries = (record: Record<string, number>) =>
  Object.entries(record)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ') || 'none';

/** The soak's figures as the table the issue asks for. */
export function soakTable(r: SoakReport): string {
  const o = r.options;
  return markdownTable([
    ['Figure', 'Value'],
    [
      'Schedule',
      `seed ${o.seed}, ${r.uploads} uploads (${r.multipart} multipart, ${r.single} single PUT), sizes 0 B–${mib(o.maxSize)}, ${o.concurrency} at once × ${o.parallel} parts each`,
    ],
    ['Data', `${mib(r.bytes)} in total, largest ${mib(r.largest)} (${r.largest} B)`],
    ['Requests', `${r.requests}`],
    [
      'Faults injected',
      `${Object.values(r.faults).reduce((a, b) => a + b, 0)}: ${entries(r.faults)}`,
    ],
    ['Retries (client)', `${r.retries}: ${entries(r.retriesByOperation)}`],
    ['Retries by error', entries(r.retriesByError)],
    ['Integrity re-sends', `${r.integrityResends} (CRC-64 mismatch caught and part sent again)`],
    [
      'Outcome',
      `${r.succeeded} verified at first run, ${r.failed} failed with a typed error after the retry budget`,
    ],
    ['Failures by cause', entries(r.failuresByCause)],
    [
      'Recovery',
      `${r.recovered}/${r.failed} failed uploads finished afterwards (${r.resumedFromCheckpoint} resumed from their checkpoint)`,
    ],
    [
      'Bytes re-sent',
      `${mib(r.bytesResent)} (${((100 * r.bytesResent) / Math.max(1, r.bytes)).toFixed(2)}% of the data)`,
    ],
    [
      'Peak RSS',
      `${mib(r.peakRss)} (max in first third ${mib(r.rssFirstThird)}, last third ${mib(r.rssLastThird)}); peak heap ${mib(r.peakHeapUsed)}`,
    ],
    [
      'Left behind',
      `${r.orphanUploads} orphan uploads, ${r.leftoverAfterRecovery} uploads and ${r.checkpointsLeft} checkpoints after recovery`,
    ],
    ['Unhandled rejections', `${r.unhandledRejections}`],
    ['Silent corruption / violations', `${r.violations.length}`],
    ['Duration', `${r.seconds.toFixed(1)} s`],
  ]);
}
