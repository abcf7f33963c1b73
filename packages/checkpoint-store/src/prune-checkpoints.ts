import type { CheckpointStore } from './checkpoint-store.ts';

/** Options for {@link pruneCheckpoints}. */
export interface PruneCheckpointsOptions {
  /** Delete entries whose last write is older than this many milliseconds. */
  olderThanMs: number;
  /** Clock, for tests. Default: `Date.now`. */
  now?: () => number;
}

/**
 * Deletes checkpoints not written for a while and returns their ids. Browser stores call it
 * so abandoned uploads do not pile up; the multipart uploads themselves stay on the server
 * until aborted (or expired by a lifecycle rule).
 */
export async function pruneCheckpoints(
  store: CheckpointStore,
  options: PruneCheckpointsOptions,
): Promise<string[]> {
  if (!Number.isFinite(options.olderThanMs) || options.olderThanMs < 0) {
    throw new RangeError(
      `pruneCheckpoints: olderThanMs must be a non-negative number of milliseconds, got ${options.olderThanMs}`,
    );
  }
  const cutoff = (options.now ?? Date.now)() - options.olderThanMs;
  const pruned: string[] = [];
  for (const entry of await store.list()) {
    if (Date.parse(entry.updatedAt) < cutoff) {
      await store.delete(entry.id);
      pruned.push(entry.id);
    }
  }
  return pruned;
}
