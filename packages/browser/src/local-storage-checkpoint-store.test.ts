import { CheckpointError } from '@ossup/checkpoint-store';
import { describeCheckpointStore, sampleCheckpoint } from '@ossup/checkpoint-store/conformance';
import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../test/memory-storage.ts';
import { CheckpointStorageError } from './checkpoint-storage-error.ts';
import { localStorageCheckpointStore } from './local-storage-checkpoint-store.ts';

const PREFIX = 'ossup:checkpoint:';
const DAY = 24 * 60 * 60 * 1000;
// sampleCheckpoint() entries were written at this time.
const SAMPLE_TIME = Date.parse(sampleCheckpoint('x').updatedAt);

let run = 0;
describeCheckpointStore('localStorageCheckpointStore (in-memory Storage)', async () => {
  const storage = new MemoryStorage();
  // A prefix per harness keeps the realm-wide fallback locks of different tests apart.
  const prefix = `test-${++run}:`;
  return {
    // The samples are dated 2026-01; the clock is pinned so that expiry does not remove them.
    store: localStorageCheckpointStore({ storage, prefix, now: () => SAMPLE_TIME }),
    writeRaw: async (id, text) => storage.setItem(prefix + id, text),
    readRaw: async (id) => storage.getItem(prefix + id) ?? undefined,
  };
});

describe('localStorageCheckpointStore', () => {
  it('uses the default prefix and leaves other keys alone', async () => {
    const storage = new MemoryStorage();
    storage.setItem('app:theme', 'dark');
    storage.setItem('ossup:other', '{"kind":"ossup.checkpoint"}');
    const store = localStorageCheckpointStore({ storage, now: () => SAMPLE_TIME });
    await store.set(sampleCheckpoint('p1'));
    expect(storage.getItem(`${PREFIX}p1`)).toContain('"uploadId":"upload-p1"');
    expect((await store.list()).map((e) => e.id)).toEqual(['p1']);
    await store.delete('p1');
    expect(storage.getItem('app:theme')).toBe('dark');
    expect(storage.getItem('ossup:other')).toBe('{"kind":"ossup.checkpoint"}');
    expect(storage.length).toBe(2);
  });

  it('keeps stores with different prefixes apart', async () => {
    const storage = new MemoryStorage();
    const a = localStorageCheckpointStore({ storage, prefix: 'a:', now: () => SAMPLE_TIME });
    const b = localStorageCheckpointStore({ storage, prefix: 'b:', now: () => SAMPLE_TIME });
    await a.set(sampleCheckpoint('same'));
    expect(await b.get('same')).toBeUndefined();
    expect(await b.list()).toEqual([]);
    expect((await a.get('same'))?.uploadId).toBe('upload-same');
  });

  it('turns a full quota into a CheckpointStorageError and keeps the previous entry', async () => {
    const storage = new MemoryStorage(20_000);
    const store = localStorageCheckpointStore({ storage, now: () => SAMPLE_TIME });
    await store.set(sampleCheckpoint('q1'));
    const huge = sampleCheckpoint('q1', {
      target: { endpoint: 'http://127.0.0.1:9000', bucket: 'b', key: 'k'.repeat(30_000) },
    });
    let err: unknown;
    try {
      await store.set(huge);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CheckpointStorageError);
    const e = err as CheckpointStorageError;
    expect(e.reason).toBe('quota-exceeded');
    expect(e.storage).toBe('localStorage');
    expect(e.checkpointId).toBe('q1');
    expect(e.message).toMatch(/localStorage is full/);
    expect(e.message).toMatch(/indexedDbCheckpointStore/);
    expect((e.cause as DOMException).name).toBe('QuotaExceededError');
    expect(await store.get('q1')).toEqual(sampleCheckpoint('q1'));
  });

  it('reports other storage failures as CheckpointStorageError (failed)', async () => {
    const storage = new MemoryStorage();
    storage.setItem = () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
    const store = localStorageCheckpointStore({ storage, now: () => SAMPLE_TIME });
    await expect(store.set(sampleCheckpoint('s1'))).rejects.toThrow(CheckpointStorageError);
    await expect(store.set(sampleCheckpoint('s1'))).rejects.toThrow(/refused to save/);
  });

  it('fails with reason unavailable when there is no localStorage (as in Node)', async () => {
    expect((globalThis as { localStorage?: unknown }).localStorage).toBeUndefined();
    const store = localStorageCheckpointStore();
    let err: unknown;
    try {
      await store.get('x');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CheckpointStorageError);
    expect((err as CheckpointStorageError).reason).toBe('unavailable');
    expect((err as CheckpointStorageError).message).toMatch(/localStorage is not available/);
  });

  it('validates a checkpoint before writing it', async () => {
    const storage = new MemoryStorage();
    const store = localStorageCheckpointStore({ storage });
    await expect(store.set({ ...sampleCheckpoint('v1'), uploadId: '' })).rejects.toThrow(
      CheckpointError,
    );
    expect(storage.length).toBe(0);
  });

  it('expires entries older than maxAgeMs when first used, and on list()', async () => {
    const storage = new MemoryStorage();
    const at = (iso: string) => sampleCheckpoint(iso, { id: iso, updatedAt: iso });
    const seed = localStorageCheckpointStore({ storage, maxAgeMs: Number.POSITIVE_INFINITY });
    await seed.set(at('2026-01-01T00:00:00.000Z'));
    await seed.set(at('2026-01-05T00:00:00.000Z'));
    await seed.set(at('2026-01-09T00:00:00.000Z'));
    storage.setItem(`${PREFIX}broken`, '{"kind":"ossup.checkpoint","ver');

    let now = Date.parse('2026-01-10T00:00:00.000Z');
    const store = localStorageCheckpointStore({ storage, now: () => now });
    // Opening (any first operation) removes the entry older than the default 7 days.
    expect(await store.get('2026-01-05T00:00:00.000Z')).toBeDefined();
    expect(storage.getItem(`${PREFIX}2026-01-01T00:00:00.000Z`)).toBeNull();

    now += 5 * DAY;
    expect((await store.list()).map((e) => e.id)).toEqual(['2026-01-09T00:00:00.000Z']);
    expect(storage.getItem(`${PREFIX}2026-01-05T00:00:00.000Z`)).toBeNull();
    // An unreadable entry has no trustworthy age: it stays for get() to report.
    await expect(store.get('broken')).rejects.toThrow(CheckpointError);
  });

  it('does not expire an entry whose upload holds its lock', async () => {
    const storage = new MemoryStorage();
    let now = SAMPLE_TIME;
    const store = localStorageCheckpointStore({ storage, maxAgeMs: 1000, now: () => now });
    await store.set(sampleCheckpoint('running'));
    await store.set(sampleCheckpoint('abandoned'));
    const unlock = await store.lock!('running');
    now += 2000;
    try {
      expect((await store.list()).map((e) => e.id)).toEqual(['running']);
      expect(await store.get('running')).toBeDefined();
      expect(await store.get('abandoned')).toBeUndefined();
    } finally {
      await unlock();
    }
    expect(await store.list()).toEqual([]);
  });

  it('honours a custom maxAgeMs and refuses a negative one', async () => {
    const storage = new MemoryStorage();
    const store = localStorageCheckpointStore({
      storage,
      maxAgeMs: 1000,
      now: () => SAMPLE_TIME + 1001,
    });
    await store.set(sampleCheckpoint('m1'));
    expect(await store.list()).toEqual([]);
    expect(() => localStorageCheckpointStore({ storage, maxAgeMs: -1 })).toThrow(RangeError);
    expect(() => localStorageCheckpointStore({ storage, prefix: '' })).toThrow(RangeError);
  });

  it('shares its lock between store objects on the same keys', async () => {
    const storage = new MemoryStorage();
    const a = localStorageCheckpointStore({ storage, prefix: 'shared-lock:' });
    const b = localStorageCheckpointStore({ storage, prefix: 'shared-lock:' });
    const unlock = await a.lock!('L1');
    await expect(b.lock!('L1')).rejects.toThrow(CheckpointError);
    await unlock();
    const again = await b.lock!('L1');
    await again();
  });
});
