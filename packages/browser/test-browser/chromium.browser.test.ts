import { CheckpointError, serializeCheckpoint } from '@ossup/checkpoint-store';
import { sampleCheckpoint } from '@ossup/checkpoint-store/conformance';
import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import {
  CheckpointStorageError,
  fileFingerprint,
  indexedDbCheckpointStore,
  localStorageCheckpointStore,
} from '../src/index.ts';
import { idbRaw } from '../test/idb-raw.ts';
import { fixtureCheckpoint } from './fixtures/page.ts';

const DAY = 24 * 60 * 60 * 1000;
const tag = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function removePrefix(prefix: string): () => Promise<void> {
  return async () => {
    for (const key of Object.keys(localStorage)) {
      if (key.startsWith(prefix)) localStorage.removeItem(key);
    }
  };
}

async function heldLockNames(): Promise<string[]> {
  const snapshot = await navigator.locks.query();
  return (snapshot.held ?? []).map((l) => l.name ?? '');
}

describe('indexedDbCheckpointStore in Chromium', () => {
  it('defaults to database "ossup", store "checkpoints", JSON text, 7-day expiry', async () => {
    const raw = idbRaw(indexedDB, 'ossup', 'checkpoints');
    cleanups.push(() => raw.deleteDatabase());
    const fresh = fixtureCheckpoint(tag());
    const stale = fixtureCheckpoint(tag(), new Date(Date.now() - 8 * DAY));
    const old = indexedDbCheckpointStore({ maxAgeMs: Number.POSITIVE_INFINITY });
    await old.set(fresh);
    await old.set(stale);
    expect(await raw.readRaw(fresh.id)).toBe(serializeCheckpoint(fresh));

    // A new store object, as after a reload, with every option at its default.
    const store = indexedDbCheckpointStore();
    expect(await store.get(fresh.id)).toEqual(fresh);
    expect(await store.get(stale.id)).toBeUndefined();
    expect(await raw.readRaw(stale.id)).toBeUndefined();
    expect((await store.list()).map((e) => e.id)).toEqual([fresh.id]);
  });

  it('locks through the Web Locks API, visible to every tab of the origin', async () => {
    const dbName = `locks-${tag()}`;
    cleanups.push(() => idbRaw(indexedDB, dbName, 'checkpoints').deleteDatabase());
    const store = indexedDbCheckpointStore({ dbName });
    const name = `ossup:checkpoint-lock:indexedDB:${dbName}/checkpoints:u1`;
    const unlock = await store.lock!('u1');
    expect(await heldLockNames()).toContain(name);
    await unlock();
    expect(await heldLockNames()).not.toContain(name);

    // Somebody else (another tab, a worker) holding the same Web Lock keeps the store out.
    let release!: () => void;
    const holding = new Promise<void>((r) => {
      release = r;
    });
    let acquired!: () => void;
    const taken = new Promise<void>((r) => {
      acquired = r;
    });
    const other = navigator.locks.request(name, async () => {
      acquired();
      await holding;
    });
    await taken;
    await expect(store.lock!('u1')).rejects.toThrow(CheckpointError);
    release();
    await other;
    const again = await store.lock!('u1');
    await again();
  });
});

describe('localStorageCheckpointStore in Chromium', () => {
  it('defaults to the "ossup:checkpoint:" prefix in window.localStorage', async () => {
    const cp = fixtureCheckpoint(tag());
    cleanups.push(removePrefix(`ossup:checkpoint:${cp.id}`));
    await localStorageCheckpointStore().set(cp);
    expect(localStorage.getItem(`ossup:checkpoint:${cp.id}`)).toBe(serializeCheckpoint(cp));
    expect(await localStorageCheckpointStore().get(cp.id)).toEqual(cp);
  });

  it("turns Chromium's real quota error into CheckpointStorageError and keeps the old entry", async () => {
    const prefix = `quota-${tag()}:`;
    cleanups.push(removePrefix(prefix));
    const store = localStorageCheckpointStore({ prefix });
    const cp = fixtureCheckpoint('q');
    await store.set(cp);
    // Chromium allows about 10 MiB per origin; this key alone is larger.
    const huge = { ...cp, target: { ...cp.target, key: 'k'.repeat(11 * 1024 * 1024) } };
    let err: unknown;
    try {
      await store.set(huge);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CheckpointStorageError);
    expect((err as CheckpointStorageError).reason).toBe('quota-exceeded');
    expect((err as CheckpointStorageError).checkpointId).toBe(cp.id);
    expect(((err as CheckpointStorageError).cause as DOMException).name).toBe('QuotaExceededError');
    expect(await store.get(cp.id)).toEqual(cp);
  });
});

describe('fileFingerprint in Chromium', () => {
  it('fingerprints a File from a real file input, and tells an edited file apart', async () => {
    const input = document.createElement('input');
    input.type = 'file';
    document.body.append(input);
    cleanups.push(async () => input.remove());
    const picked = new File(['0123456789'], 'video.mp4', { type: 'video/mp4' });
    await userEvent.upload(page.elementLocator(input), picked);
    const file = input.files![0]!;
    expect(file.name).toBe('video.mp4');
    const fingerprint = fileFingerprint(file);
    expect(fingerprint).toBe(`file:${JSON.stringify(['video.mp4', 10, file.lastModified])}`);
    const edited = new File(['0123456789!'], 'video.mp4', { lastModified: file.lastModified });
    expect(fileFingerprint(edited)).not.toBe(fingerprint);
    expect(fileFingerprint(file.slice(0))).toBeUndefined();
    expect(sampleCheckpoint('x').source.fingerprint).not.toBe(fingerprint);
  });
});
