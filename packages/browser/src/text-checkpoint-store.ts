import {
  type Checkpoint,
  type CheckpointStore,
  type CheckpointSummary,
  type CheckpointUnlock,
  parseCheckpoint,
  serializeCheckpoint,
} from '@ossup/checkpoint-store';
import { acquireUploadLock } from './upload-lock.ts';

/** Seven days: long enough to resume after a weekend, short enough not to hoard entries. */
export const DEFAULT_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * A storage medium holding one JSON text per checkpoint id. Both browser stores are this plus
 * the shared rules below, so validation, listing and expiry behave identically in each.
 */
export interface TextBackend {
  /** The stored value for `id` (normally text), or undefined. */
  read(id: string): Promise<unknown>;
  write(id: string, text: string): Promise<void>;
  remove(id: string): Promise<void>;
  /** Every stored id with its value. */
  entries(): Promise<[string, unknown][]>;
}

/** How {@link textCheckpointStore} should behave. */
export interface TextCheckpointStoreConfig {
  backend: TextBackend;
  /** Entries not written for longer are deleted; `Infinity` keeps everything. */
  maxAgeMs: number;
  now: () => number;
  /** The Web Locks name guarding checkpoint `id` of this store. */
  lockName: (id: string) => string;
}

/** Checks a `maxAgeMs` option; `label` names the factory in the message. */
export function checkMaxAge(label: string, maxAgeMs: number): number {
  if (typeof maxAgeMs !== 'number' || Number.isNaN(maxAgeMs) || maxAgeMs < 0) {
    throw new RangeError(
      `${label}: maxAgeMs must be a number of milliseconds >= 0 (or Infinity to never expire entries), got ${String(maxAgeMs)}.`,
    );
  }
  return maxAgeMs;
}

/** Builds a {@link CheckpointStore} on a {@link TextBackend}; see the browser store factories. */
export function textCheckpointStore(config: TextCheckpointStoreConfig): CheckpointStore {
  const { backend, maxAgeMs, now, lockName } = config;

  // Reads every entry, deletes the expired ones and returns the summaries of the rest.
  // Unreadable entries are neither listed nor deleted: their age is unknown, and get()
  // must still be able to report them.
  async function sweep(): Promise<CheckpointSummary[]> {
    const cutoff = now() - maxAgeMs;
    const live: CheckpointSummary[] = [];
    for (const [id, raw] of await backend.entries()) {
      let cp: Checkpoint;
      try {
        cp = parseCheckpoint(raw, id);
      } catch {
        continue;
      }
      const summary = { id, target: cp.target, uploadId: cp.uploadId, updatedAt: cp.updatedAt };
      if (Date.parse(cp.updatedAt) < cutoff) {
        // Not while an upload holds it (a tab stalled for long, a tiny maxAgeMs): its entry
        // is that upload's record, and it is being written, not abandoned.
        let unlock: CheckpointUnlock;
        try {
          unlock = await acquireUploadLock(lockName(id), id);
        } catch {
          live.push(summary);
          continue;
        }
        try {
          await backend.remove(id);
        } finally {
          await unlock();
        }
        continue;
      }
      live.push(summary);
    }
    return live;
  }

  // Expiry runs once when the store is first used (the "open"), and again on every list().
  let opened: Promise<void> | undefined;
  function open(): Promise<void> {
    opened ??= sweep().then(
      () => undefined,
      (error: unknown) => {
        // Let a later call try again (storage may come back, e.g. after space was freed).
        opened = undefined;
        throw error;
      },
    );
    return opened;
  }

  return {
    async get(id) {
      await open();
      const raw = await backend.read(id);
      return raw === undefined ? undefined : parseCheckpoint(raw, id);
    },
    async set(checkpoint) {
      // Validate before opening so an invalid checkpoint never touches storage.
      const text = serializeCheckpoint(checkpoint);
      await open();
      await backend.write(checkpoint.id, text);
    },
    async delete(id) {
      await open();
      await backend.remove(id);
    },
    async list() {
      await open();
      return sweep();
    },
    lock(id) {
      return acquireUploadLock(lockName(id), id);
    },
  };
}
