import { CheckpointError } from '@ossup/checkpoint-store';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireUploadLock } from './upload-lock.ts';

type Callback = (lock: unknown) => Promise<unknown>;

/** A small LockManager with the `ifAvailable` semantics of the Web Locks API. */
class FakeLockManager {
  readonly held = new Set<string>();
  requests = 0;
  async request(name: string, options: { ifAvailable: boolean }, callback: Callback) {
    this.requests++;
    expect(options.ifAvailable).toBe(true);
    if (this.held.has(name)) return callback(null);
    this.held.add(name);
    try {
      return await callback({ name, mode: 'exclusive' });
    } finally {
      this.held.delete(name);
    }
  }
}

const g = globalThis as { navigator?: unknown };
const hadNavigator = 'navigator' in globalThis;
const original = g.navigator;
function useNavigator(value: unknown): void {
  Object.defineProperty(globalThis, 'navigator', { value, configurable: true, writable: true });
}
afterEach(() => {
  if (hadNavigator) useNavigator(original);
  else delete g.navigator;
});

async function lockError(name: string, id: string): Promise<unknown> {
  try {
    await acquireUploadLock(name, id);
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('acquireUploadLock', () => {
  it('holds a Web Lock until unlocked, and reports a held one as locked', async () => {
    const locks = new FakeLockManager();
    useNavigator({ locks });
    const unlock = await acquireUploadLock('n1', 'id1');
    expect(locks.held.has('n1')).toBe(true);
    const err = await lockError('n1', 'id1');
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as CheckpointError).kind).toBe('locked');
    expect((err as CheckpointError).checkpointId).toBe('id1');
    expect((err as CheckpointError).message).toMatch(/another tab/);
    await unlock();
    // unlock() resolves only once the lock manager has let go.
    expect(locks.held.has('n1')).toBe(false);
    await unlock();
    const again = await acquireUploadLock('n1', 'id1');
    await again();
    expect(locks.requests).toBe(3);
  });

  it('falls back to a lock within this realm when there are no Web Locks', async () => {
    useNavigator(undefined);
    const unlock = await acquireUploadLock('n2', 'id2');
    expect(await lockError('n2', 'id2')).toBeInstanceOf(CheckpointError);
    const other = await acquireUploadLock('n2-other', 'id2');
    await unlock();
    await unlock();
    const again = await acquireUploadLock('n2', 'id2');
    await again();
    await other();
  });

  it('falls back to the realm lock when the browser refuses the request', async () => {
    let calls = 0;
    useNavigator({
      locks: {
        request: async () => {
          calls++;
          throw new DOMException('Access denied.', 'SecurityError');
        },
      },
    });
    const unlock = await acquireUploadLock('n3', 'id3');
    expect(calls).toBe(1);
    expect(await lockError('n3', 'id3')).toBeInstanceOf(CheckpointError);
    await unlock();
    const again = await acquireUploadLock('n3', 'id3');
    await again();
  });
});
