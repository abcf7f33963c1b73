import type { CheckpointStore } from '@ossup/checkpoint-store';
import { CheckpointStorageError, describeError, isQuotaError } from './checkpoint-storage-error.ts';
import {
  checkMaxAge,
  DEFAULT_MAX_AGE_MS,
  type TextBackend,
  textCheckpointStore,
} from './text-checkpoint-store.ts';

/** Options for {@link localStorageCheckpointStore}. */
export interface LocalStorageCheckpointStoreOptions {
  /**
   * Prepended to each checkpoint id to form its key, so the store shares localStorage with
   * the rest of the app without touching its keys. Must not be empty. Default:
   * `'ossup:checkpoint:'`.
   */
  prefix?: string;
  /**
   * The `Storage` to use: pass `sessionStorage` to keep checkpoints for the tab's lifetime
   * only, or an in-memory `Storage` in tests. Default: `globalThis.localStorage`, looked up
   * on first use so that creating the store never throws.
   */
  storage?: Storage;
  /**
   * Entries not written for this many milliseconds are deleted when the store is first used
   * and on every `list()`. The multipart uploads they described stay on the server until
   * aborted or expired by a bucket lifecycle rule. `Infinity` keeps entries forever.
   * Default: 7 days.
   */
  maxAgeMs?: number;
  /** Clock in milliseconds since the epoch, for tests. Default: `Date.now`. */
  now?: () => number;
}

const DEFAULT_PREFIX = 'ossup:checkpoint:';

/**
 * A checkpoint store in `localStorage`: it survives page reloads and browser restarts, and
 * is shared by the origin's tabs. Prefer {@link indexedDbCheckpointStore}: localStorage has
 * a small quota (about 5 MiB per origin, counted in UTF-16, and a checkpoint of a
 * 10,000-part upload takes around 1.5 MiB of it) and blocks the page while it writes. Use
 * this one where IndexedDB is unavailable or for small uploads.
 *
 * Entries are the same JSON text as every other store writes and are validated on read; a
 * full quota rejects `set` with a {@link CheckpointStorageError} of reason `quota-exceeded`
 * and leaves the previous entry in place. `lock(id)` uses the Web Locks API, so two tabs
 * never drive the same upload (without Web Locks it only guards this page).
 *
 * @example
 * ```ts
 * const store = localStorageCheckpointStore();
 * await upload(client, { source: fromBlob(file), bucket, key: file.name, checkpoint: store });
 * ```
 */
export function localStorageCheckpointStore(
  options: LocalStorageCheckpointStoreOptions = {},
): CheckpointStore {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (typeof prefix !== 'string' || prefix === '') {
    throw new RangeError(
      'localStorageCheckpointStore: prefix must be a non-empty string, so the store never reads or expires keys that belong to the rest of the app.',
    );
  }
  const maxAgeMs = checkMaxAge(
    'localStorageCheckpointStore',
    options.maxAgeMs ?? DEFAULT_MAX_AGE_MS,
  );

  let storage: Storage | undefined = options.storage;
  function resolveStorage(): Storage {
    if (storage !== undefined) return storage;
    let found: Storage | undefined;
    let cause: unknown;
    try {
      // Reading the global throws a SecurityError where storage is blocked (opaque origins,
      // cookies disabled), so it is read here and never at import time.
      found = (globalThis as { localStorage?: Storage }).localStorage;
    } catch (error) {
      cause = error;
    }
    if (found === undefined || found === null) {
      throw new CheckpointStorageError(
        'unavailable',
        'localStorage',
        'localStorage is not available here (missing, or blocked by the browser settings or a sandboxed frame), so upload checkpoints cannot be kept. Use indexedDbCheckpointStore(), pass options.storage, or upload without a checkpoint store.',
        { cause },
      );
    }
    storage = found;
    return found;
  }

  function failed(action: string, id: string | undefined, cause: unknown): CheckpointStorageError {
    return new CheckpointStorageError(
      'failed',
      'localStorage',
      `localStorage refused to ${action}${id === undefined ? '' : ` checkpoint ${id}`} (${describeError(cause)}). Check that the browser allows this site to store data, or use indexedDbCheckpointStore().`,
      { checkpointId: id, cause },
    );
  }

  const backend: TextBackend = {
    async read(id) {
      const s = resolveStorage();
      let text: string | null;
      try {
        text = s.getItem(prefix + id);
      } catch (cause) {
        throw failed('read', id, cause);
      }
      return text ?? undefined;
    },
    async write(id, text) {
      const s = resolveStorage();
      try {
        s.setItem(prefix + id, text);
      } catch (cause) {
        if (isQuotaError(cause)) {
          throw new CheckpointStorageError(
            'quota-exceeded',
            'localStorage',
            `Could not save checkpoint ${id} (${text.length} characters): localStorage is full for this site. Delete checkpoints of uploads you will not resume (store.list(), store.delete(id)) or other localStorage data, or use indexedDbCheckpointStore(), which has far more room.`,
            { checkpointId: id, cause },
          );
        }
        throw failed('save', id, cause);
      }
    },
    async remove(id) {
      const s = resolveStorage();
      try {
        s.removeItem(prefix + id);
      } catch (cause) {
        throw failed('delete', id, cause);
      }
    },
    async entries() {
      const s = resolveStorage();
      try {
        // Collect keys first: removing while indexing would shift the indices.
        const keys: string[] = [];
        for (let i = 0; i < s.length; i++) {
          const key = s.key(i);
          if (key?.startsWith(prefix)) keys.push(key);
        }
        const out: [string, unknown][] = [];
        for (const key of keys) {
          const text = s.getItem(key);
          if (text !== null) out.push([key.slice(prefix.length), text]);
        }
        return out;
      } catch (cause) {
        throw failed('list', undefined, cause);
      }
    },
  };

  return textCheckpointStore({
    backend,
    maxAgeMs,
    now: options.now ?? Date.now,
    lockName: (id) => `ossup:checkpoint-lock:localStorage:${prefix}${id}`,
  });
}
