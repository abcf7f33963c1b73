import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHECKPOINT_KIND, CHECKPOINT_VERSION, type Checkpoint } from './checkpoint.ts';
import { CheckpointError } from './checkpoint-error.ts';
import type { CheckpointStore } from './checkpoint-store.ts';

/** What a store under test provides to {@link describeCheckpointStore}. */
export interface CheckpointStoreHarness {
  /** The store under test, fresh and empty. */
  store: CheckpointStore;
  /**
   * Writes raw text as the entry for `id`, bypassing validation, so the suite can check how
   * the store reports corrupt, foreign and future-version entries. Leave it out only if the
   * store's medium cannot hold arbitrary text; those cases are then reported as not covered.
   */
  writeRaw?: (id: string, text: string) => Promise<void>;
  /** Reads the raw stored text of `id`, so the suite can check nothing secret was written. */
  readRaw?: (id: string) => Promise<string | undefined>;
  /** Releases whatever the harness created (temp directories, databases). */
  cleanup?: () => Promise<void>;
}

/** Makes a valid checkpoint for tests; `overrides` replace top-level fields. */
export function sampleCheckpoint(id: string, overrides: Partial<Checkpoint> = {}): Checkpoint {
  return {
    version: CHECKPOINT_VERSION,
    id,
    uploadId: `upload-${id}`,
    target: { endpoint: 'http://127.0.0.1:9000', bucket: 'bucket', key: `dir/${id}/ключ 007.bin` },
    source: { fingerprint: `/tmp/${id}:1048576:1700000000000`, size: 1048576 },
    partSize: 262144,
    parts: [
      {
        partNumber: 1,
        etag: '5B3A2C1D4E5F60718293A4B5C6D7E8F9',
        size: 262144,
        crc64: '18446744073709551615',
      },
      { partNumber: 3, etag: 'AABBCCDDEEFF00112233445566778899', size: 262144, crc64: '7' },
    ],
    createdAt: '2026-01-02T03:04:05.000Z',
    updatedAt: '2026-01-02T03:04:06.000Z',
    ...overrides,
  };
}

/**
 * The conformance suite every {@link CheckpointStore} runs (unstorage style: one suite, every
 * driver). Call it from a vitest file with a factory that returns a fresh, empty store.
 *
 * @example
 * ```ts
 * describeCheckpointStore('memory', async () => ({ store: memoryCheckpointStore() }));
 * ```
 */
export function describeCheckpointStore(
  name: string,
  create: () => Promise<CheckpointStoreHarness>,
): void {
  describe(`CheckpointStore conformance: ${name}`, () => {
    let h: CheckpointStoreHarness;
    beforeEach(async () => {
      h = await create();
    });
    afterEach(async () => {
      await h.cleanup?.();
    });

    it('returns undefined for a missing id', async () => {
      expect(await h.store.get('missing')).toBeUndefined();
    });

    it('returns what was set', async () => {
      const cp = sampleCheckpoint('a1');
      await h.store.set(cp);
      expect(await h.store.get('a1')).toEqual(cp);
    });

    it('returns a copy that callers cannot use to change the store', async () => {
      await h.store.set(sampleCheckpoint('a2'));
      const got = (await h.store.get('a2'))!;
      got.parts.push({ partNumber: 9, etag: 'X', size: 1 });
      got.target.key = 'changed';
      const again = (await h.store.get('a2'))!;
      expect(again.parts).toHaveLength(2);
      expect(again.target.key).toBe(sampleCheckpoint('a2').target.key);
    });

    it('replaces an entry on set', async () => {
      await h.store.set(sampleCheckpoint('a3'));
      const next = sampleCheckpoint('a3', { parts: [], updatedAt: '2026-02-02T00:00:00.000Z' });
      await h.store.set(next);
      expect(await h.store.get('a3')).toEqual(next);
    });

    it('deletes, and deleting a missing id succeeds', async () => {
      await h.store.set(sampleCheckpoint('a4'));
      await h.store.delete('a4');
      expect(await h.store.get('a4')).toBeUndefined();
      await h.store.delete('a4');
      await h.store.delete('never-existed');
      expect(await h.store.get('never-existed')).toBeUndefined();
    });

    it('lists summaries of every entry', async () => {
      await h.store.set(sampleCheckpoint('b1'));
      await h.store.set(sampleCheckpoint('b2'));
      await h.store.set(sampleCheckpoint('b3'));
      await h.store.delete('b2');
      const list = await h.store.list();
      const ids = list.map((e) => e.id).sort();
      expect(ids).toEqual(['b1', 'b3']);
      const b1 = list.find((e) => e.id === 'b1')!;
      expect(b1.uploadId).toBe('upload-b1');
      expect(b1.target).toEqual(sampleCheckpoint('b1').target);
      expect(b1.updatedAt).toBe(sampleCheckpoint('b1').updatedAt);
    });

    it('keeps concurrent writes to different ids apart', async () => {
      const ids = Array.from({ length: 25 }, (_, i) => `c${i}`);
      await Promise.all(ids.map((id) => h.store.set(sampleCheckpoint(id))));
      for (const id of ids) expect((await h.store.get(id))?.uploadId).toBe(`upload-${id}`);
      expect((await h.store.list()).length).toBe(25);
    });

    it('ends concurrent writes to one id with one whole checkpoint, never a mix', async () => {
      const versions = Array.from({ length: 10 }, (_, i) =>
        sampleCheckpoint('d1', {
          parts: Array.from({ length: i + 1 }, (_, j) => ({
            partNumber: j + 1,
            etag: `E${i}`,
            size: 262144,
          })),
        }),
      );
      await Promise.all(versions.map((v) => h.store.set(v)));
      const got = (await h.store.get('d1'))!;
      const etags = new Set(got.parts.map((p) => p.etag));
      expect(etags.size).toBe(1);
      const i = Number(got.parts[0]!.etag.slice(1));
      expect(got).toEqual(versions[i]);
    });

    it('never stores fields outside the schema (no secrets ride along)', async () => {
      const smuggled = {
        ...sampleCheckpoint('e1'),
        accessKeySecret: 'SECRET-must-not-persist',
        securityToken: 'TOKEN-must-not-persist',
      } as Checkpoint;
      await h.store.set(smuggled);
      const got = await h.store.get('e1');
      expect(got).toEqual(sampleCheckpoint('e1'));
      expect(JSON.stringify(got)).not.toContain('must-not-persist');
      if (h.readRaw) {
        const raw = await h.readRaw('e1');
        expect(raw).toBeDefined();
        expect(raw!).not.toContain('must-not-persist');
      }
    });

    it('rejects a set of an invalid checkpoint and keeps the previous one', async () => {
      await h.store.set(sampleCheckpoint('f1'));
      const bad = { ...sampleCheckpoint('f1'), partSize: -1 };
      await expect(h.store.set(bad)).rejects.toThrow(CheckpointError);
      expect(await h.store.get('f1')).toEqual(sampleCheckpoint('f1'));
    });

    const rawCases: [string, (id: string) => string, string][] = [
      [
        'truncated JSON',
        (id) => JSON.stringify({ kind: CHECKPOINT_KIND, ...sampleCheckpoint(id) }).slice(0, 40),
        'corrupt',
      ],
      [
        'a missing field',
        (id) =>
          JSON.stringify({ kind: CHECKPOINT_KIND, ...sampleCheckpoint(id), uploadId: undefined }),
        'corrupt',
      ],
      ['a foreign document', () => JSON.stringify({ hello: 'world' }), 'foreign'],
      [
        'a future schema version',
        (id) =>
          JSON.stringify({
            kind: CHECKPOINT_KIND,
            ...sampleCheckpoint(id),
            version: CHECKPOINT_VERSION + 1,
          }),
        'future-version',
      ],
    ];
    for (const [label, make, kind] of rawCases) {
      it(`reports ${label} as a CheckpointError (${kind}) and list() skips it`, async () => {
        if (!h.writeRaw) {
          // The harness cannot inject raw text; make the gap visible instead of passing quietly.
          expect(h.writeRaw).toBeUndefined();
          return;
        }
        await h.store.set(sampleCheckpoint('g-ok'));
        await h.writeRaw('g-bad', make('g-bad'));
        let err: unknown;
        try {
          await h.store.get('g-bad');
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(CheckpointError);
        expect((err as CheckpointError).kind).toBe(kind);
        expect((err as CheckpointError).message).toMatch(/delete|Delete|Upgrade|Remove/);
        expect((await h.store.list()).map((e) => e.id)).toEqual(['g-ok']);
      });
    }

    it('locks one upload against a second driver, when it supports locking', async () => {
      const lock = h.store.lock?.bind(h.store);
      if (!lock) {
        expect(h.store.lock).toBeUndefined();
        return;
      }
      const unlock = await lock('h1');
      let err: unknown;
      try {
        await lock('h1');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CheckpointError);
      expect((err as CheckpointError).kind).toBe('locked');
      const other = await lock('h2');
      await unlock();
      await unlock();
      const again = await lock('h1');
      await again();
      await other();
    });
  });
}
