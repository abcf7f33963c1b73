import { CheckpointError, serializeCheckpoint } from '@ossup/checkpoint-store';
import { describeCheckpointStore, sampleCheckpoint } from '@ossup/checkpoint-store/conformance';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { idbRaw } from '../test/idb-raw.ts';
import { CheckpointStorageError } from './checkpoint-storage-error.ts';
import { indexedDbCheckpointStore } from './indexed-db-checkpoint-store.ts';

// sampleCheckpoint() entries were written at this time; pinning the clock there keeps the
// default 7-day expiry from removing them.
const SAMPLE_TIME = Date.parse(sampleCheckpoint('x').updatedAt);
const DAY = 24 * 60 * 60 * 1000;

let run = 0;
describeCheckpointStore('indexedDbCheckpointStore (fake-indexeddb)', async () => {
  const factory = new IDBFactory();
  const dbName = `conformance-${++run}`;
  const raw = idbRaw(factory, dbName, 'checkpoints');
  return {
    store: indexedDbCheckpointStore({ indexedDB: factory, dbName, now: () => SAMPLE_TIME }),
    writeRaw: (id, text) => raw.writeRaw(id, text),
    readRaw: async (id) => {
      const value = await raw.readRaw(id);
      return typeof value === 'string' ? value : undefined;
    },
    cleanup: () => raw.deleteDatabase(),
  };
});

describe('indexedDbCheckpointStore', () => {
  it('stores serialised JSON text in database "ossup", object store "checkpoints" by default', async () => {
    const factory = new IDBFactory();
    const store = indexedDbCheckpointStore({ indexedDB: factory, now: () => SAMPLE_TIME });
    await store.set(sampleCheckpoint('t1'));
    const value = await idbRaw(factory, 'ossup', 'checkpoints').readRaw('t1');
    expect(value).toBe(serializeCheckpoint(sampleCheckpoint('t1')));
  });

  it('is read back by a new store object, as after a reload', async () => {
    const factory = new IDBFactory();
    const first = indexedDbCheckpointStore({ indexedDB: factory, now: () => SAMPLE_TIME });
    await first.set(sampleCheckpoint('r1'));
    const second = indexedDbCheckpointStore({ indexedDB: factory, now: () => SAMPLE_TIME });
    expect(await second.get('r1')).toEqual(sampleCheckpoint('r1'));
  });

  it('lets several object stores share one database, adding each by an upgrade', async () => {
    const factory = new IDBFactory();
    const opts = { indexedDB: factory, dbName: 'shared', now: () => SAMPLE_TIME };
    const one = indexedDbCheckpointStore({ ...opts, storeName: 'one' });
    const two = indexedDbCheckpointStore({ ...opts, storeName: 'two' });
    await one.set(sampleCheckpoint('s1'));
    // `one` holds an open connection; adding "two" must not wait for it forever.
    await two.set(sampleCheckpoint('s2'));
    await one.set(sampleCheckpoint('s3'));
    expect((await one.list()).map((e) => e.id).sort()).toEqual(['s1', 's3']);
    expect((await two.list()).map((e) => e.id)).toEqual(['s2']);
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open('shared');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    expect([...db.objectStoreNames].sort()).toEqual(['one', 'two']);
    expect(db.version).toBe(2);
    db.close();
  });

  it('reconnects after another tab deleted the database', async () => {
    const factory = new IDBFactory();
    const store = indexedDbCheckpointStore({
      indexedDB: factory,
      dbName: 'gone',
      now: () => SAMPLE_TIME,
    });
    await store.set(sampleCheckpoint('d1'));
    // Resolves only because the store closes its connection on versionchange.
    await idbRaw(factory, 'gone', 'checkpoints').deleteDatabase();
    expect(await store.get('d1')).toBeUndefined();
    await store.set(sampleCheckpoint('d2'));
    expect((await store.get('d2'))?.uploadId).toBe('upload-d2');
  });

  it('expires entries older than maxAgeMs when first used, and on list()', async () => {
    const factory = new IDBFactory();
    const at = (iso: string) => sampleCheckpoint(iso, { id: iso, updatedAt: iso });
    const seed = indexedDbCheckpointStore({
      indexedDB: factory,
      maxAgeMs: Number.POSITIVE_INFINITY,
    });
    await seed.set(at('2026-01-01T00:00:00.000Z'));
    await seed.set(at('2026-01-05T00:00:00.000Z'));
    await seed.set(at('2026-01-09T00:00:00.000Z'));
    const raw = idbRaw(factory, 'ossup', 'checkpoints');
    await raw.writeRaw('broken', 'not json');

    let now = Date.parse('2026-01-10T00:00:00.000Z');
    const store = indexedDbCheckpointStore({ indexedDB: factory, now: () => now });
    expect(await store.get('2026-01-05T00:00:00.000Z')).toBeDefined();
    expect(await raw.readRaw('2026-01-01T00:00:00.000Z')).toBeUndefined();

    now += 5 * DAY;
    expect((await store.list()).map((e) => e.id)).toEqual(['2026-01-09T00:00:00.000Z']);
    expect(await raw.readRaw('2026-01-05T00:00:00.000Z')).toBeUndefined();
    await expect(store.get('broken')).rejects.toThrow(CheckpointError);
  });

  it('reports a value that is not text as a corrupt or foreign checkpoint', async () => {
    const factory = new IDBFactory();
    const store = indexedDbCheckpointStore({ indexedDB: factory, now: () => SAMPLE_TIME });
    await store.set(sampleCheckpoint('ok'));
    await idbRaw(factory, 'ossup', 'checkpoints').writeRaw('odd', 12345);
    await expect(store.get('odd')).rejects.toThrow(CheckpointError);
    expect((await store.list()).map((e) => e.id)).toEqual(['ok']);
  });

  it('fails with reason unavailable when there is no IndexedDB (as in Node)', async () => {
    expect((globalThis as { indexedDB?: unknown }).indexedDB).toBeUndefined();
    const store = indexedDbCheckpointStore();
    let err: unknown;
    try {
      await store.list();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CheckpointStorageError);
    expect((err as CheckpointStorageError).reason).toBe('unavailable');
    expect((err as CheckpointStorageError).storage).toBe('indexedDB');
    expect((err as CheckpointStorageError).message).toMatch(/localStorageCheckpointStore/);
  });

  it('fails with reason unavailable when the database cannot be opened, then retries', async () => {
    const real = new IDBFactory();
    let refuse = true;
    const flaky = {
      open(name: string, version?: number) {
        if (!refuse) return version === undefined ? real.open(name) : real.open(name, version);
        const request = {
          error: new DOMException(
            'A mutation operation was attempted on a database that did not allow mutations.',
            'InvalidStateError',
          ),
        } as unknown as IDBOpenDBRequest;
        queueMicrotask(() => request.onerror?.(new Event('error')));
        return request;
      },
    } as unknown as IDBFactory;
    const store = indexedDbCheckpointStore({ indexedDB: flaky, now: () => SAMPLE_TIME });
    let err: unknown;
    try {
      await store.set(sampleCheckpoint('f1'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CheckpointStorageError);
    expect((err as CheckpointStorageError).reason).toBe('unavailable');
    expect((err as CheckpointStorageError).message).toMatch(/InvalidStateError/);
    refuse = false;
    await store.set(sampleCheckpoint('f1'));
    expect((await store.get('f1'))?.uploadId).toBe('upload-f1');
  });

  it('refuses empty names and a negative maxAgeMs', () => {
    expect(() => indexedDbCheckpointStore({ dbName: '' })).toThrow(RangeError);
    expect(() => indexedDbCheckpointStore({ storeName: '' })).toThrow(RangeError);
    expect(() => indexedDbCheckpointStore({ maxAgeMs: Number.NaN })).toThrow(RangeError);
  });
});
