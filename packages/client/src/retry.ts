import type { RetryOptions } from './client-options.ts';
import { OssArgumentError } from './errors.ts';

/** Retry settings with every default filled in. */
export interface RetryPolicy {
  /** Total attempts including the first. */
  attempts: number;
  /** Back-off base, ms. */
  baseDelayMs: number;
  /** Longest wait, ms. */
  maxDelayMs: number;
}

/** Defaults: 3 attempts, 200 ms base, 20 s cap. */
export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({
  attempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 20_000,
});

/**
 * Fills in and checks retry options; `false` means a single attempt.
 *
 * @throws OssArgumentError for a non-integer or negative value.
 */
export function resolveRetryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  if (options === false) return { ...DEFAULT_RETRY, attempts: 1 };
  const policy = { ...DEFAULT_RETRY, ...definedOnly(options ?? {}) };
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) {
    throw new OssArgumentError(
      'retry',
      `retry.attempts must be a whole number >= 1, got ${String(policy.attempts)}.`,
    );
  }
  for (const name of ['baseDelayMs', 'maxDelayMs'] as const) {
    if (!Number.isFinite(policy[name]) || policy[name] < 0) {
      throw new OssArgumentError(
        'retry',
        `retry.${name} must be a number >= 0, got ${String(policy[name])}.`,
      );
    }
  }
  return policy;
}

function definedOnly(options: RetryOptions): Partial<RetryPolicy> {
  const out: Partial<RetryPolicy> = {};
  if (options.attempts !== undefined) out.attempts = options.attempts;
  if (options.baseDelayMs !== undefined) out.baseDelayMs = options.baseDelayMs;
  if (options.maxDelayMs !== undefined) out.maxDelayMs = options.maxDelayMs;
  return out;
}

/**
 * Wait before attempt `failedAttempt + 1`: full jitter over an exponential window,
 * `random() * min(maxDelayMs, baseDelayMs * 2^(failedAttempt-1))`; a server `Retry-After`
 * longer than that wins, capped at `maxDelayMs` too so a hostile header cannot stall the
 * upload for hours.
 */
export function backoffDelay(
  policy: RetryPolicy,
  failedAttempt: number,
  random: () => number,
  retryAfterMs?: number,
): number {
  const window = Math.min(
    policy.maxDelayMs,
    policy.baseDelayMs * 2 ** Math.max(0, failedAttempt - 1),
  );
  const jittered = Math.floor(window * Math.min(Math.max(random(), 0), 1));
  if (retryAfterMs !== undefined && retryAfterMs > jittered)
    return Math.min(retryAfterMs, policy.maxDelayMs);
  return jittered;
}

/**
 * Reads a `Retry-After` header: delay-seconds (`"3"`) or an HTTP date. Returns ms from
 * `nowMs`, never negative; `undefined` when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number,
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * Sleeps `ms`, or rejects with the signal's reason as soon as it aborts (a cancelled
 * upload does not sit out a 20-second back-off).
 */
export function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
