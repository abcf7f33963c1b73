import type { Clock } from './types.ts';

/** Reads a clock given as a function, a `Date` or epoch milliseconds; defaults to the system clock. */
export function readClock(now: Clock | Date | number | undefined): Date {
  const value = typeof now === 'function' ? now() : now;
  if (value === undefined) return new Date();
  const date = typeof value === 'number' ? new Date(value) : new Date(value.getTime());
  if (Number.isNaN(date.getTime())) {
    throw new RangeError('The injected clock returned an invalid date; return a Date or epoch ms.');
  }
  return date;
}
