/**
 * Checks that `value` is a byte count the planner can do exact integer arithmetic on.
 * `what` names the argument in the message (e.g. `size`, `partSize`).
 */
export function requireByteCount(what: string, value: unknown): number {
  if (typeof value !== 'number') {
    const hint =
      typeof value === 'bigint'
        ? ' Convert it with Number(); sizes up to Number.MAX_SAFE_INTEGER are supported.'
        : typeof value === 'string'
          ? ' Parse text such as "8MiB" with parseByteSize() first.'
          : '';
    throw new TypeError(`${what} must be a number of bytes, got ${describeValue(value)}.${hint}`);
  }
  if (Number.isNaN(value)) {
    throw new RangeError(`${what} is NaN; pass a whole number of bytes (0 or more).`);
  }
  if (!Number.isFinite(value)) {
    throw new RangeError(`${what} must be a finite number of bytes, got ${value}.`);
  }
  if (value < 0) {
    throw new RangeError(`${what} must not be negative, got ${value}; pass 0 or more bytes.`);
  }
  if (!Number.isInteger(value)) {
    throw new RangeError(
      `${what} must be a whole number of bytes, got ${value}; round it (e.g. Math.ceil) first.`,
    );
  }
  if (value > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(
      `${what} ${value} is above Number.MAX_SAFE_INTEGER (${Number.MAX_SAFE_INTEGER}), ` +
        'where byte offsets lose precision; no OSS object is that large.',
    );
  }
  return value;
}

/** Checks that an options argument is an object, naming the function in the message. */
export function requireOptions(fn: string, value: unknown, example: string): void {
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(
      `${fn} needs an options object like ${example}, got ${describeValue(value)}.`,
    );
  }
}

/** Short, safe description of an unexpected value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'bigint') return `${value}n (a bigint)`;
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `${String(value)} (${typeof value})`;
}
