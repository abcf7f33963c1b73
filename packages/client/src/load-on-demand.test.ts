import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.doUnmock('./on-demand.ts');
  vi.resetModules();
});

describe('loadOnDemand', () => {
  it('hands every caller the same module from one load', async () => {
    vi.resetModules();
    const { loadOnDemand } = await import('./load-on-demand.ts');
    const first = loadOnDemand();
    expect(loadOnDemand()).toBe(first);
    const mod = await first;
    expect(typeof mod.gatherBody).toBe('function');
    expect(loadOnDemand()).toBe(first);
  });

  it('forgets a failed load, so the next call tries again', async () => {
    vi.resetModules();
    vi.doMock('./on-demand.ts', () => {
      throw new Error('the chunk could not be fetched');
    });
    const { loadOnDemand } = await import('./load-on-demand.ts');
    // (vitest wraps the factory's error in its own.)
    await expect(loadOnDemand()).rejects.toBeInstanceOf(Error);
    vi.doUnmock('./on-demand.ts');
    const mod = await loadOnDemand();
    expect(typeof mod.gatherBody).toBe('function');
  });
});
