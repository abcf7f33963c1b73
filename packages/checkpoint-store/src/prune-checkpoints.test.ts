import { describe, expect, it } from 'vitest';
import { sampleCheckpoint } from './conformance.ts';
import { memoryCheckpointStore } from './memory-checkpoint-store.ts';
import { pruneCheckpoints } from './prune-checkpoints.ts';

describe('pruneCheckpoints', () => {
  it('deletes only entries older than the cutoff', async () => {
    const store = memoryCheckpointStore();
    await store.set(sampleCheckpoint('old', { updatedAt: '2026-01-01T00:00:00.000Z' }));
    await store.set(sampleCheckpoint('new', { updatedAt: '2026-01-10T00:00:00.000Z' }));
    const now = () => Date.parse('2026-01-11T00:00:00.000Z');
    const pruned = await pruneCheckpoints(store, { olderThanMs: 7 * 86_400_000, now });
    expect(pruned).toEqual(['old']);
    expect(await store.get('old')).toBeUndefined();
    expect(await store.get('new')).toBeDefined();
  });

  it('rejects a negative age', async () => {
    await expect(pruneCheckpoints(memoryCheckpointStore(), { olderThanMs: -1 })).rejects.toThrow(
      RangeError,
    );
  });
});
