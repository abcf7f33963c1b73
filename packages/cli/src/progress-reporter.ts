import type { Output } from './output.ts';
import { type ProgressView, renderProgressLine, renderProgressLog } from './progress-bar.ts';

/** Shows upload progress in the form the terminal and flags call for. */
export interface ProgressReporter {
  update(p: ProgressView): void;
  /** Clears the bar so another line (a warning) can be printed cleanly. */
  pause(): void;
  /** Draws the final state and leaves the cursor on a fresh line. */
  finish(): void;
}

/**
 * `bar`: one self-overwriting line on stderr (a TTY), redrawn at most 10 times a second.
 * `lines`: a plain line every 2 s and at phase changes, for logs and CI.
 * `none`: nothing. `auto` picks JSON events with --json, nothing with --quiet, the bar on a
 * terminal and lines elsewhere.
 */
export function createProgressReporter(
  out: Output,
  mode: 'auto' | 'bar' | 'lines' | 'none',
): ProgressReporter {
  const chosen =
    mode !== 'auto'
      ? mode
      : out.json
        ? 'json'
        : out.quiet
          ? 'none'
          : out.stderr.isTTY
            ? 'bar'
            : 'lines';
  let last: ProgressView | undefined;
  let lastDraw = 0;
  let lastPhase = '';
  let drawn = false;
  const draw = (force: boolean) => {
    if (!last) return;
    const now = Date.now();
    const phaseChanged = last.phase !== lastPhase;
    if (chosen === 'bar') {
      if (!force && !phaseChanged && now - lastDraw < 100) return;
      const columns = out.stderr.columns || 100;
      out.stderr.write(`\r${renderProgressLine(last, columns)}\x1b[K`);
      drawn = true;
    } else if (chosen === 'lines') {
      if (!force && !phaseChanged && now - lastDraw < 2000) return;
      out.stderr.write(`${renderProgressLog(last)}\n`);
    } else if (chosen === 'json') {
      if (!force && !phaseChanged && now - lastDraw < 500) return;
      out.emit({ type: 'progress', ...last });
    } else {
      return;
    }
    lastDraw = now;
    lastPhase = last.phase;
  };
  return {
    update(p) {
      last = { ...p };
      draw(false);
    },
    pause() {
      if (chosen === 'bar' && drawn) {
        out.stderr.write('\r\x1b[K');
        drawn = false;
      }
    },
    finish() {
      // Redraw only if the last state was throttled away, so the final line is not doubled.
      if (last && (last.phase !== lastPhase || Date.now() - lastDraw >= 100)) draw(true);
      if (chosen === 'bar' && drawn) {
        out.stderr.write('\n');
        drawn = false;
      }
    },
  };
}
