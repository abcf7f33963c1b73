import { describe, expect, it } from 'vitest';
import { OssArgumentError } from './errors.ts';
import {
  abortableSleep,
  backoffDelay,
  DEFAULT_RETRY,
  parseRetryAfter,
  resolveRetryPolicy,
} from './retry.ts';

describe('resolveRetryPolicy', () => {
  it('fills in the defaults: 3 attempts, 200 ms base, 20 s cap', () => {
    expect(resolveRetryPolicy(undefined)).toEqual({
      attempts: 3,
      baseDelayMs: 200,
      maxDelayMs: 20_000,
    });
    expect(resolveRetryPolicy({ attempts: 5 })).toEqual({
      attempts: 5,
      baseDelayMs: 200,
      maxDelayMs: 20_000,
    });
    expect(resolveRetryPolicy(false).attempts).toBe(1);
  });

  it('rejects nonsense', () => {
    expect(() => resolveRetryPolicy({ attempts: 0 })).toThrow(OssArgumentError);
    expect(() => resolveRetryPolicy({ attempts: 1.5 })).toThrow(/whole number/);
    expect(() => resolveRetryPolicy({ baseDelayMs: -1 })).toThrow(/baseDelayMs/);
    expect(() => resolveRetryPolicy({ maxDelayMs: Number.NaN })).toThrow(/maxDelayMs/);
  });
});

describe('backoffDelay', () => {
  const policy = { ...DEFAULT_RETRY };

  it('grows the jitter window exponentially up to the cap', () => {
    const top = () => 0.999_999;
    expect(backoffDelay(policy, 1, top)).toBe(199);
    expect(backoffDelay(policy, 2, top)).toBe(399);
    expect(backoffDelay(policy, 3, top)).toBe(799);
    expect(backoffDelay(policy, 20, top)).toBe(19_999);
  });

  it('applies full jitter from the random source', () => {
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(400);
  });

  it('honours a longer Retry-After, capped at maxDelayMs', () => {
    expect(backoffDelay(policy, 1, () => 0.5, 3000)).toBe(3000);
    expect(backoffDelay(policy, 1, () => 0.5, 10)).toBe(100);
    expect(backoffDelay(policy, 1, () => 0.5, 3_600_000)).toBe(20_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.UTC(2024, 0, 1, 0, 0, 0);
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Sun, 31 Dec 2023 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('abortableSleep', () => {
  it('rejects with the abort reason when the signal fires mid-sleep', async () => {
    const controller = new AbortController();
    const sleeping = abortableSleep(60_000, controller.signal);
    controller.abort(new Error('stop now'));
    await expect(sleeping).rejects.toThrow('stop now');
  });

  it('rejects at once for an already aborted signal and resolves otherwise', async () => {
    await expect(abortableSleep(10, AbortSignal.abort(new Error('already')))).rejects.toThrow(
      'already',
    );
    await expect(abortableSleep(0, undefined)).resolves.toBe(undefined);
    await expect(abortableSleep(1, new AbortController().signal)).resolves.toBe(undefined);
  });
});
