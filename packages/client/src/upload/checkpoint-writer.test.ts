import {
  type Checkpoint,
  type CheckpointStore,
  memoryCheckpointStore,
} from '@ossup/checkpoint-store';
import { describe, expect, it } from 'vitest';
import { CheckpointWriter } from './checkpoint-writer.ts';

const base = {
  version: 1,
  id: 'cp1',
  uploadId: 'U1',
  target: { endpoint: 'http://127.0.0.1:1', bucket: 'b', key: 'k' },
  source: { fingerprint: 'f', size: 1000 },
  partSize: 100,
  createdAt: new Date(0).toISOString(),
};

/** A store whose `set` calls wait until released, recording what they were given. */
function gatedStore() {
  const inner = memoryCheckpointStore();
  const writes: Checkpoint[] = [];
  const gates: (() => void)[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const store: CheckpointStore = {
    ...inner,
    async set(cp) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      writes.push(cp);
      await new Promise<void>((resolve) => gates.push(resolve));
      await inner.set(cp);
      inFlight--;
    },
  };
  return {
    store,
    inner,
    writes,
    release: () => gates.shift()?.(),
    maxInFlight: () => maxInFlight,
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('CheckpointWriter', () => {
  it('keeps one write in flight and then writes only the latest state', async () => {
    const g = gatedStore();
    const writer = new CheckpointWriter(g.store, base, [], () => {});
    writer.addPart({ partNumber: 1, etag: 'A', size: 100, crc64: undefined });
    for (let n = 2; n <= 20; n++)
      writer.addPart({ partNumber: n, etag: 'A', size: 100, crc64: undefined });
    await tick();
    expect(g.writes).toHaveLength(1);
    expect(g.writes[0]!.parts).toHaveLength(1);
    g.release();
    await tick();
    expect(g.writes).toHaveLength(2);
    expect(g.writes[1]!.parts.map((p) => p.partNumber)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const flushed = writer.flush();
    g.release();
    await flushed;
    expect(g.writes).toHaveLength(2);
    expect(g.maxInFlight()).toBe(1);
    expect((await g.inner.get('cp1'))!.parts).toHaveLength(20);
  });

  it('writes parts sorted and close() stops later writes', async () => {
    const store = memoryCheckpointStore();
    const writer = new CheckpointWriter(
      store,
      base,
      [{ partNumber: 3, etag: 'C', size: 100 }],
      () => {},
    );
    writer.addPart({ partNumber: 1, etag: 'A', size: 100, crc64: 42n });
    await writer.flush();
    expect((await store.get('cp1'))!.parts.map((p) => p.partNumber)).toEqual([1, 3]);
    expect((await store.get('cp1'))!.parts[0]!.crc64).toBe('42');
    await writer.close();
    await store.delete('cp1');
    writer.addPart({ partNumber: 2, etag: 'B', size: 100, crc64: undefined });
    await writer.flush();
    expect(await store.get('cp1')).toBeUndefined();
  });

  it('reports a failing write and keeps going', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const inner = memoryCheckpointStore();
    const store: CheckpointStore = {
      ...inner,
      async set(cp) {
        if (fail) throw new Error('disk full');
        await inner.set(cp);
      },
    };
    const writer = new CheckpointWriter(store, base, [], (e) => errors.push(e));
    writer.addPart({ partNumber: 1, etag: 'A', size: 100, crc64: undefined });
    await writer.flush();
    expect(errors).toHaveLength(1);
    expect(writer.persisted).toBe(false);
    fail = false;
    writer.addPart({ partNumber: 2, etag: 'B', size: 100, crc64: undefined });
    await writer.flush();
    expect(writer.persisted).toBe(true);
    expect((await inner.get('cp1'))!.parts).toHaveLength(2);
  });
});
