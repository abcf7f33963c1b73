import { describe, expect, it } from 'vitest';
import type { Credentials } from './credentials.ts';
import { createRefreshingCredentialsProvider } from './refreshing-credentials.ts';

function counting(make: (call: number) => Credentials | Promise<Credentials>) {
  let calls = 0;
  const provider = async () => make(++calls);
  return { provider, calls: () => calls };
}

describe('createRefreshingCredentialsProvider', () => {
  it('single-flights concurrent calls', async () => {
    const { provider, calls } = counting((n) => ({ accessKeyId: `ak${n}`, accessKeySecret: 's' }));
    const get = createRefreshingCredentialsProvider(provider);
    const results = await Promise.all(Array.from({ length: 10 }, () => get()));
    expect(calls()).toBe(1);
    expect(new Set(results.map((c) => c.accessKeyId)).size).toBe(1);
    await get();
    expect(calls()).toBe(1); // no expiration: long-lived
  });

  it('refreshes refreshBeforeMs before expiration', async () => {
    let now = 0;
    const { provider, calls } = counting((n) => ({
      accessKeyId: `ak${n}`,
      accessKeySecret: 's',
      expiration: new Date(now + 60_000),
    }));
    const get = createRefreshingCredentialsProvider(provider, {
      refreshBeforeMs: 10_000,
      now: () => now,
    });
    expect((await get()).accessKeyId).toBe('ak1');
    now = 49_000;
    expect((await get()).accessKeyId).toBe('ak1');
    now = 50_001;
    expect((await get()).accessKeyId).toBe('ak2');
    expect(calls()).toBe(2);
  });

  it('keeps unexpired credentials when a refresh fails, and retries later', async () => {
    let now = 0;
    let fail = false;
    const get = createRefreshingCredentialsProvider(
      async () => {
        if (fail) throw new Error('sts down');
        return { accessKeyId: 'ak', accessKeySecret: 's', expiration: new Date(now + 60_000) };
      },
      { refreshBeforeMs: 30_000, now: () => now },
    );
    await get();
    fail = true;
    now = 40_000; // inside the refresh window, not expired
    expect((await get()).accessKeyId).toBe('ak');
    now = 61_000; // expired
    await expect(get()).rejects.toThrow('sts down');
    fail = false;
    expect((await get()).expiration?.getTime()).toBe(121_000);
  });

  it('handles a provider that throws synchronously and then recovers', async () => {
    let first = true;
    const get = createRefreshingCredentialsProvider((() => {
      if (first) {
        first = false;
        throw new Error('sync boom');
      }
      return Promise.resolve({ accessKeyId: 'ak', accessKeySecret: 's' });
    }) as () => Promise<Credentials>);
    await expect(get()).rejects.toThrow('sync boom');
    expect((await get()).accessKeyId).toBe('ak');
  });

  it('invalidate() forces a new fetch', async () => {
    const { provider, calls } = counting((n) => ({ accessKeyId: `ak${n}`, accessKeySecret: 's' }));
    const get = createRefreshingCredentialsProvider(provider);
    await get();
    get.invalidate();
    expect((await get()).accessKeyId).toBe('ak2');
    expect(calls()).toBe(2);
  });

  it('rejects unusable credentials from the provider', async () => {
    const get = createRefreshingCredentialsProvider(async () => ({
      accessKeyId: 'ak',
      accessKeySecret: '',
    }));
    await expect(get()).rejects.toThrow('accessKeySecret');
  });
});
