import { CheckpointError } from '@ossup/checkpoint-store';
import { afterEach, describe, expect, it } from 'vitest';
import { indexedDbCheckpointStore, localStorageCheckpointStore } from '../src/index.ts';
import { type FixturePage, openFixturePage } from './fixture-page.ts';
import type { fixtureCheckpoint } from './fixtures/page.ts';

// What the example app relies on: a checkpoint written before a reload is there after it,
// and the upload lock follows the tab (held across tabs, released by a reload).

type Cp = ReturnType<typeof fixtureCheckpoint>;
type ReadResult = { memory: Cp | null; indexedDb: Cp | null; localStorage: Cp | null };

const tag = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
const opened: FixturePage[] = [];
async function open(): Promise<FixturePage> {
  const page = await openFixturePage();
  opened.push(page);
  return page;
}

afterEach(async () => {
  for (const page of opened.splice(0)) await page.close();
});

describe('surviving a page reload in Chromium', () => {
  it('keeps IndexedDB and localStorage checkpoints; the memory store starts empty', async () => {
    const t = tag();
    const page = await open();
    const written = await page.eval<Cp>(`fixture.write(${JSON.stringify(t)})`);
    const before = await page.eval<ReadResult>(`fixture.read(${JSON.stringify(t)})`);
    expect(before.memory).toEqual(written);
    expect(before.indexedDb).toEqual(written);
    expect(before.localStorage).toEqual(written);

    await page.reload();
    const after = await page.eval<ReadResult>(`fixture.read(${JSON.stringify(t)})`);
    expect(after.indexedDb).toEqual(written);
    expect(after.localStorage).toEqual(written);
    // memoryCheckpointStore() lives in the page's memory: it resumes retries and pauses
    // within one page load, never across a reload. The example app must not use it.
    expect(after.memory).toBeNull();
  });

  it('shows a checkpoint written in one tab to the other tabs of the origin', async () => {
    const t = tag();
    const page = await open();
    const written = await page.eval<Cp>(`fixture.write(${JSON.stringify(t)})`);
    await page.close();
    const idb = indexedDbCheckpointStore({ dbName: `fixture-${t}` });
    const ls = localStorageCheckpointStore({ prefix: `fixture-${t}:` });
    expect(await idb.get(`cp-${t}`)).toEqual(written);
    expect(await ls.get(`cp-${t}`)).toEqual(written);
    expect((await idb.list()).map((e) => e.uploadId)).toEqual([`upload-${t}`]);
    expect((await ls.list()).map((e) => e.uploadId)).toEqual([`upload-${t}`]);
  });
});

describe('upload locks across tabs in Chromium', () => {
  for (const kind of ['indexedDb', 'localStorage'] as const) {
    it(`${kind}: a second tab cannot drive a locked upload; a reload releases the lock`, async () => {
      const t = tag();
      const args = `${JSON.stringify(kind)}, ${JSON.stringify(t)}`;
      const first = await open();
      const second = await open();
      expect(await first.eval(`fixture.lock(${args})`)).toBe('ok');
      expect(await second.eval(`fixture.lock(${args})`)).toBe('locked');

      // This test's own frame is a third party of the same origin.
      const here =
        kind === 'indexedDb'
          ? indexedDbCheckpointStore({ dbName: `fixture-${t}` })
          : localStorageCheckpointStore({ prefix: `fixture-${t}:` });
      let err: unknown;
      try {
        await here.lock!(`cp-${t}`);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CheckpointError);
      expect((err as CheckpointError).kind).toBe('locked');
      expect((err as CheckpointError).checkpointId).toBe(`cp-${t}`);

      // The browser drops a page's Web Locks when it unloads: no stale lock after a reload.
      await first.reload();
      expect(await second.eval(`fixture.lock(${args})`)).toBe('ok');
      expect(await first.eval(`fixture.lock(${args})`)).toBe('locked');
      await second.eval(`fixture.unlock(${args})`);
      expect(await first.eval(`fixture.lock(${args})`)).toBe('ok');
    });
  }
});
