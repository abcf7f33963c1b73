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
    const refreshed = await Promise.all([source.get(), source.get(), source.get()]);
    expect(refreshed.map((c) => c.accessKeyId)).toEqual(['STS.2', 'STS.2', 'STS.2']);
    expect(state.calls).toBe(2);
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
