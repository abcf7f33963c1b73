import type { Checkpoint } from './checkpoint.ts';
import { CheckpointError } from './checkpoint-error.ts';
import type { CheckpointStore, CheckpointSummary, CheckpointUnlock } from './checkpoint-store.ts';
import { parseCheckpoint, serializeCheckpoint } from './parse-checkpoint.ts';

/** Options for {@link memoryCheckpointStore}. */
export interface MemoryCheckpointStoreOptions {
  /**
   * The map holding the serialised entries (id → JSON text). Pass your own to share one
   * store's contents between several store objects or to inspect what was written.
   * Default: a new empty map.
   */
  entries?: Map<string, string>;
}

/**
 * A checkpoint store that lives in memory: resume across retries and pauses in one process,
 * nothing across restarts. Entries are kept serialised so that callers can never share
 * references with the store, exactly like a persistent store behaves.
 */
export function memoryCheckpointStore(options: MemoryCheckpointStoreOptions = {}): CheckpointStore {
  const entries = options.entries ?? new Map<string, string>();
  const locks = new Set<string>();
  return {
    async get(id) {
      const text = entries.get(id);
      return text === undefined ? undefined : parseCheckpoint(text, id);
    },
    async set(checkpoint: Checkpoint) {
      entries.set(checkpoint.id, serializeCheckpoint(checkpoint));
    },
    async delete(id) {
      entries.delete(id);
    },
    async list() {
      const out: CheckpointSummary[] = [];
      for (const [id, text] of entries) {
        try {
          const cp = parseCheckpoint(text, id);
          out.push({ id, target: cp.target, uploadId: cp.uploadId, updatedAt: cp.updatedAt });
        } catch {
          // list() skips unreadable entries by contract.
        }
      }
      return out;
    },
    async lock(id): Promise<CheckpointUnlock> {
      if (locks.has(id)) {
        throw new CheckpointError(
          'locked',
          `Upload ${id} is already being driven by another upload() in this process. Wait for it to finish or cancel it first.`,
          { checkpointId: id },
        );
      }
      locks.add(id);
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        locks.delete(id);
      };
    },
  };
}
