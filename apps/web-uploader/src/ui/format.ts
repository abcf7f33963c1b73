// Numbers as people read them: binary units (a "64 MiB" file is 64 × 2^20 bytes, as the
// test files and most OS file dialogs on Linux show), a speed, and a time left.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `1536` → `1.5 KiB`; whole bytes below 1 KiB; three significant digits above. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} B`;
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** Bytes per second as `12.3 MiB/s`; `–` while unknown (0). */
export function formatSpeed(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '–';
  return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

/** Seconds left as `45 s`, `3 min 05 s`, `1 h 02 min`; `–` when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  const minutes = Math.floor(s / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** Time left at the current speed; `undefined` while the speed is unknown. */
export function etaSeconds(
  loaded: number,
  total: number,
  bytesPerSecond: number,
): number | undefined {
  if (!(bytesPerSecond > 0) || !(total >= loaded)) return undefined;
  return (total - loaded) / bytesPerSecond;
}

/** Whole percent, floored so that 100 % means done (never shown for 99.7 %). */
export function percent(loaded: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.min(100, Math.floor((loaded / total) * 100));
}

/**
 * What a paused card says, from what the checkpoint kept when the upload stopped. Only what
 * the checkpoint records survives a pause: without one (`'unsaved'`: no usable storage, or
 * every write refused) the upload was aborted and a resume starts over. `undefined`: paused
 * before it ran this time, so nothing new to say.
 */
export function pausedNote(kept: { bytes: number; parts: number } | 'unsaved' | undefined): string {
  if (kept === undefined) return 'Paused. Resume continues where the upload stopped.';
  if (kept === 'unsaved') {
    return 'Paused. This browser could not save the progress (no usable storage), so Resume starts over.';
  }
  if (kept.parts === 0) return 'Paused. No part was stored yet; Resume starts from the beginning.';
  return `Paused. ${formatBytes(kept.bytes)} in ${kept.parts} part${kept.parts === 1 ? '' : 's'} are kept on the server; Resume continues from them, even after a reload.`;
}
