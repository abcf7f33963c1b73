import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { partRange, planParts } from './plan-parts.ts';
import { type KnownPart, type ListedPart, reconcileParts } from './reconcile-parts.ts';

// Three parts: [0, 10), [10, 20), [20, 25).
const limits = { minPartSize: 10, maxPartSize: 20, maxParts: 5 };
const plan = planParts({ size: 25, partSize: 10, limits });
const E1 = '"5B3C1A2E053D763E1B002CC607C50001"';
const E2 = '"5B3C1A2E053D763E1B002CC607C50002"';
const E3 = '"5B3C1A2E053D763E1B002CC607C50003"';
const all: ListedPart[] = [
  { partNumber: 1, size: 10, etag: E1, crc64: '111' },
  { partNumber: 2, size: 10, etag: E2, crc64: '222' },
  { partNumber: 3, size: 5, etag: E3, crc64: '333' },
];

describe('reconcileParts: examples', () => {
  it('uploads everything when the server has nothing', () => {
    const r = reconcileParts(plan, []);
    expect(r.keep).toStrictEqual([]);
    expect(r.upload).toStrictEqual(plan.parts);
    expect(r.keptBytes).toBe(0);
    expect(r.conflicts).toStrictEqual([]);
    expect(r.extra).toStrictEqual([]);
    expect(r.lost).toStrictEqual([]);
  });

  it('keeps every listed part of the planned size when there is no checkpoint', () => {
    const r = reconcileParts(plan, all);
    expect(r.upload).toStrictEqual([]);
    expect(r.keptBytes).toBe(25);
    expect(r.keep).toStrictEqual([
      {
        partNumber: 1,
        start: 0,
        end: 10,
        size: 10,
        etag: E1,
        crc64: '111',
        checkpointMatched: false,
      },
      {
        partNumber: 2,
        start: 10,
        end: 20,
        size: 10,
        etag: E2,
        crc64: '222',
        checkpointMatched: false,
      },
      {
        partNumber: 3,
        start: 20,
        end: 25,
        size: 5,
        etag: E3,
        crc64: '333',
        checkpointMatched: false,
      },
    ]);
  });

  it('re-uploads a part whose size differs from the plan', () => {
    const listed = [all[0]!, { ...all[1]!, size: 9 }, all[2]!];
    const r = reconcileParts(plan, listed);
    expect(r.upload).toStrictEqual([partRange(plan, 2)]);
    expect(r.conflicts).toStrictEqual([
      { partNumber: 2, reason: 'size', planned: partRange(plan, 2), listed: listed[1] },
    ]);
    expect(r.keep.map((k) => k.partNumber)).toStrictEqual([1, 3]);
    expect(r.keptBytes).toBe(15);
  });

  it('matches checkpoint ETags without quotes and case-insensitively', () => {
    const known: KnownPart[] = [{ partNumber: 1, etag: E1.slice(1, -1).toLowerCase() }];
    const r = reconcileParts(plan, all, { knownParts: known });
    expect(r.keep[0]?.checkpointMatched).toBe(true);
    expect(r.keep[1]?.checkpointMatched).toBe(false);
    expect(r.upload).toStrictEqual([]);
    const encoded = reconcileParts(plan, [{ ...all[0]!, etag: `&quot;${E1.slice(1, -1)}&quot;` }], {
      knownParts: [{ partNumber: 1, etag: E1 }],
    });
    expect(encoded.keep[0]?.checkpointMatched).toBe(true);
  });

  it('re-uploads a part whose ETag differs from the checkpoint', () => {
    const r = reconcileParts(plan, all, { knownParts: [{ partNumber: 2, etag: E3 }] });
    expect(r.conflicts.map((c) => [c.partNumber, c.reason])).toStrictEqual([[2, 'etag']]);
    expect(r.upload).toStrictEqual([partRange(plan, 2)]);
  });

  it('compares CRC-64 numerically when both sides have it', () => {
    const same = reconcileParts(plan, [{ ...all[0]!, crc64: 111n }], {
      knownParts: [{ partNumber: 1, crc64: '0111' }],
    });
    expect(same.keep[0]?.checkpointMatched).toBe(true);
    const differs = reconcileParts(plan, all, { knownParts: [{ partNumber: 1, crc64: '112' }] });
    expect(differs.conflicts.map((c) => c.reason)).toStrictEqual(['crc64']);
    // the server did not report a CRC: nothing to compare, the part is kept on size
    const unlisted = reconcileParts(plan, [{ ...all[0]!, crc64: undefined }], {
      knownParts: [{ partNumber: 1, crc64: '999' }],
    });
    expect(unlisted.keep).toHaveLength(1);
    expect(unlisted.keep[0]?.checkpointMatched).toBe(false);
  });

  it('does not compare an empty checkpoint ETag', () => {
    const r = reconcileParts(plan, all, { knownParts: [{ partNumber: 1, etag: '' }] });
    expect(r.keep).toHaveLength(3);
    expect(r.keep[0]?.checkpointMatched).toBe(false);
  });

  it('reports parts beyond the plan as extra without uploading anything for them', () => {
    const stray = { partNumber: 7, size: 10, etag: E1 };
    const r = reconcileParts(plan, [stray, ...all, { partNumber: 4, size: 10, etag: E2 }]);
    expect(r.extra).toStrictEqual([{ partNumber: 4, size: 10, etag: E2 }, stray]);
    expect(r.upload).toStrictEqual([]);
    expect(r.keep).toHaveLength(3);
  });

  it('reports checkpoint parts the server lost and uploads them', () => {
    const r = reconcileParts(plan, [all[0]!], {
      knownParts: [
        { partNumber: 1, etag: E1 },
        { partNumber: 3, etag: E3 },
        { partNumber: 9, etag: E3 },
      ],
    });
    expect(r.lost).toStrictEqual([3]);
    expect(r.upload.map((p) => p.partNumber)).toStrictEqual([2, 3]);
  });

  it('keeps identical duplicates once and re-uploads conflicting ones', () => {
    const copy = { ...all[0]!, etag: E1.slice(1, -1).toLowerCase() };
    const same = reconcileParts(plan, [all[0]!, copy]);
    expect(same.keep.map((k) => k.partNumber)).toStrictEqual([1]);
    const clash = reconcileParts(plan, [all[0]!, { ...all[0]!, etag: E2 }]);
    expect(clash.conflicts.map((c) => c.reason)).toStrictEqual(['duplicate']);
    expect(clash.upload.map((p) => p.partNumber)).toStrictEqual([1, 2, 3]);
  });

  it('keeps the single empty part of an empty object', () => {
    const empty = planParts({ size: 0 });
    const r = reconcileParts(empty, [
      { partNumber: 1, size: 0, etag: '"D41D8CD98F00B204E9800998ECF8427E"' },
    ]);
    expect(r.keep).toHaveLength(1);
    expect(r.upload).toStrictEqual([]);
    expect(r.keptBytes).toBe(0);
  });

  it('accepts a bare layout (e.g. restored from a checkpoint)', () => {
    const r = reconcileParts({ size: 25, partSize: 10, partCount: 3 }, all);
    expect(r.keep).toHaveLength(3);
  });

  it('rejects malformed input with TypeError, naming the entry', () => {
    expect(() => reconcileParts(plan, null as never)).toThrow(TypeError);
    expect(() => reconcileParts(plan, [{ ...all[0]!, partNumber: 0 }])).toThrow(
      /listedParts\[0\].partNumber must be a whole number ≥ 1, got 0/,
    );
    expect(() => reconcileParts(plan, [all[0]!, { ...all[1]!, size: -1 }])).toThrow(
      /listedParts\[1\].size/,
    );
    expect(() => reconcileParts(plan, [{ ...all[0]!, etag: 5 as never }])).toThrow(
      /etag must be a string/,
    );
    expect(() => reconcileParts(plan, [{ ...all[0]!, crc64: 5 as never }])).toThrow(/crc64/);
    expect(() => reconcileParts(plan, all, { knownParts: {} as never })).toThrow(TypeError);
    expect(() => reconcileParts(plan, all, { knownParts: [{ partNumber: 1.5 }] })).toThrow(
      /knownParts\[0\].partNumber/,
    );
  });

  it('rejects an inconsistent layout', () => {
    expect(() => reconcileParts({ size: 25, partSize: 10, partCount: 2 }, all)).toThrow(RangeError);
  });
});

describe('reconcileParts: properties', () => {
  const scenario = fc
    .record({
      size: fc.integer({ min: 0, max: 400 }),
      partSize: fc.integer({ min: 4, max: 40 }),
    })
    .chain(({ size, partSize }) => {
      const p = planParts({
        size,
        partSize,
        limits: { minPartSize: 4, maxPartSize: 400, maxParts: 100 },
      });
      const etag = fc.constantFrom('"A"', '"B"', 'a', 'C', '');
      const crc = fc.option(fc.constantFrom('1', '2', '01', 2n), { nil: undefined });
      const listed = fc.array(
        fc.record({
          partNumber: fc.integer({ min: 1, max: p.partCount + 3 }),
          size: fc.oneof(fc.constant(partSize), fc.integer({ min: 0, max: 2 * partSize })),
          etag,
          crc64: crc,
        }),
        { maxLength: p.partCount + 5 },
      );
      const known = fc.array(
        fc.record({
          partNumber: fc.integer({ min: 1, max: p.partCount + 3 }),
          etag: fc.option(etag, { nil: undefined }),
          crc64: crc,
        }),
        { maxLength: p.partCount + 2 },
      );
      return fc.tuple(fc.constant(p), listed, known);
    });

  it('keep ∪ upload holds every planned part exactly once, with the planned ranges', () => {
    fc.assert(
      fc.property(scenario, ([p, listed, known]) => {
        const r = reconcileParts(p, listed, { knownParts: known });
        const numbers = [...r.keep.map((k) => k.partNumber), ...r.upload.map((u) => u.partNumber)];
        numbers.sort((a, b) => a - b);
        expect(numbers).toStrictEqual(Array.from({ length: p.partCount }, (_, i) => i + 1));
        for (const u of r.upload) expect(u).toStrictEqual(partRange(p, u.partNumber));
        let kept = 0;
        for (const k of r.keep) {
          const planned = partRange(p, k.partNumber);
          expect([k.start, k.end, k.size]).toStrictEqual([
            planned.start,
            planned.end,
            planned.size,
          ]);
          // only what the server listed with the planned size is ever kept
          expect(listed.some((l) => l.partNumber === k.partNumber && l.size === planned.size)).toBe(
            true,
          );
          kept += k.size;
        }
        expect(r.keptBytes).toBe(kept);
        const uploadNumbers = new Set(r.upload.map((u) => u.partNumber));
        for (const c of r.conflicts) expect(uploadNumbers.has(c.partNumber)).toBe(true);
        for (const n of r.lost) expect(uploadNumbers.has(n)).toBe(true);
        for (const e of r.extra) expect(e.partNumber).toBeGreaterThan(p.partCount);
        expect(r.extra).toHaveLength(listed.filter((l) => l.partNumber > p.partCount).length);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic and independent of the order of its inputs', () => {
    fc.assert(
      fc.property(
        scenario.chain(([p, listed, known]) =>
          fc.tuple(
            fc.constant(p),
            fc.constant(listed),
            fc.constant(known),
            fc.shuffledSubarray(listed, { minLength: listed.length, maxLength: listed.length }),
            fc.shuffledSubarray(known, { minLength: known.length, maxLength: known.length }),
          ),
        ),
        ([p, listed, known, listed2, known2]) => {
          const a = reconcileParts(p, listed, { knownParts: known });
          // toEqual, not toStrictEqual: fast-check may hand in equal duplicates of which one has
          // a null prototype, and which of two equal duplicates is reported does not matter.
          expect(reconcileParts(p, listed, { knownParts: known })).toEqual(a);
          expect(reconcileParts(p, listed2, { knownParts: known2 })).toEqual(a);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps everything when the server and the checkpoint agree with the plan', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 4, max: 500 }),
        (size, partSize) => {
          const p = planParts({
            size,
            partSize,
            limits: { minPartSize: 4, maxPartSize: 500, maxParts: 1000 },
          });
          const listed = p.parts.map((part) => ({
            partNumber: part.partNumber,
            size: part.size,
            etag: `"E${part.partNumber}"`,
            crc64: String(part.partNumber * 7),
          }));
          const r = reconcileParts(p, listed, { knownParts: listed });
          expect(r.upload).toStrictEqual([]);
          expect(r.keptBytes).toBe(size);
          expect(r.keep.every((k) => k.checkpointMatched)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});
