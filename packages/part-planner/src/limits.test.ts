import { describe, expect, it } from 'vitest';
import { maxPlannableSize, OSS_LIMITS, resolveLimits } from './limits.ts';

describe('OSS_LIMITS', () => {
  it('holds the §5.1 values', () => {
    expect(OSS_LIMITS.minPartSize).toBe(102_400);
    expect(OSS_LIMITS.maxPartSize).toBe(5_368_709_120);
    expect(OSS_LIMITS.maxParts).toBe(10_000);
    expect(OSS_LIMITS.maxObjectSize).toBe(53_687_091_200_000);
    expect(OSS_LIMITS.maxPutObjectSize).toBe(5_368_709_120);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(OSS_LIMITS)).toBe(true);
  });
});

describe('resolveLimits', () => {
  it('returns the OSS limits when nothing is overridden', () => {
    expect(resolveLimits()).toBe(OSS_LIMITS);
    expect(resolveLimits({})).toStrictEqual(OSS_LIMITS);
  });

  it('overrides only the given fields and ignores undefined ones', () => {
    const limits = resolveLimits({ maxParts: 10, minPartSize: undefined });
    expect(limits.maxParts).toBe(10);
    expect(limits.minPartSize).toBe(102_400);
    expect(limits.maxPartSize).toBe(5_368_709_120);
  });

  it('rejects non-objects and non-numbers with TypeError', () => {
    expect(() => resolveLimits('small' as never)).toThrow(TypeError);
    expect(() => resolveLimits(null as never)).toThrow(TypeError);
    expect(() => resolveLimits({ maxParts: '10' as never })).toThrow(
      /limits.maxParts must be a number/,
    );
  });

  it('rejects zero, negative, fractional and unsafe fields with RangeError', () => {
    expect(() => resolveLimits({ maxParts: 0 })).toThrow(RangeError);
    expect(() => resolveLimits({ minPartSize: -1 })).toThrow(/at least 1/);
    expect(() => resolveLimits({ maxPartSize: 1.5 })).toThrow(RangeError);
    expect(() => resolveLimits({ maxObjectSize: 2 ** 53 })).toThrow(RangeError);
    expect(() => resolveLimits({ maxParts: Number.NaN })).toThrow(RangeError);
  });

  it('rejects minPartSize above maxPartSize', () => {
    expect(() => resolveLimits({ minPartSize: 10, maxPartSize: 5 })).toThrow(
      /minPartSize \(10\) is larger than limits.maxPartSize \(5\)/,
    );
  });
});

describe('maxPlannableSize', () => {
  it('is maxParts × maxPartSize for OSS', () => {
    expect(maxPlannableSize()).toBe(10_000 * 5 * 1024 ** 3);
  });

  it('is capped by maxObjectSize and by the part limits, whichever is smaller', () => {
    expect(maxPlannableSize({ maxParts: 10, maxPartSize: 1000, minPartSize: 5 })).toBe(10_000);
    expect(
      maxPlannableSize({ maxParts: 10, maxPartSize: 1000, minPartSize: 5, maxObjectSize: 2500 }),
    ).toBe(2500);
  });

  it('stays a safe integer when custom limits multiply past 2^53', () => {
    expect(
      maxPlannableSize({
        maxParts: Number.MAX_SAFE_INTEGER,
        maxPartSize: Number.MAX_SAFE_INTEGER,
        maxObjectSize: Number.MAX_SAFE_INTEGER,
      }),
    ).toBe(Number.MAX_SAFE_INTEGER);
  });
});
