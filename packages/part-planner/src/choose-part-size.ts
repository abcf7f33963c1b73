import { describeBytes } from './describe-bytes.ts';
import { ObjectTooLargeError } from './errors.ts';
import { ceilDiv, nextPowerOfTwo, roundUpTo } from './int-math.ts';
import { maxPlannableSize, type OssLimits, resolveLimits } from './limits.ts';
import { MiB } from './units.ts';
import { requireByteCount, requireOptions } from './validate.ts';

/**
 * Part size used when none is given: 8 MiB.
 *
 * Why 8 MiB: where parts are held whole, memory is `parallel × partSize`, so 8 MiB × 4–8 parts in flight stays well under
 * 100 MiB; a part is large enough that per-request overhead (signing, headers, one round trip)
 * is noise, and small enough that a retry after a network error re-sends little. 10,000 parts of
 * 8 MiB hold 78.125 GiB (83,886,080,000 bytes) before the planner has to grow the part size.
 * (For comparison: the Go SDK v2 defaults to 6 MiB, ali-oss to 1 MiB.)
 *
 * Under custom limits the default is clamped into `[minPartSize, maxPartSize]`.
 */
export const DEFAULT_PART_SIZE: number = 8 * MiB;

/** Options of {@link choosePartSize}. */
export interface ChoosePartSizeOptions {
  /** Object size in bytes: a non-negative safe integer. */
  readonly size: number;
  /**
   * Preferred part size in bytes. Default {@link DEFAULT_PART_SIZE} (8 MiB, clamped to the
   * limits). Must lie within `[minPartSize, maxPartSize]`; it is grown when the object would
   * otherwise need more than `maxParts` parts.
   */
  readonly partSize?: number;
  /** Limits to plan against; fields not given keep their {@link OSS_LIMITS} value. */
  readonly limits?: Partial<OssLimits>;
}

/**
 * Chooses the part size for an object of known size.
 *
 * Returns the preferred size (`partSize`, or the default) whenever `⌈size / partSize⌉` parts fit
 * in `maxParts`. Otherwise the part size grows — it never fails while the object fits:
 * the smallest size that fits, `⌈size / maxParts⌉`, is rounded **up to a whole number of MiB**
 * (below 1 MiB, which only happens with small custom limits, up to the next power of two), and
 * capped at `maxPartSize`.
 *
 * Why whole MiB rather than the next power of two: memory is `parallel × partSize`, and a power
 * of two can nearly double it (needing 8.01 MiB would give 16 MiB); a whole MiB wastes under
 * 1 MiB per buffer while keeping sizes readable in logs and aligned to pages and disk blocks.
 * The result is deterministic, so re-planning the same size gives the same answer.
 *
 * A size of 0 returns the preferred size (the plan is then one empty part).
 *
 * @example
 * choosePartSize({ size: 1 * GiB })                    // 8388608 (8 MiB, 128 parts)
 * choosePartSize({ size: 100 * GiB })                  // 11534336 (11 MiB: 8 MiB would need 12,800 parts)
 * choosePartSize({ size: 10 * MiB, partSize: 5 * MiB }) // 5242880
 *
 * @throws TypeError if `size` or `partSize` is not a number (e.g. a bigint or "8MiB").
 * @throws RangeError if `size` is negative, fractional, NaN or unsafe, or `partSize` is outside
 *   `[minPartSize, maxPartSize]`.
 * @throws ObjectTooLargeError (a RangeError) if `size` exceeds
 *   `min(maxObjectSize, maxParts × maxPartSize)`.
 */
export function choosePartSize(options: ChoosePartSizeOptions): number {
  requireOptions('choosePartSize()', options, '{ size: 1073741824 }');
  const limits = resolveLimits(options.limits);
  const size = requireByteCount('size', options.size);
  const preferred = preferredPartSize(options.partSize, limits);
  const maxSize = maxPlannableSize(limits);
  if (size > maxSize) {
    throw new ObjectTooLargeError(
      `Object size ${describeBytes(size)} is larger than one multipart upload can hold: ` +
        `${describeBytes(maxSize)}, ` +
        (maxSize < limits.maxParts * limits.maxPartSize
          ? 'the maximum object size (capped by maxObjectSize). '
          : `i.e. ${limits.maxParts} parts of at most ${describeBytes(limits.maxPartSize)} each. `) +
        'Split the data into several objects.',
      { size, maxSize, partSize: limits.maxPartSize, maxParts: limits.maxParts },
    );
  }
  if (ceilDiv(size, preferred) <= limits.maxParts) return preferred;
  return growPartSize(ceilDiv(size, limits.maxParts), limits);
}

/** Validated preferred part size: the caller's, or the default clamped to the limits. */
export function preferredPartSize(partSize: number | undefined, limits: OssLimits): number {
  if (partSize === undefined) {
    return Math.min(Math.max(DEFAULT_PART_SIZE, limits.minPartSize), limits.maxPartSize);
  }
  const value = requireByteCount('partSize', partSize);
  if (value < limits.minPartSize) {
    throw new RangeError(
      `partSize ${describeBytes(value)} is below the minimum part size ` +
        `${describeBytes(limits.minPartSize)}; every part but the last must be at least that ` +
        `large. Use at least ${limits.minPartSize} bytes, or omit partSize for the default.`,
    );
  }
  if (value > limits.maxPartSize) {
    throw new RangeError(
      `partSize ${describeBytes(value)} is above the maximum part size ` +
        `${describeBytes(limits.maxPartSize)}. Use at most ${limits.maxPartSize} bytes, ` +
        'or omit partSize for the default.',
    );
  }
  return value;
}

/**
 * The "nice" size at or above `required` (which is ≤ maxPartSize): whole MiB, or the next power
 * of two below 1 MiB; never above maxPartSize (still ≥ required there) nor below minPartSize.
 */
function growPartSize(required: number, limits: OssLimits): number {
  const nice = required >= MiB ? roundUpTo(required, MiB) : nextPowerOfTwo(required);
  return Math.max(limits.minPartSize, Math.min(nice, limits.maxPartSize));
}
