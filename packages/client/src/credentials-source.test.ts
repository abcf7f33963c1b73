import type { Credentials } from '@ossup/signer';
import { describe, expect, it } from 'vitest';
import { createCredentialsSource } from './credentials-source.ts';
import { OssArgumentError, OssError } from './errors.ts';

function countingProvider(lifetimeMs: number, now: () => number) {
  const state = { calls: 0 };
  const provider = async (): Promise<Credentials> => {
    state.calls += 1;
    await new Promise((r) => setTimeout(r, 5));
    return {
      accessKeyId: `STS.${state.calls}`,
      accessKeySecret: `secret-${state.calls}`,
      securityToken: `token-${state.calls}`,
      expiration: new Date(now() + lifetimeMs),
    };
  };
  return { provider, state };
}

describe('createCredentialsSource', () => {
  it('returns fixed credentials and cannot refresh them', async () => {
    const fixed = { accessKeyId: 'ak', accessKeySecret: 'sk' };
    const source = createCredentialsSource({ credentials: fixed });
    expect(await source.get()).toBe(fixed);
    expect(source.invalidate(fixed)).toBe(false);
  });

  it('refuses both or neither source, and incomplete credentials', () => {
    const fixed = { accessKeyId: 'ak', accessKeySecret: 'sk' };
    expect(() =>
      createCredentialsSource({ credentials: fixed, provider: async () => fixed }),
    ).toThrow(/not both/);
    expect(() => createCredentialsSource({})).toThrow(OssArgumentError);
    expect(() =>
      createCredentialsSource({ credentials: { accessKeyId: 'ak', accessKeySecret: '' } }),
    ).toThrow(/accessKeySecret/);
  });

  it('calls the provider once for many concurrent requests (single flight)', async () => {
    let clock = 1_000_000;
    const { provider, state } = countingProvider(3_600_000, () => clock);
    const source = createCredentialsSource({ provider, now: () => clock });
    const all = await Promise.all(Array.from({ length: 50 }, () => source.get()));
    expect(state.calls).toBe(1);
    expect(new Set(all.map((c) => c.accessKeyId)).size).toBe(1);
    clock += 60_000;
    await source.get();
    expect(state.calls).toBe(1);
  });

  it('refreshes once the refresh margin before expiration is reached', async () => {
    let clock = 0;
    const { provider, state } = countingProvider(10 * 60_000, () => clock);
    const source = createCredentialsSource({
      provider,
      now: () => clock,
      refreshMarginMs: 5 * 60_000,
    });
    expect((await source.get()).accessKeyId).toBe('STS.1');
    clock = 4 * 60_000;
    expect((await source.get()).accessKeyId).toBe('STS.1');
    clock = 5 * 60_000 + 1;
    // Inside the margin the cached credentials still sign, while one refresh runs behind them.
    const during = await Promise.all([source.get(), source.get(), source.get()]);
    expect(during.map((c) => c.accessKeyId)).toEqual(['STS.1', 'STS.1', 'STS.1']);
    await new Promise((r) => setTimeout(r, 20));
    expect(state.calls).toBe(2);
    expect((await source.get()).accessKeyId).toBe('STS.2');
    expect(state.calls).toBe(2);
  });

  it('waits for the provider once the cached credentials have expired', async () => {
    let clock = 0;
    const { provider, state } = countingProvider(10 * 60_000, () => clock);
    const source = createCredentialsSource({ provider, now: () => clock });
    expect((await source.get()).accessKeyId).toBe('STS.1');
    clock = 10 * 60_000;
    expect((await source.get()).accessKeyId).toBe('STS.2');
    expect(state.calls).toBe(2);
  });

  it('asks a provider that answers with nearly expired tokens at most every 10 s, not per request', async () => {
    let clock = 0;
    // Every answer has 4 minutes left: always inside the 5-minute margin.
    const { provider, state } = countingProvider(4 * 60_000, () => clock);
    const source = createCredentialsSource({ provider, now: () => clock });
    await source.get();
    for (let i = 0; i < 10; i++) {
      clock += 100;
      await source.get();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(state.calls).toBe(1);
    clock += 10_000;
    await source.get();
    await new Promise((r) => setTimeout(r, 10));
    expect(state.calls).toBe(2);
  });

  it('calls the provider again when a call has hung for 30 s, and still takes the late answer', async () => {
    let clock = 0;
    let calls = 0;
    let answerFirst!: (c: Credentials) => void;
    const source = createCredentialsSource({
      now: () => clock,
      provider: () => {
        calls += 1;
        if (calls === 1) return new Promise<Credentials>((resolve) => (answerFirst = resolve));
        return Promise.resolve({ accessKeyId: 'STS.2', accessKeySecret: 's' });
      },
    });
    const hung = source.get();
    clock = 29_000;
    void source.get(); // still the same call
    await new Promise((r) => setTimeout(r, 1));
    expect(calls).toBe(1);
    clock = 31_000;
    expect((await source.get()).accessKeyId).toBe('STS.2');
    expect(calls).toBe(2);
    answerFirst({ accessKeyId: 'STS.1', accessKeySecret: 's' });
    expect((await hung).accessKeyId).toBe('STS.1');
  });

  it('keeps signing with valid credentials when an early refresh fails, and fails once they expire', async () => {
    let clock = 0;
    let failing = false;
    let calls = 0;
    const source = createCredentialsSource({
      now: () => clock,
      provider: async () => {
        calls += 1;
        if (failing) throw new Error('sts 503');
        return {
          accessKeyId: `STS.${calls}`,
          accessKeySecret: 's',
          expiration: new Date(clock + 10 * 60_000),
        };
      },
    });
    expect((await source.get()).accessKeyId).toBe('STS.1');
    failing = true;
    clock = 8 * 60_000;
    expect((await source.get()).accessKeyId).toBe('STS.1');
    await new Promise((r) => setTimeout(r, 5));
    expect(calls).toBe(2);
    clock = 10 * 60_000 - 5_000;
    const error = await source.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OssError);
    expect((error as Error).message).toContain('sts 503');
  });

  it('invalidates only the credentials a rejected request used', async () => {
    const clock = 0;
    const { provider, state } = countingProvider(3_600_000, () => clock);
    const source = createCredentialsSource({ provider, now: () => clock });
    const first = await source.get();
    expect(source.invalidate(first)).toBe(true);
    const second = await source.get();
    expect(second.accessKeyId).toBe('STS.2');
    // A late failure of a request signed with `first` must not discard `second`.
    source.invalidate(first);
    expect(await source.get()).toBe(second);
    expect(state.calls).toBe(2);
  });

  it('wraps provider failures and tries again on the next call', async () => {
    let fail = true;
    const source = createCredentialsSource({
      provider: async () => {
        if (fail) throw new Error('STS unreachable');
        return { accessKeyId: 'ak', accessKeySecret: 'sk' };
      },
    });
    await expect(source.get()).rejects.toThrow(OssError);
    await expect(source.get()).rejects.toThrow(/STS unreachable/);
    fail = false;
    expect((await source.get()).accessKeyId).toBe('ak');
  });

  it('survives a provider that throws synchronously', async () => {
    let calls = 0;
    const source = createCredentialsSource({
      provider: (() => {
        calls += 1;
        if (calls === 1) throw new Error('sync boom');
        return Promise.resolve({ accessKeyId: 'ak', accessKeySecret: 'sk' });
      }) as () => Promise<Credentials>,
    });
    await expect(source.get()).rejects.toThrow(/sync boom/);
    expect((await source.get()).accessKeyId).toBe('ak');
  });
});
