import { describeCheckpointStore, sampleCheckpoint } from '@ossup/checkpoint-store/conformance';
import { indexedDbCheckpointStore, localStorageCheckpointStore } from '../src/index.ts';
import { idbRaw } from '../test/idb-raw.ts';

// The shared CheckpointStore conformance suite against Chromium's own IndexedDB, localStorage
// and Web Locks. Every harness gets its own database or prefix (and so its own lock names),
// so nothing leaks between tests or between test files running side by side.

// The samples are dated 2026-01; the clock is pinned there so the 7-day expiry keeps them.
const SAMPLE_TIME = Date.parse(sampleCheckpoint('x').updatedAt);
const runId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
let n = 0;

describeCheckpointStore('indexedDbCheckpointStore (Chromium)', async () => {
  const dbName = `conformance-${runId}-${++n}`;
  const raw = idbRaw(indexedDB, dbName, 'checkpoints');
  return {
    store: indexedDbCheckpointStore({ dbName, now: () => SAMPLE_TIME }),
    writeRaw: (id, text) => raw.writeRaw(id, text),
    readRaw: async (id) => {
      const value = await raw.readRaw(id);
      return typeof value === 'string' ? value : undefined;
    },
    cleanup: () => raw.deleteDatabase(),
  };
});

describeCheckpointStore('localStorageCheckpointStore (Chromium)', async () => {
  const prefix = `conformance-${runId}-${++n}:`;
  return {
    store: localStorageCheckpointStore({ prefix, now: () => SAMPLE_TIME }),
    writeRaw: async (id, text) => localStorage.setItem(prefix + id, text),
    readRaw: async (id) => localStorage.getItem(prefix + id) ?? undefined,
    cleanup: async () => {
      for (const key of Object.keys(localStorage)) {
        if (key.startsWith(prefix)) localStorage.removeItem(key);
      }
    },
  };
});
