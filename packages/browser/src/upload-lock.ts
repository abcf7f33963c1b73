import { CheckpointError, type CheckpointUnlock } from '@ossup/checkpoint-store';

/** The part of the Web Locks API used here; narrow so that no lib beyond DOM is assumed. */
interface LockManagerLike {
  request(
    name: string,
    options: { ifAvailable: boolean },
    callback: (lock: unknown) => Promise<unknown>,
  ): Promise<unknown>;
}

function webLocks(): LockManagerLike | undefined {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  const locks = nav?.locks;
  return locks !== undefined && locks !== null && typeof locks.request === 'function'
    ? locks
    : undefined;
}

// Without Web Locks the best available is exclusion within this page (or worker): shared by
// every store object of the realm, so two upload() calls here still cannot collide.
const heldInRealm = new Set<string>();

function lockedError(id: string): CheckpointError {
  return new CheckpointError(
    'locked',
    `Upload ${id} is already being driven by another tab, window or upload() call. Let it finish, or pause it there (or close that tab) and try again.`,
    { checkpointId: id },
  );
}

function realmLock(name: string, id: string): CheckpointUnlock {
  if (heldInRealm.has(name)) throw lockedError(id);
  heldInRealm.add(name);
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    heldInRealm.delete(name);
  };
}

/**
 * Takes the exclusive lock `name` for checkpoint `id`, without waiting: rejects with a
 * `CheckpointError` of kind `locked` when somebody holds it.
 *
 * With the Web Locks API (all current browsers) the lock is shared by every tab, window and
 * worker of the origin, and the browser drops it when its holder's page goes away, so a
 * reload or a crashed tab never leaves a stale lock. Without it (old browsers, Node 20), or
 * where the browser refuses it (sandboxed frames with an opaque origin), the lock covers this
 * realm only.
 */
export async function acquireUploadLock(name: string, id: string): Promise<CheckpointUnlock> {
  const locks = webLocks();
  if (locks === undefined) return realmLock(name, id);
  return new Promise<CheckpointUnlock>((resolve, reject) => {
    let granted = false;
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    // The lock lasts as long as the callback's promise, which unlock() settles.
    const request: Promise<unknown> = Promise.resolve()
      .then(() =>
        locks.request(name, { ifAvailable: true }, async (lock) => {
          granted = true;
          if (lock === null) {
            reject(lockedError(id));
            return;
          }
          let released = false;
          resolve(async () => {
            if (released) return;
            released = true;
            release();
            // Wait until the browser has let go, so that an immediate re-lock succeeds.
            await request;
          });
          await held;
        }),
      )
      .catch(() => {
        if (granted) return;
        // The browser refused the request itself (e.g. SecurityError in an opaque origin).
        try {
          resolve(realmLock(name, id));
        } catch (locked) {
          reject(locked);
        }
      });
  });
}
