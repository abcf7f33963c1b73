// The `@ossup/part-planner/plan` entry point: planning parts (sizes, ranges, limits, streams),
// without `reconcileParts`. The main entry re-exports all of these too; this one exists for
// bundles. A bundler keeps every module the main entry re-exports within reach of the code
// that imports it, so an app importing only `planParts` from `@ossup/part-planner` still pays
// for `reconcileParts` wherever other code of the same bundle uses it (`@ossup/client` does
// when resuming, which it loads on first use); importing from here it does not.

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
export type { PlanStreamPartsOptions, StreamCapacity, StreamPartPlan } from './stream-plan.ts';
export { assertStreamFits, checkStreamCapacity, planStreamParts } from './stream-plan.ts';
export { GiB, KiB, MiB, TiB } from './units.ts';
