import { GiB, KiB } from './units.ts';
import { describeValue } from './validate.ts';

/**
 * The multipart limits the planner obeys. {@link OSS_LIMITS} holds the values of the real
 * service; pass a `limits` override (any subset of these fields) to plan against a server with
 * other limits, e.g. the dev server or a test that wants many parts from a few kilobytes.
 */
export interface OssLimits {
  /** Smallest size of every part except the last (the last may be anything, even 0). */
  readonly minPartSize: number;
  /** Largest size of any part. */
  readonly maxPartSize: number;
  /** Most parts one upload may have; part numbers run 1…maxParts. */
  readonly maxParts: number;
  /**
   * Largest object a multipart upload may create. The planner also never plans more than
   * `maxParts × maxPartSize`, whichever is smaller (see {@link maxPlannableSize}).
   */
  readonly maxObjectSize: number;
  /**
   * Largest body a single PutObject accepts. Not used by the planner; here so that an uploader
   * that sends small objects with PutObject reads the limit from the same place.
   */
  readonly maxPutObjectSize: number;
}

/**
 * Limits of Alibaba Cloud OSS multipart upload (oss-protocol.md §5.1):
 *
 * | field | value |
 * |---|---|
 * | `minPartSize` | 100 KiB = 102,400 bytes (all parts but the last) |
 * | `maxPartSize` | 5 GiB = 5,368,709,120 bytes |
 * | `maxParts` | 10,000 |
 * | `maxObjectSize` | 10,000 × 5 GiB = 53,687,091,200,000 bytes (≈ 48.83 TiB) — UNVERIFIED |
 * | `maxPutObjectSize` | 5 GiB |
 *
 * Frozen; spread it to derive test limits: `{ ...OSS_LIMITS, maxParts: 10 }` (or pass just the
 * fields you change as `limits`).
 */
export const OSS_LIMITS: OssLimits = Object.freeze({
  minPartSize: 100 * KiB,
  maxPartSize: 5 * GiB,
  maxParts: 10_000,
  // UNVERIFIED (oss-protocol.md §5.1 / §9): OSS documents "48.8 TB" for multipart objects,
  // without a byte count. 10,000 parts × 5 GiB = 53,687,091,200,000 bytes = 48.83 TiB, which
  // is exactly that figure rounded, so we take the product: it is the most the part limits can
  // hold anyway. If OSS turns out to cap lower, the server answers at Complete; lower this then.
  maxObjectSize: 10_000 * 5 * GiB,
  maxPutObjectSize: 5 * GiB,
});

const FIELDS = [
  'minPartSize',
  'maxPartSize',
  'maxParts',
  'maxObjectSize',
  'maxPutObjectSize',
] as const;

/**
 * Merges an override into {@link OSS_LIMITS} and checks the result: every field a positive
 * safe integer and `minPartSize ≤ maxPartSize`. Fields given as `undefined` keep the OSS value.
 * Every planner function calls this, so you only need it to validate limits up front (e.g. a
 * dev server checking its configuration at start-up).
 *
 * @throws TypeError if `limits` is not an object or a field is not a number.
 * @throws RangeError if a field is not a positive safe integer or `minPartSize > maxPartSize`.
 */
export function resolveLimits(limits?: Partial<OssLimits>): OssLimits {
  if (limits === undefined) return OSS_LIMITS;
  if (typeof limits !== 'object' || limits === null) {
    throw new TypeError(
      `limits must be an object like { maxParts: 10 }, got ${describeValue(limits)}.`,
    );
  }
  const merged: Record<(typeof FIELDS)[number], number> = { ...OSS_LIMITS };
  for (const field of FIELDS) {
    const value: unknown = limits[field];
    if (value === undefined) continue;
    if (typeof value !== 'number') {
      throw new TypeError(`limits.${field} must be a number, got ${describeValue(value)}.`);
    }
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(
        `limits.${field} must be a whole number of at least 1, got ${value}; ` +
          `omit it to use the OSS value ${OSS_LIMITS[field]}.`,
      );
    }
    merged[field] = value;
  }
  if (merged.minPartSize > merged.maxPartSize) {
    throw new RangeError(
      `limits.minPartSize (${merged.minPartSize}) is larger than limits.maxPartSize ` +
        `(${merged.maxPartSize}); no part size could satisfy both. Lower minPartSize or raise maxPartSize.`,
    );
  }
  return Object.freeze(merged);
}

/**
 * The largest object size the planner accepts under `limits`:
 * `min(maxObjectSize, maxParts × maxPartSize)`. Anything larger makes {@link choosePartSize}
 * and {@link planParts} throw {@link ObjectTooLargeError}. With {@link OSS_LIMITS} it is
 * 53,687,091,200,000 bytes.
 */
export function maxPlannableSize(limits?: Partial<OssLimits>): number {
  const l = resolveLimits(limits);
  return Math.min(l.maxObjectSize, l.maxParts * l.maxPartSize, Number.MAX_SAFE_INTEGER);
}
