import { formatBytes } from '@ossup/part-planner';

/** What the progress renderer shows; mirrors the uploader's progress event. */
export interface ProgressView {
  /** Upload phase (`preparing`, `uploading`, `completing`, `done`). */
  phase: string;
  /** Bytes stored or in flight. */
  loaded: number;
  /** Object size; `undefined` while a stream's length is unknown. */
  total: number | undefined;
  /** Parts acknowledged. */
  partsDone: number;
  /** Parts planned; `undefined` while unknown. */
  partsTotal: number | undefined;
  /** Recent send rate. */
  bytesPerSecond: number;
}

function fmtRate(bps: number): string {
  return `${formatBytes(Math.max(0, Math.round(bps)), { maximumFractionDigits: 1 })}/s`;
}

function fmtEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Renders one progress line that fits `columns`: a bar, percentage, bytes, speed, ETA and
 * parts. The `completing` phase is shown by name so a long CompleteMultipartUpload never
 * looks like a hang at 100%.
 */
export function renderProgressLine(view: ProgressView, columns: number): string {
  const total = view.total ?? 0;
  const ratio = total > 0 ? Math.min(1, view.loaded / total) : view.phase === 'done' ? 1 : 0;
  const pct = `${(ratio * 100).toFixed(1).padStart(5)}%`;
  const bytes = `${formatBytes(view.loaded, { maximumFractionDigits: 1 })}/${view.total === undefined ? '?' : formatBytes(total, { maximumFractionDigits: 1 })}`;
  const parts =
    view.partsTotal === undefined
      ? `parts ${view.partsDone}`
      : `parts ${view.partsDone}/${view.partsTotal}`;
  let tail: string;
  if (view.phase === 'completing') tail = `${bytes}  completing…  ${parts}`;
  else if (view.phase === 'preparing') tail = `preparing…`;
  else if (view.phase === 'done') tail = `${bytes}  done  ${parts}`;
  else {
    const eta =
      view.bytesPerSecond > 0 && total > 0
        ? (total - view.loaded) / view.bytesPerSecond
        : Number.NaN;
    tail = `${bytes}  ${fmtRate(view.bytesPerSecond)}  ETA ${fmtEta(eta)}  ${parts}`;
  }
  // The bar's width depends on the terminal only, never on the text after it, so it does
  // not jitter as numbers change length.
  const width = Math.max(0, Math.min(30, columns - 78));
  if (width < 5) return `${pct} ${tail}`.slice(0, Math.max(10, columns - 1));
  const filled = Math.round(ratio * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  return `${bar} ${pct}  ${tail}`;
}

/** One plain line for logs (non-TTY output): no bar, no carriage returns. */
export function renderProgressLog(view: ProgressView): string {
  const total = view.total ?? 0;
  const pct = total > 0 ? `${((view.loaded / total) * 100).toFixed(1)}%` : '';
  return `${view.phase} ${pct} ${formatBytes(view.loaded, { maximumFractionDigits: 1 })}${view.total === undefined ? '' : ` of ${formatBytes(total, { maximumFractionDigits: 1 })}`} at ${fmtRate(view.bytesPerSecond)}, parts ${view.partsDone}${view.partsTotal === undefined ? '' : `/${view.partsTotal}`}`.replace(
    /\s+/g,
    ' ',
  );
}
