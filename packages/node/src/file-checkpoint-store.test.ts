import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError } from '@ossup/checkpoint-store';
import { describeCheckpointStore, sampleCheckpoint } from '@ossup/checkpoint-store/conformance';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileCheckpointStore } from './file-checkpoint-store.ts';

describeCheckpointStore('file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ossup-cp-conf-'));
  const store = fileCheckpointStore(dir);
  return {
    store,
    writeRaw: (id, text) => writeFile(store.pathOf(id), text),
    readRaw: async (id) => readFile(store.pathOf(id), 'utf8').catch(() => undefined),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('fileCheckpointStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ossup-cp-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the directory 0700 and files 0600, named <id>.json', async () => {
    const root = join(dir, 'nested', 'checkpoints');
    const store = fileCheckpointStore(root);
    const id = 'ab'.repeat(32);
    await store.set(sampleCheckpoint(id));
    expect((await stat(root)).mode & 0o777).toBe(0o700);
    const file = join(root, `${id}.json`);
    expect(store.pathOf(id)).toBe(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    // A replacement keeps the mode (it is a new file renamed over the old one).
    await store.set(sampleCheckpoint(id, { parts: [] }));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8')).kind).toBe('ossup.checkpoint');
    // No temp files left behind.
    expect(await readdir(root)).toEqual([`${id}.json`]);
  });

  it('writes through fsync off as well', async () => {
    const store = fileCheckpointStore(dir, { fsync: false });
    await store.set(sampleCheckpoint('nofsync'));
    expect(await store.get('nofsync')).toEqual(sampleCheckpoint('nofsync'));
  });

  it('returns undefined and an empty list when the directory does not exist yet', async () => {
    const store = fileCheckpointStore(join(dir, 'not-yet'));
    expect(await store.get('x')).toBeUndefined();
    expect(await store.list()).toEqual([]);
    await store.delete('x');
  });

  it('refuses ids that are not safe file names', async () => {
    const store = fileCheckpointStore(dir);
    await expect(store.get('../escape')).rejects.toThrow(RangeError);
    await expect(store.get('a/b')).rejects.toThrow(RangeError);
    await expect(store.get('')).rejects.toThrow(RangeError);
    await expect(store.set(sampleCheckpoint('.hidden'))).rejects.toThrow(RangeError);
    await expect(store.lock('x.y')).rejects.toThrow(RangeError);
  });

  it('names the file in the error for a corrupt entry', async () => {
    const store = fileCheckpointStore(dir);
    await writeFile(store.pathOf('bad'), '{"kind":"ossup.checkpoint",');
    const err = await errorOf(store.get('bad'));
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as CheckpointError).kind).toBe('corrupt');
    expect((err as CheckpointError).message).toContain(store.pathOf('bad'));
  });

  it('list skips unreadable files, foreign names and temp files', async () => {
    const store = fileCheckpointStore(dir);
    await store.set(sampleCheckpoint('good'));
    await writeFile(store.pathOf('empty'), '');
    await writeFile(join(dir, 'notes.txt'), 'hello');
    await writeFile(join(dir, 'bad name.json'), JSON.stringify(sampleCheckpoint('x')));
    await writeFile(join(dir, '.good.json.123.abc.tmp'), '{');
    // A checkpoint stored under another id's name is refused (its id does not match).
    await writeFile(store.pathOf('mismatch'), await readFile(store.pathOf('good'), 'utf8'));
    expect((await store.list()).map((e) => e.id)).toEqual(['good']);
  });

  it('list removes temp files left by a killed writer once they are old', async () => {
    const store = fileCheckpointStore(dir);
    const fresh = join(dir, '.a.json.1.aa.tmp');
    const old = join(dir, '.b.json.1.bb.tmp');
    await writeFile(fresh, '{');
    await writeFile(old, '{');
    const twoHoursAgo = (Date.now() - 2 * 3600_000) / 1000;
    await utimes(old, twoHoursAgo, twoHoursAgo);
    await store.list();
    const names = await readdir(dir);
    expect(names).toContain('.a.json.1.aa.tmp');
    expect(names).not.toContain('.b.json.1.bb.tmp');
  });

  describe('lock', () => {
    it('writes <id>.lock 0600 with pid, host and time, and removes it on unlock', async () => {
      const store = fileCheckpointStore(dir, { lock: { hostname: 'host-a' } });
      const unlock = await store.lock('up1');
      const path = join(dir, 'up1.lock');
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      const owner = JSON.parse(await readFile(path, 'utf8'));
      expect(owner.pid).toBe(process.pid);
      expect(owner.hostname).toBe('host-a');
      expect(Number.isNaN(Date.parse(owner.createdAt))).toBe(false);
      expect(owner.token).toMatch(/^[0-9a-f]{32}$/);
      await unlock();
      expect(await readdir(dir)).toEqual([]);
    });

    it('names the holder and the lock file when locked', async () => {
      const store = fileCheckpointStore(dir);
      const unlock = await store.lock('up2');
      const err = await errorOf(store.lock('up2'));
      expect(err).toBeInstanceOf(CheckpointError);
      expect((err as CheckpointError).kind).toBe('locked');
      expect((err as CheckpointError).checkpointId).toBe('up2');
      expect((err as CheckpointError).message).toContain(`process ${process.pid}`);
      expect((err as CheckpointError).message).toContain(join(dir, 'up2.lock'));
      await unlock();
    });

    it('takes over a lock whose holder died on this host', async () => {
      const dead = 999_999;
      await writeFile(
        join(dir, 'up3.lock'),
        JSON.stringify({
          pid: dead,
          hostname: 'host-a',
          createdAt: '2026-01-01T00:00:00Z',
          token: 'old',
        }),
      );
      const store = fileCheckpointStore(dir, {
        lock: { hostname: 'host-a', isProcessAlive: (pid) => pid !== dead },
      });
      const unlock = await store.lock('up3');
      const owner = JSON.parse(await readFile(join(dir, 'up3.lock'), 'utf8'));
      expect(owner.pid).toBe(process.pid);
      expect(owner.token).not.toBe('old');
      await unlock();
      expect(await readdir(dir)).toEqual([]);
    });

    it('never takes over a lock held on another host', async () => {
      await writeFile(
        join(dir, 'up4.lock'),
        JSON.stringify({
          pid: 999_999,
          hostname: 'host-b',
          createdAt: '2026-01-01T00:00:00Z',
          token: 't',
        }),
      );
      const store = fileCheckpointStore(dir, {
        lock: { hostname: 'host-a', isProcessAlive: () => false },
      });
      const err = await errorOf(store.lock('up4'));
      expect((err as CheckpointError).kind).toBe('locked');
      expect((err as CheckpointError).message).toContain('host-b');
      expect((err as CheckpointError).message).toMatch(/delete the lock file/);
    });

    it('treats an empty lock file as held while young and stale once old', async () => {
      const path = join(dir, 'up5.lock');
      await writeFile(path, '');
      const store = fileCheckpointStore(dir, { lock: { incompleteAfterMs: 60_000 } });
      await expect(store.lock('up5')).rejects.toThrow(CheckpointError);
      const old = (Date.now() - 120_000) / 1000;
      await utimes(path, old, old);
      const unlock = await store.lock('up5');
      await unlock();
    });

    it('clears a take-over marker left by a taker-over that died', async () => {
      const dead = 999_997;
      const owner = (token: string) =>
        JSON.stringify({ pid: dead, hostname: 'h', createdAt: '2026-01-01T00:00:00Z', token });
      await writeFile(join(dir, 'up8.lock'), owner('old'));
      await writeFile(join(dir, 'up8.lock.takeover'), owner('taker'));
      const store = fileCheckpointStore(dir, {
        lock: { hostname: 'h', isProcessAlive: (pid) => pid !== dead },
      });
      const unlock = await store.lock('up8');
      expect(JSON.parse(await readFile(join(dir, 'up8.lock'), 'utf8')).pid).toBe(process.pid);
      await unlock();
      expect(await readdir(dir)).toEqual([]);
    });

    it('gives a stale lock to exactly one of many concurrent takers', async () => {
      const dead = 999_998;
      await writeFile(
        join(dir, 'up6.lock'),
        JSON.stringify({
          pid: dead,
          hostname: 'h',
          createdAt: '2026-01-01T00:00:00Z',
          token: 'old',
        }),
      );
      const store = fileCheckpointStore(dir, {
        lock: { hostname: 'h', isProcessAlive: (pid) => pid !== dead },
      });
      const results = await Promise.allSettled(Array.from({ length: 8 }, () => store.lock('up6')));
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const r of results) {
        if (r.status === 'rejected') expect((r.reason as CheckpointError).kind).toBe('locked');
      }
      await (won[0] as PromiseFulfilledResult<() => Promise<void>>).value();
      expect(await readdir(dir)).toEqual([]);
    });

    it('unlock leaves a lock that is no longer its own', async () => {
      const store = fileCheckpointStore(dir);
      const unlock = await store.lock('up7');
      const foreign = JSON.stringify({ pid: 1, hostname: 'x', createdAt: 'now', token: 'other' });
      await writeFile(join(dir, 'up7.lock'), foreign);
      await unlock();
      expect(await readFile(join(dir, 'up7.lock'), 'utf8')).toBe(foreign);
    });
  });
});
