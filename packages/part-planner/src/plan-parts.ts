import { type ChoosePartSizeOptions, choosePartSize } from './choose-part-size.ts';
import { ceilDiv } from './int-math.ts';
import { describeValue, requireByteCount } from './validate.ts';

/**
 * One part of a plan: bytes `[start, end)` of the object go into part `partNumber`.
 * Half-open like every range in ossup, so `size = end − start` and the next part starts at `end`.
 */
export interface PartRange {
  /** 1-based OSS part number (1…maxParts). */
  readonly partNumber: number;
  /** Offset of the first byte, inclusive. */
  readonly start: number;
  /** Offset after the last byte, exclusive. */
  readonly end: number;
  /** `end − start`; 0 only for the single part of an empty object. */
  readonly size: number;
}

/**
 * The three numbers that fix a plan. A checkpoint only needs to store `size` and `partSize`;
 * {@link planParts} with the same `partSize` gives back the same layout, and {@link partRange}
 * computes any part from a layout without building the `parts` array.
 */
export interface PartLayout {
  /** Object size in bytes. */
  readonly size: number;
  /** Size of every part but the last (the last is `size − (partCount − 1) × partSize`). */
  readonly partSize: number;
  /** Number of parts, at least 1 (an empty object is one empty part). */
  readonly partCount: number;
}

/** A complete plan: the layout plus every part, ascending and contiguous over `[0, size)`. */
export interface PartPlan extends PartLayout {
  /** Parts 1…partCount in order; frozen. */
  readonly parts: readonly PartRange[];
}

/** Options of {@link planParts}: the same as {@link ChoosePartSizeOptions}. */
export type PlanPartsOptions = ChoosePartSizeOptions;

/**
 * Splits an object of known size into parts under the OSS rules.
 *
 * The part size comes from {@link choosePartSize} (preferred size, grown when the object would
 * need more than `maxParts` parts). Every part but the last has exactly `partSize` bytes; the
 * last has the rest (1…partSize bytes). The parts cover `[0, size)` without gaps or overlap and
 * are numbered 1…partCount.
 *
 * **Empty object:** `size: 0` gives one empty part `{ partNumber: 1, start: 0, end: 0, size: 0 }`.
 * OSS accepts a 0-byte last part, and Complete needs at least one part, so this plan can be
 * uploaded as is — which an uploader that initiated before learning the size (a stream) must do
 * anyway. An uploader that knows the size up front may prefer a single PutObject for small
 * objects; check `plan.size` (or `partCount === 1`) and decide there.
 *
 * @example
 * const plan = planParts({ size: 20 * MiB, partSize: 8 * MiB });
 * // plan.partCount === 3; plan.parts[2] = { partNumber: 3, start: 16 MiB, end: 20 MiB, size: 4 MiB }
 *
 * @throws the errors of {@link choosePartSize}.
 */
export function planParts(options: PlanPartsOptions): PartPlan {
  const partSize = choosePartSize(options);
  const size = options.size;
  const partCount = countParts(size, partSize);
  const parts: PartRange[] = new Array(partCount);
  for (let i = 0; i < partCount; i++) parts[i] = rangeAt(size, partSize, i + 1);
  return Object.freeze({ size, partSize, partCount, parts: Object.freeze(parts) });
}

/**
 * The range of one part, computed from the layout alone: no array is built, so this is the way
 * to address parts of a plan restored from a checkpoint (`{ size, partSize, partCount }`).
 *
 * @throws TypeError / RangeError if the layout is inconsistent (partCount does not match size
 *   and partSize) or `partNumber` is not a whole number in 1…partCount.
 */
export function partRange(layout: PartLayout, partNumber: number): PartRange {
  checkLayout(layout);
  if (typeof partNumber !== 'number' || !Number.isInteger(partNumber)) {
    throw new TypeError(`partNumber must be a whole number, got ${describeValue(partNumber)}.`);
  }
  if (partNumber < 1 || partNumber > layout.partCount) {
    throw new RangeError(
      `partNumber ${partNumber} is outside this plan; it has parts 1…${layout.partCount}.`,
    );
  }
  return rangeAt(layout.size, layout.partSize, partNumber);
}

/** Parts needed for `size` bytes at `partSize`: at least one, so an empty object has a part. */
export function countParts(size: number, partSize: number): number {
  return Math.max(1, ceilDiv(size, partSize));
}

/** Range of part `partNumber` (unchecked: callers validate the layout and the number). */
export function rangeAt(size: number, partSize: number, partNumber: number): PartRange {
  const start = (partNumber - 1) * partSize;
  const end = Math.min(start + partSize, size);
  return Object.freeze({ partNumber, start, end, size: end - start });
}

/** Rejects layouts that could not have come from {@link planParts} (e.g. a corrupt checkpoint). */
export function checkLayout(layout: PartLayout): void {
  if (typeof layout !== 'object' || layout === null) {
    throw new TypeError(
      `Expected a plan or layout { size, partSize, partCount }, got ${describeValue(layout)}.`,
    );
  }
  const size = requireByteCount('layout.size', layout.size);
  const partSize = requireByteCount('layout.partSize', layout.partSize);
  if (partSize < 1) {
    throw new RangeError('layout.partSize must be at least 1 byte; re-plan with planParts().');
  }
  const expected = countParts(size, partSize);
  if (layout.partCount !== expected) {
    throw new RangeError(
      `layout.partCount is ${describeValue(layout.partCount)} but ${size} bytes in parts of ` +
        `${partSize} bytes make ${expected} parts; the layout is inconsistent (a corrupt or ` +
        'hand-edited checkpoint?). Re-plan with planParts().',
    );
  }
}
