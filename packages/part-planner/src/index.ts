export type { FormatBytesOptions } from './byte-size.ts';
export { formatBytes, parseByteSize } from './byte-size.ts';
export type { ChoosePartSizeOptions } from './choose-part-size.ts';
export { choosePartSize, DEFAULT_PART_SIZE } from './choose-part-size.ts';
export type { ObjectTooLargeDetails } from './errors.ts';
export { InvalidByteSizeError, ObjectTooLargeError } from './errors.ts';
export type { OssLimits } from './limits.ts';
export { maxPlannableSize, OSS_LIMITS, resolveLimits } from './limits.ts';
export type { PartLayout, PartPlan, PartRange, PlanPartsOptions } from './plan-parts.ts';
export { partRange, planParts } from './plan-parts.ts';
export type {
  Crc64Value,
  KeptPart,
  KnownPart,
  ListedPart,
  PartConflict,
  PartConflictReason,
  PartReconciliation,
  ReconcilePartsOptions,
} from './reconcile-parts.ts';
export { reconcileParts } from './reconcile-parts.ts';
export type { PlanStreamPartsOptions, StreamCapacity, StreamPartPlan } from './stream-plan.ts';
export { assertStreamFits, checkStreamCapacity, planStreamParts } from './stream-plan.ts';
export { GiB, KiB, MiB, TiB } from './units.ts';
