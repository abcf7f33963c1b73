import { choosePartSize, preferredPartSize } from './choose-part-size.ts';
import { describeBytes } from './describe-bytes.ts';
import { ObjectTooLargeError } from './errors.ts';
import { ceilDiv } from './int-math.ts';
import { maxPlannableSize, type OssLimits, resolveLimits } from './limits.ts';
import { describeValue, requireByteCount } from './validate.ts';

/** Options of {@link planStreamParts}. */
export interface PlanStreamPartsOptions {
  /**
   * Part size in bytes. Default: the size needed for `maxSize` when that is given, else
   * {@link DEFAULT_PART_SIZE} (8 MiB, clamped to the limits). Must lie within
   * `[minPartSize, maxPartSize]`; grown (like {@link choosePartSize}) if `maxSize` would not fit.
   */
  readonly partSize?: number;
  /**
   * The most bytes the stream may produce, if you know a bound. The part size is chosen (or
   * grown) so that this many bytes fit in `maxParts` parts. Default: none — the capacity is then
   * `partSize × maxParts` (78.125 GiB with the defaults).
   */
  readonly maxSize?: number;
  /** Limits to plan against; fields not given keep their {@link OSS_LIMITS} value. */
  readonly limits?: Partial<OssLimits>;
}

/**
 * The plan for a stream of unknown size: fixed-size parts, part `n` holding bytes
 * `[(n − 1) × partSize, n × partSize)`, the last one shorter. Capacity is `maxSize`.
 */
export interface StreamPartPlan {
  /** Size of every part but the last. */
  readonly partSize: number;
  /** Most parts the upload may use (`limits.maxParts`). */
  readonly maxParts: number;
  /**
   * Most bytes the stream may produce: `min(partSize × maxParts, maxObjectSize)`. At least the
   * `maxSize` that was asked for.
   */
  readonly maxSize: number;
  /** The resolved limits, so the final {@link planParts} call can reuse them. */
  readonly limits: OssLimits;
}

/**
 * Plans a stream whose size is not known in advance.
 *
 * The part size is fixed before the first byte is read, so it must be large enough for the
 * whole stream: `partSize` if given; otherwise the size {@link choosePartSize} picks for
 * `maxSize` if given; otherwise {@link DEFAULT_PART_SIZE}. Without a `maxSize` the plan does not
 * assume the OSS maximum object size (48.8 TiB would need 5 GiB parts, i.e. 5 GiB of memory per
 * part in flight); it carries at most `partSize × maxParts` bytes (78.125 GiB for 8 MiB parts)
 * and {@link assertStreamFits} reports overflow before part `maxParts + 1` would be needed.
 *
 * When the stream ends after `total` bytes, `planParts({ size: total, partSize: plan.partSize,
 * limits: plan.limits })` gives the very same part boundaries (no growth happens for
 * `total ≤ plan.maxSize`). An empty stream is one empty part.
 *
 * @example
 * const plan = planStreamParts({ maxSize: 200 * GiB }); // partSize 21 MiB
 * // per chunk read: assertStreamFits(plan, bytesSeen)
 *
 * @throws the errors of {@link choosePartSize} (bad `partSize`, `maxSize` or limits; a
 *   `maxSize` too large for any multipart upload).
 */
export function planStreamParts(options: PlanStreamPartsOptions = {}): StreamPartPlan {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `planStreamParts() takes an options object like { partSize: 16777216 }, got ${describeValue(options)}.`,
    );
  }
  const limits = resolveLimits(options.limits);
  const partSize =
    options.maxSize === undefined
      ? preferredPartSize(options.partSize, limits)
      : choosePartSize({
          size: requireByteCount('maxSize', options.maxSize),
          partSize: options.partSize,
          limits,
        });
  const maxSize = Math.min(partSize * limits.maxParts, maxPlannableSize(limits));
  return Object.freeze({ partSize, maxParts: limits.maxParts, maxSize, limits });
}

/** Where a stream stands against its plan; see {@link checkStreamCapacity}. */
export interface StreamCapacity {
  /** `bytesSeen ≤ plan.maxSize`: the stream still fits. */
  readonly fits: boolean;
  /** The byte count that was checked. */
  readonly bytesSeen: number;
  /** Bytes the stream may still produce: `max(0, plan.maxSize − bytesSeen)`. */
  readonly remainingBytes: number;
  /** Parts the bytes seen so far occupy: `⌈bytesSeen / partSize⌉` (0 before the first byte). */
  readonly partsUsed: number;
  /** Part numbers still free: `max(0, maxParts − partsUsed)`. */
  readonly partsLeft: number;
}

/**
 * Tells whether `bytesSeen` bytes still fit the stream plan, and how much room is left.
 * Pure; call it as often as you like (e.g. for a progress display).
 *
 * @throws TypeError / RangeError if `bytesSeen` is not a non-negative safe integer.
 */
export function checkStreamCapacity(plan: StreamPartPlan, bytesSeen: number): StreamCapacity {
  const seen = requireByteCount('bytesSeen', bytesSeen);
  const partsUsed = ceilDiv(seen, plan.partSize);
  return Object.freeze({
    fits: seen <= plan.maxSize,
    bytesSeen: seen,
    remainingBytes: Math.max(0, plan.maxSize - seen),
    partsUsed,
    partsLeft: Math.max(0, plan.maxParts - partsUsed),
  });
}

/**
 * Throws {@link ObjectTooLargeError} as soon as a stream has produced more bytes than its plan
 * can carry. Call it with the running byte count after every chunk you read; it fires on the
 * first byte past `plan.maxSize`, i.e. before part `maxParts + 1` would be started, so the
 * uploader can abort with a clear message instead of getting InvalidArgument from OSS.
 *
 * @throws ObjectTooLargeError when `bytesSeen > plan.maxSize`.
 * @throws TypeError / RangeError if `bytesSeen` is not a non-negative safe integer.
 */
export function assertStreamFits(plan: StreamPartPlan, bytesSeen: number): void {
  const capacity = checkStreamCapacity(plan, bytesSeen);
  if (capacity.fits) return;
  const fullCapacity = plan.partSize * plan.maxParts;
  throw new ObjectTooLargeError(
    `The stream has produced ${describeBytes(capacity.bytesSeen)}, more than its upload plan ` +
      `can hold: ${describeBytes(plan.maxSize)}, ` +
      (plan.maxSize < fullCapacity
        ? 'the maximum object size. '
        : `i.e. ${plan.maxParts} parts of ${describeBytes(plan.partSize)} each. `) +
      'Start again with a larger partSize, or pass the expected maxSize so the part size ' +
      'is chosen to fit.',
    {
      size: capacity.bytesSeen,
      maxSize: plan.maxSize,
      partSize: plan.partSize,
      maxParts: plan.maxParts,
    },
  );
}
