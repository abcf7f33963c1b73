import type { CheckpointStore } from '@ossup/checkpoint-store';
import { CheckpointStorageError, describeError, isQuotaError } from './checkpoint-storage-error.ts';
import {
  checkMaxAge,
  DEFAULT_MAX_AGE_MS,
  type TextBackend,
  textCheckpointStore,
} from './text-checkpoint-store.ts';

/** Options for {@link indexedDbCheckpointStore}. */
export interface IndexedDbCheckpointStoreOptions {
  /** IndexedDB database name. Default: `'ossup'`. */
  dbName?: string;
  /**
   * Object store inside the database. Several stores may share one database; a missing one
   * is added by a version upgrade, which other tabs with the database open allow
   * automatically. Default: `'checkpoints'`.
   */
  storeName?: string;
  /**
   * Entries not written for this many milliseconds are deleted when the store is first used
   * and on every `list()`. The multipart uploads they described stay on the server until
   * aborted or expired by a bucket lifecycle rule. `Infinity` keeps entries forever.
   * Default: 7 days.
   */
  maxAgeMs?: number;
  /**
   * The `IDBFactory` to use, e.g. one from `fake-indexeddb` in Node tests. Default:
   * `globalThis.indexedDB`, looked up on first use so that creating the store never throws.
   */
  indexedDB?: IDBFactory;
  /** Clock in milliseconds since the epoch, for tests. Default: `Date.now`. */
  now?: () => number;
}

/**
 * Opens `dbName` and makes sure it holds `storeName`. The database is opened at its current
 * version first; only when the object store is missing is it reopened one version higher to
 * add it, so stores sharing a database never fight over version numbers.
 */
async function openDatabase(
  factory: IDBFactory,
  dbName: string,
  storeName: string,
): Promise<IDBDatabase> {
  const openAt = (version: number | undefined) =>
    new Promise<IDBDatabase>((resolve, reject) => {
      const request = version === undefined ? factory.open(dbName) : factory.open(dbName, version);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(storeName)) db.createObjectStore(storeName);
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      // onblocked: another connection has not closed yet; ours close on versionchange, so
      // waiting is right. The request completes once they do.
    });

  // Two tabs may race to add the store; the loser sees a VersionError and tries again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const db = await openAt(undefined);
    if (db.objectStoreNames.contains(storeName)) return db;
    const next = db.version + 1;
    db.close();
    try {
      const upgraded = await openAt(next);
      if (upgraded.objectStoreNames.contains(storeName)) return upgraded;
      upgraded.close();
    } catch (error) {
      if ((error as { name?: unknown } | null)?.name !== 'VersionError') throw error;
    }
  }
  throw new Error(`could not add object store "${storeName}" to database "${dbName}"`);
}

/**
 * A checkpoint store in IndexedDB: the store to use in browsers. It survives page reloads
 * and browser restarts, is shared by the origin's tabs, has room for many large checkpoints,
 * and writes without blocking the page. Each write is a transaction with `strict` durability,
 * so a checkpoint reported as saved is on disk even if the browser then crashes.
 *
 * Entries are the same JSON text as every other store writes and are validated on read
 * exactly the same way. `lock(id)` uses the Web Locks API (`navigator.locks`), so two tabs
 * never drive the same upload; the browser drops a tab's locks when it closes or reloads.
 * Where Web Locks are missing the lock only guards this page. Stale entries expire after
 * `maxAgeMs` (7 days by default).
 *
 * Storage failures (IndexedDB missing or blocked, quota exceeded) reject with a
 * {@link CheckpointStorageError}.
 *
 * @example
 * ```ts
 * const store = indexedDbCheckpointStore();
 * await upload(client, { source: fromBlob(file), bucket, key: file.name, checkpoint: store });
 * // After a reload, picking the same file and calling upload() again resumes it.
 * ```
 */
export function indexedDbCheckpointStore(
  options: IndexedDbCheckpointStoreOptions = {},
): CheckpointStore {
  const dbName = options.dbName ?? 'ossup';
  const storeName = options.storeName ?? 'checkpoints';
  if (typeof dbName !== 'string' || dbName === '') {
    throw new RangeError('indexedDbCheckpointStore: dbName must be a non-empty string.');
  }
  if (typeof storeName !== 'string' || storeName === '') {
    throw new RangeError('indexedDbCheckpointStore: storeName must be a non-empty string.');
  }
  const maxAgeMs = checkMaxAge('indexedDbCheckpointStore', options.maxAgeMs ?? DEFAULT_MAX_AGE_MS);
  const where = `IndexedDB database "${dbName}", object store "${storeName}"`;

  let connection: Promise<IDBDatabase> | undefined;

  function connect(): Promise<IDBDatabase> {
    connection ??= (async () => {
      let factory: IDBFactory | undefined = options.indexedDB;
      let cause: unknown;
      if (factory === undefined) {
        try {
          factory = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
        } catch (error) {
          cause = error;
        }
      }
      if (factory === undefined || factory === null) {
        throw new CheckpointStorageError(
          'unavailable',
          'indexedDB',
          'IndexedDB is not available here (missing, or blocked by the browser settings), so upload checkpoints cannot be kept. Use localStorageCheckpointStore(), or upload without a checkpoint store.',
          { cause },
        );
      }
      let db: IDBDatabase;
      try {
        db = await openDatabase(factory, dbName, storeName);
      } catch (error) {
        throw new CheckpointStorageError(
          'unavailable',
          'indexedDB',
          `Could not open ${where} (${describeError(error)}). Private browsing modes and storage settings can block IndexedDB; use localStorageCheckpointStore() there, or upload without a checkpoint store.`,
          { cause: error },
        );
      }
      // Another tab upgrading or deleting the database waits for us to close; close, and
      // open again on the next operation.
      db.onversionchange = () => {
        db.close();
        connection = undefined;
      };
      db.onclose = () => {
        connection = undefined;
      };
      return db;
    })();
    connection.catch(() => {
      connection = undefined;
    });
    return connection;
  }

  /** Runs one transaction; resolves with what `body` produced once it has committed. */
  async function transact<T>(
    mode: IDBTransactionMode,
    id: string | undefined,
    body: (store: IDBObjectStore) => () => T,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const db = await connect();
      let tx: IDBTransaction;
      try {
        tx = db.transaction(storeName, mode, {
          durability: mode === 'readonly' ? 'default' : 'strict',
        });
      } catch (error) {
        // The connection was closed under us (versionchange, storage cleared): reopen once.
        if ((error as { name?: unknown } | null)?.name === 'InvalidStateError' && attempt === 0) {
          connection = undefined;
          continue;
        }
        throw wrap(error, id);
      }
      return new Promise<T>((resolve, reject) => {
        tx.oncomplete = () => resolve(result());
        tx.onabort = () => reject(wrap(tx.error, id));
        let result: () => T;
        try {
          result = body(tx.objectStore(storeName));
        } catch (error) {
          tx.onabort = null;
          try {
            tx.abort();
          } catch {
            // Already finished; nothing was written.
          }
          reject(wrap(error, id));
        }
      });
    }
  }

  function wrap(error: unknown, id: string | undefined): CheckpointStorageError {
    const about = id === undefined ? '' : ` checkpoint ${id}`;
    if (isQuotaError(error)) {
      return new CheckpointStorageError(
        'quota-exceeded',
        'indexedDB',
        `Could not save${about}: the browser's storage quota for this site is used up (${where}). Free space (delete checkpoints of uploads you will not resume, or other site data) and try again.`,
        { checkpointId: id, cause: error },
      );
    }
    return new CheckpointStorageError(
      'failed',
      'indexedDB',
      `IndexedDB failed on${about || ' the checkpoint list'} (${where}): ${describeError(error)}. Reload the page; if it persists, clear this site's data.`,
      { checkpointId: id, cause: error },
    );
  }

  const backend: TextBackend = {
    read: (id) =>
      transact('readonly', id, (store) => {
        const request = store.get(id);
        return () => request.result as unknown;
      }),
    write: (id, text) =>
      transact('readwrite', id, (store) => {
        store.put(text, id);
        return () => undefined;
      }),
    remove: (id) =>
      transact('readwrite', id, (store) => {
        store.delete(id);
        return () => undefined;
      }),
    entries: () =>
      transact('readonly', undefined, (store) => {
        const out: [string, unknown][] = [];
        const cursor = store.openCursor();
        cursor.onsuccess = () => {
          const c = cursor.result;
          if (c === null) return;
          // Keys this store writes are strings; anything else was put there by someone else.
          if (typeof c.key === 'string') out.push([c.key, c.value]);
          c.continue();
        };
        return () => out;
      }),
  };

  return textCheckpointStore({
    backend,
    maxAgeMs,
    now: options.now ?? Date.now,
    lockName: (id) => `ossup:checkpoint-lock:indexedDB:${dbName}/${storeName}:${id}`,
  });
}
