import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planViolations } from '../test/invariants.ts';
import { ObjectTooLargeError } from './errors.ts';
import { resolveLimits } from './limits.ts';
import { planParts } from './plan-parts.ts';
import { assertStreamFits, checkStreamCapacity, planStreamParts } from './stream-plan.ts';
import { GiB, MiB } from './units.ts';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('planStreamParts', () => {
  it('defaults to 8 MiB parts and a capacity of 10,000 × 8 MiB', () => {
    const plan = planStreamParts();
    expect(plan.partSize).toBe(8 * MiB);
    expect(plan.maxParts).toBe(10_000);
    expect(plan.maxSize).toBe(83_886_080_000);
    expect(Object.isFrozen(plan)).toBe(true);
  });

  it('uses a given partSize as is', () => {
    const plan = planStreamParts({ partSize: 64 * MiB });
    expect(plan.partSize).toBe(64 * MiB);
    expect(plan.maxSize).toBe(64 * MiB * 10_000);
  });

  it('sizes the parts for a maxSize', () => {
    const plan = planStreamParts({ maxSize: 200 * GiB });
    expect(plan.partSize).toBe(21 * MiB);
    expect(plan.maxSize).toBeGreaterThanOrEqual(200 * GiB);
    // a maxSize the default already covers keeps the default
    expect(planStreamParts({ maxSize: 1 * GiB }).partSize).toBe(8 * MiB);
  });

  it('grows a given partSize that cannot carry maxSize', () => {
    const plan = planStreamParts({ partSize: 5 * MiB, maxSize: 100 * GiB });
    expect(plan.partSize).toBe(11 * MiB);
  });

  it('caps the capacity at maxObjectSize', () => {
    const limits = { minPartSize: 5, maxPartSize: 1024, maxParts: 10, maxObjectSize: 5000 };
    const plan = planStreamParts({ limits });
    expect(plan.partSize).toBe(1024);
    expect(plan.maxSize).toBe(5000);
    expect(plan.limits).toStrictEqual(resolveLimits(limits));
  });

  it('rejects bad options', () => {
    expect(() => planStreamParts({ partSize: 1 })).toThrow(/below the minimum part size/);
    expect(() => planStreamParts({ maxSize: -5 })).toThrow(/maxSize must not be negative/);
    expect(() => planStreamParts({ maxSize: 10_000 * 5 * GiB + 1 })).toThrow(ObjectTooLargeError);
    expect(() => planStreamParts(null as never)).toThrow(TypeError);
  });
});

describe('checkStreamCapacity / assertStreamFits', () => {
  const limits = { minPartSize: 5, maxPartSize: 1024, maxParts: 10 };
  const plan = planStreamParts({ partSize: 100, limits });

  it('reports room left', () => {
    expect(checkStreamCapacity(plan, 0)).toStrictEqual({
      fits: true,
      bytesSeen: 0,
      remainingBytes: 1000,
      partsUsed: 0,
      partsLeft: 10,
    });
    expect(checkStreamCapacity(plan, 101)).toStrictEqual({
      fits: true,
      bytesSeen: 101,
      remainingBytes: 899,
      partsUsed: 2,
      partsLeft: 8,
    });
    expect(checkStreamCapacity(plan, 1000).fits).toBe(true);
    expect(checkStreamCapacity(plan, 1000).partsLeft).toBe(0);
    expect(checkStreamCapacity(plan, 1001)).toStrictEqual({
      fits: false,
      bytesSeen: 1001,
      remainingBytes: 0,
      partsUsed: 11,
      partsLeft: 0,
    });
  });

  it('throws on the first byte past the capacity, i.e. before part maxParts + 1', () => {
    expect(() => assertStreamFits(plan, 1000)).not.toThrow();
    const error = thrown(() => assertStreamFits(plan, 1001));
    expect(error).toBeInstanceOf(ObjectTooLargeError);
    const e = error as ObjectTooLargeError;
    expect(e.size).toBe(1001);
    expect(e.maxSize).toBe(1000);
    expect(e.partSize).toBe(100);
    expect(e.maxParts).toBe(10);
    expect(e.message).toContain('1001 bytes');
    expect(e.message).toContain('10 parts of 100 bytes');
    expect(e.message).toMatch(/larger partSize.*maxSize/);
  });

  it('names the object size limit when that is what caps the stream', () => {
    const capped = planStreamParts({ partSize: 100, limits: { ...limits, maxObjectSize: 500 } });
    expect(() => assertStreamFits(capped, 501)).toThrow(/maximum object size/);
  });

  it('rejects bad byte counts', () => {
    expect(() => checkStreamCapacity(plan, -1)).toThrow(RangeError);
    expect(() => assertStreamFits(plan, Number.NaN)).toThrow(RangeError);
    expect(() => assertStreamFits(plan, '5' as never)).toThrow(TypeError);
  });
});

describe('stream plans: properties', () => {
  it('a stream of any size within capacity re-plans to the same part size, validly', () => {
    fc.assert(
      fc.property(
        fc.record({
          minPartSize: fc.integer({ min: 1, max: 64 }),
          factor: fc.integer({ min: 1, max: 64 }),
          maxParts: fc.integer({ min: 1, max: 200 }),
        }),
        fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        ({ minPartSize, factor, maxParts }, maxWhere, totalWhere) => {
          const limits = resolveLimits({
            minPartSize,
            maxPartSize: minPartSize * factor,
            maxParts,
          });
          const cap = maxParts * limits.maxPartSize;
          const maxSize = maxWhere === undefined ? undefined : Math.floor(maxWhere * cap);
          const stream = planStreamParts({ maxSize, limits });
          if (maxSize !== undefined) expect(stream.maxSize).toBeGreaterThanOrEqual(maxSize);
          const total = Math.floor(totalWhere * stream.maxSize);
          assertStreamFits(stream, total);
          const plan = planParts({ size: total, partSize: stream.partSize, limits: stream.limits });
          expect(plan.partSize).toBe(stream.partSize);
          expect(planViolations(plan, total, limits)).toStrictEqual([]);
          expect(() => assertStreamFits(stream, stream.maxSize + 1)).toThrow(ObjectTooLargeError);
        },
      ),
      { numRuns: 300 },
    );
  });
});
