// Cross-process behaviour of fileCheckpointStore: atomic writes under SIGKILL, and the lock
// between real processes (a dead holder's pid is really gone).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError, parseCheckpoint } from '@ossup/checkpoint-store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileCheckpointStore } from '../src/file-checkpoint-store.ts';
import { fixture, spawnTs, watch } from './helpers/spawn-ts.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ossup-cp-proc-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('fileCheckpointStore across processes', () => {
  it('leaves every checkpoint whole when the writer is SIGKILLed mid-write', async () => {
    const ids = ['atom0', 'atom1', 'atom2', 'atom3'];
    const store = fileCheckpointStore(dir);
    let versionsSeen = new Set<string>();
    for (let round = 0; round < 6; round++) {
      const child = spawnTs(fixture('checkpoint-writer.ts'), [dir, String(ids.length)]);
      const w = watch(child);
      await w.waitFor((l) => l === 'ready');
      await sleep(20 + Math.random() * 150);
      child.kill('SIGKILL');
      const { signal } = await w.exited;
      expect(signal).toBe('SIGKILL');

      for (const id of ids) {
        const raw = await readFile(join(dir, `${id}.json`), 'utf8');
        const cp = parseCheckpoint(raw, id);
        // One writer version per file: never a mix of two writes.
        const tags = new Set(cp.parts.map((p) => p.etag));
        expect(tags.size).toBe(1);
        expect(cp.parts[0]!.crc64).toBe(cp.parts[0]!.etag.slice(1));
        expect(await store.get(id)).toEqual(cp);
        versionsSeen = new Set([...versionsSeen, cp.parts[0]!.etag]);
      }
      expect((await store.list()).map((e) => e.id).sort()).toEqual(ids);
      // Only entries and (dot-prefixed) temp debris of the killed writer are in the directory.
      for (const name of await readdir(dir)) {
        expect(name.endsWith('.json') || (name.startsWith('.') && name.endsWith('.tmp'))).toBe(
          true,
        );
      }
    }
    // The writer really was overwriting while it died (more than one version observed).
    expect(versionsSeen.size).toBeGreaterThan(1);
  });

  it('lets only one of two contending processes hold the lock at a time', async () => {
    const processes = [0, 1].map(() => spawnTs(fixture('lock-worker.ts'), [dir, 'contend', '50']));
    const children = processes.map(watch);
    await Promise.all(children.map((w) => w.waitFor((l) => l === 'ready')));
    for (const p of processes) p.stdin?.write('go\n');
    const results = await Promise.all(
      children.map(async (w) => {
        const { code } = await w.exited;
        expect(w.stderr()).toBe('');
        expect(code).toBe(0);
        return JSON.parse(w.lines.at(-1)!) as {
          acquired: number;
          refused: number;
          violations: number;
        };
      }),
    );
    for (const r of results) {
      expect(r.acquired).toBe(50);
      expect(r.violations).toBe(0);
    }
    // They did contend: at least one attempt found the lock held by the other.
    expect(results[0]!.refused + results[1]!.refused).toBeGreaterThan(0);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses while the holder lives, takes over once it is killed', async () => {
    const holder = watch(spawnTs(fixture('lock-worker.ts'), [dir, 'hold']));
    await holder.waitFor((l) => l === 'holding');
    const store = fileCheckpointStore(dir);
    let err: unknown;
    try {
      await store.lock('shared');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as CheckpointError).kind).toBe('locked');

    const pid = JSON.parse(await readFile(join(dir, 'shared.lock'), 'utf8')).pid as number;
    expect((err as CheckpointError).message).toContain(`process ${pid}`);
    process.kill(pid, 'SIGKILL');
    expect((await holder.exited).signal).toBe('SIGKILL');

    const unlock = await store.lock('shared');
    expect(JSON.parse(await readFile(join(dir, 'shared.lock'), 'utf8')).pid).toBe(process.pid);
    await unlock();
  });
});
