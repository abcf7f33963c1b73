import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.doUnmock('./on-demand.ts');
  vi.resetModules();
});

describe('preloadClientCode', () => {
  it('loads the code that is otherwise loaded on first use', async () => {
    const loaded = vi.fn();
    vi.doMock('./on-demand.ts', () => {
      loaded();
      return {};
    });
    const { preloadClientCode } = await import('./preload.ts');
    expect(loaded).not.toHaveBeenCalled();
    await preloadClientCode();
    expect(loaded).toHaveBeenCalledTimes(1);
  });

  it('resolves even when the code cannot load (the first call that needs it reports that)', async () => {
    vi.doMock('./on-demand.ts', () => {
      throw new Error('chunk failed to load');
    });
    const { preloadClientCode } = await import('./preload.ts');
    await expect(preloadClientCode()).resolves.toBeUndefined();
  });
});
