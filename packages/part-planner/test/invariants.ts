// Shared checks for property tests: every rule a plan must obey, stated once. Violations are
// collected in plain code and asserted once, because a plan can hold 10,000 parts.
import { expect } from 'vitest';
import type { OssLimits, PartPlan } from '../src/index.ts';
import { partRange } from '../src/index.ts';

/** Every rule `plan` breaks for `size` under `limits` (empty when the plan is valid). */
export function planViolations(plan: PartPlan, size: number, limits: OssLimits): string[] {
  const v: string[] = [];
  if (plan.size !== size) v.push(`plan.size ${plan.size} ≠ ${size}`);
  if (plan.parts.length !== plan.partCount) v.push('parts.length ≠ partCount');
  if (plan.partCount < 1) v.push('no parts');
  if (plan.partCount > limits.maxParts) v.push(`partCount ${plan.partCount} > maxParts`);
  if (plan.partSize < limits.minPartSize) v.push('partSize < minPartSize');
  if (plan.partSize > limits.maxPartSize) v.push('partSize > maxPartSize');
  let next = 0;
  plan.parts.forEach((part, i) => {
    const at = `part ${i + 1}`;
    const last = i === plan.partCount - 1;
    if (part.partNumber !== i + 1) v.push(`${at}: partNumber ${part.partNumber}`);
    if (part.start !== next) v.push(`${at}: starts at ${part.start}, expected ${next}`);
    if (part.size !== part.end - part.start) v.push(`${at}: size ≠ end − start`);
    if (part.size > limits.maxPartSize) v.push(`${at}: above maxPartSize`);
    if (!last && part.size !== plan.partSize) v.push(`${at}: non-last part ≠ partSize`);
    if (!last && part.size < limits.minPartSize) v.push(`${at}: non-last part < minPartSize`);
    if (last && size > 0 && part.size < 1) v.push(`${at}: empty last part of a non-empty object`);
    next = part.end;
  });
  if (next !== size) v.push(`parts end at ${next}, not ${size}`);
  return v;
}

/** Asserts that `plan` is a valid OSS plan for `size` under `limits`. */
export function expectValidPlan(plan: PartPlan, size: number, limits: OssLimits): void {
  expect(planViolations(plan, size, limits)).toStrictEqual([]);
  // Spot-check the array-free accessor against the array (first, middle, last).
  for (const n of new Set([1, Math.ceil(plan.partCount / 2), plan.partCount])) {
    expect(partRange(plan, n)).toStrictEqual(plan.parts[n - 1]);
  }
}
