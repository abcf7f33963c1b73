import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectValidPlan, planViolations } from '../test/invariants.ts';
import { ObjectTooLargeError } from './errors.ts';
import { OSS_LIMITS, resolveLimits } from './limits.ts';
import { partRange, planParts } from './plan-parts.ts';
import { GiB, KiB, MiB } from './units.ts';

const MAX_OBJECT = 10_000 * 5 * GiB;

describe('planParts: examples', () => {
  it('plans an empty object as one empty part', () => {
    const plan = planParts({ size: 0 });
    expect(plan).toStrictEqual({
      size: 0,
      partSize: 8 * MiB,
      partCount: 1,
      parts: [{ partNumber: 1, start: 0, end: 0, size: 0 }],
    });
  });

  it('plans 1 byte and minPartSize − 1 bytes as a single short part', () => {
    expect(planParts({ size: 1 }).parts).toStrictEqual([
      { partNumber: 1, start: 0, end: 1, size: 1 },
    ]);
    const plan = planParts({ size: 102_399, partSize: 100 * KiB });
    expect(plan.partCount).toBe(1);
    expect(plan.parts[0]).toStrictEqual({ partNumber: 1, start: 0, end: 102_399, size: 102_399 });
  });

  it('splits k × partSize into k full parts', () => {
    const plan = planParts({ size: 3 * 8 * MiB });
    expect(plan.partCount).toBe(3);
    expect(plan.parts.map((p) => p.size)).toStrictEqual([8 * MiB, 8 * MiB, 8 * MiB]);
    expect(plan.parts[2]).toStrictEqual({
      partNumber: 3,
      start: 16 * MiB,
      end: 24 * MiB,
      size: 8 * MiB,
    });
  });

  it('puts one extra byte into a 1-byte last part', () => {
    const plan = planParts({ size: 3 * 8 * MiB + 1 });
    expect(plan.partCount).toBe(4);
    expect(plan.parts[3]).toStrictEqual({
      partNumber: 4,
      start: 24 * MiB,
      end: 24 * MiB + 1,
      size: 1,
    });
  });

  it('makes the last part one byte short for k × partSize − 1', () => {
    const plan = planParts({ size: 3 * 8 * MiB - 1 });
    expect(plan.partCount).toBe(3);
    expect(plan.parts[2]?.size).toBe(8 * MiB - 1);
  });

  it('uses exactly maxParts parts at 10,000 × partSize', () => {
    const plan = planParts({ size: 10_000 * 8 * MiB });
    expect(plan.partSize).toBe(8 * MiB);
    expect(plan.partCount).toBe(10_000);
    expect(plan.parts[9_999]?.end).toBe(10_000 * 8 * MiB);
  });

  it('grows the part size at 10,000 × partSize + 1', () => {
    const size = 10_000 * 8 * MiB + 1;
    const plan = planParts({ size });
    expect(plan.partSize).toBe(9 * MiB);
    expect(plan.partCount).toBe(Math.ceil(size / (9 * MiB)));
    expectValidPlan(plan, size, OSS_LIMITS);
  });

  it('plans the maximum object size as 10,000 parts of 5 GiB', () => {
    const plan = planParts({ size: MAX_OBJECT });
    expect(plan.partSize).toBe(5 * GiB);
    expect(plan.partCount).toBe(10_000);
    expectValidPlan(plan, MAX_OBJECT, OSS_LIMITS);
  });

  it('throws ObjectTooLargeError beyond the maximum object size', () => {
    expect(() => planParts({ size: MAX_OBJECT + 1 })).toThrow(ObjectTooLargeError);
    expect(() => planParts({ size: MAX_OBJECT + 1 })).toThrow(RangeError);
  });

  it('returns frozen plans', () => {
    const plan = planParts({ size: 20 * MiB });
    expect(Object.isFrozen(plan)).toBe(true);
    expect(Object.isFrozen(plan.parts)).toBe(true);
    expect(Object.isFrozen(plan.parts[0])).toBe(true);
  });

  it('works with small custom limits', () => {
    const limits = { minPartSize: 5, maxPartSize: 1024, maxParts: 10, maxObjectSize: 10_240 };
    const plan = planParts({ size: 51, partSize: 5, limits });
    expect(plan.partSize).toBe(8);
    expect(plan.parts.map((p) => p.size)).toStrictEqual([8, 8, 8, 8, 8, 8, 3]);
  });
});

describe('partRange', () => {
  const plan = planParts({ size: 20 * MiB + 5, partSize: 8 * MiB });

  it('computes a part from the layout alone', () => {
    const layout = { size: plan.size, partSize: plan.partSize, partCount: plan.partCount };
    expect(partRange(layout, 1)).toStrictEqual({
      partNumber: 1,
      start: 0,
      end: 8 * MiB,
      size: 8 * MiB,
    });
    expect(partRange(layout, 3)).toStrictEqual({
      partNumber: 3,
      start: 16 * MiB,
      end: 20 * MiB + 5,
      size: 4 * MiB + 5,
    });
  });

  it('handles the empty plan', () => {
    expect(partRange({ size: 0, partSize: 100, partCount: 1 }, 1)).toStrictEqual({
      partNumber: 1,
      start: 0,
      end: 0,
      size: 0,
    });
  });

  it('rejects part numbers outside 1…partCount', () => {
    expect(() => partRange(plan, 0)).toThrow(/outside this plan; it has parts 1…3/);
    expect(() => partRange(plan, 4)).toThrow(RangeError);
    expect(() => partRange(plan, 1.5)).toThrow(TypeError);
    expect(() => partRange(plan, '1' as never)).toThrow(TypeError);
  });

  it('rejects inconsistent layouts (e.g. a corrupt checkpoint)', () => {
    expect(() => partRange({ size: 100, partSize: 10, partCount: 9 }, 1)).toThrow(
      /partCount is 9 but 100 bytes in parts of 10 bytes make 10 parts/,
    );
    expect(() => partRange({ size: 100, partSize: 0, partCount: 1 }, 1)).toThrow(RangeError);
    expect(() => partRange({ size: -1, partSize: 10, partCount: 1 }, 1)).toThrow(RangeError);
    expect(() => partRange(null as never, 1)).toThrow(TypeError);
  });
});

/** Sizes biased towards the boundaries that matter: multiples of the part size ± 1. */
function sizeNear(partSize: number, maxSize: number): fc.Arbitrary<number> {
  return fc.oneof(
    fc.integer({ min: 0, max: maxSize }),
    fc
      .tuple(
        fc.integer({ min: 0, max: Math.floor(maxSize / partSize) }),
        fc.integer({ min: -1, max: 1 }),
      )
      .map(([k, d]) => Math.min(maxSize, Math.max(0, k * partSize + d))),
  );
}

describe('planParts: properties', () => {
  it('obeys every rule under the OSS limits', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 100 * KiB, max: 5 * GiB }), { nil: undefined }),
        fc.integer({ min: 0, max: MAX_OBJECT }),
        (partSize, size) => {
          const plan = planParts({ size, partSize });
          expectValidPlan(plan, size, OSS_LIMITS);
          const preferred = partSize ?? 8 * MiB;
          if (Math.ceil(size / preferred) <= 10_000) expect(plan.partSize).toBe(preferred);
          else expect(plan.partSize).toBeGreaterThan(preferred);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('obeys every rule under random small limits, at and around part boundaries', () => {
    const limitsArb = fc
      .record({
        minPartSize: fc.integer({ min: 1, max: 64 }),
        factor: fc.integer({ min: 1, max: 64 }),
        maxParts: fc.integer({ min: 1, max: 300 }),
      })
      .map(({ minPartSize, factor, maxParts }) =>
        resolveLimits({ minPartSize, maxPartSize: minPartSize * factor, maxParts }),
      );
    fc.assert(
      fc.property(
        limitsArb
          .chain((limits) =>
            fc.tuple(
              fc.constant(limits),
              fc.integer({ min: limits.minPartSize, max: limits.maxPartSize }),
            ),
          )
          .chain(([limits, partSize]) =>
            fc.tuple(
              fc.constant(limits),
              fc.constant(partSize),
              sizeNear(partSize, limits.maxParts * limits.maxPartSize),
            ),
          ),
        ([limits, partSize, size]) => {
          const plan = planParts({ size, partSize, limits });
          expectValidPlan(plan, size, limits);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 * GiB }), (size) => {
        expect(planParts({ size })).toStrictEqual(planParts({ size }));
      }),
      { numRuns: 50 },
    );
  });

  it('re-plans a stored layout identically (checkpoint resume)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_OBJECT }), (size) => {
        const plan = planParts({ size });
        expect(planParts({ size, partSize: plan.partSize })).toStrictEqual(plan);
      }),
      { numRuns: 50 },
    );
  });
});

describe('the invariant checker used above', () => {
  it('catches gaps, short non-last parts, oversize parts and wrong numbering', () => {
    const limits = resolveLimits({ minPartSize: 10, maxPartSize: 20, maxParts: 3 });
    const good = planParts({ size: 25, partSize: 10, limits });
    expect(planViolations(good, 25, limits)).toStrictEqual([]);
    const part = (partNumber: number, start: number, end: number) => ({
      partNumber,
      start,
      end,
      size: end - start,
    });
    const broken = (parts: ReturnType<typeof part>[], partSize = 10) => ({
      size: 25,
      partSize,
      partCount: parts.length,
      parts,
    });
    expect(planViolations(broken([part(1, 0, 10), part(2, 11, 25)]), 25, limits)).toStrictEqual([
      'part 2: starts at 11, expected 10',
    ]);
    expect(planViolations(broken([part(1, 0, 5), part(2, 5, 25)], 5), 25, limits)).toContain(
      'part 1: non-last part < minPartSize',
    );
    expect(planViolations(broken([part(1, 0, 25)], 25), 25, limits)).toContain(
      'part 1: above maxPartSize',
    );
    expect(planViolations(broken([part(2, 0, 10), part(1, 10, 25)]), 25, limits)).toStrictEqual([
      'part 1: partNumber 2',
      'part 2: partNumber 1',
    ]);
    expect(planViolations(broken([part(1, 0, 10), part(2, 10, 20)]), 25, limits)).toStrictEqual([
      'parts end at 20, not 25',
    ]);
  });
});
