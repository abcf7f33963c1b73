import { readClock } from './clock.ts';
import { type Credentials, type CredentialsProvider, checkCredentials } from './credentials.ts';
import type { Clock } from './types.ts';

/** Options of {@link createRefreshingCredentialsProvider}. */
export interface RefreshingCredentialsOptions {
  /**
   * Refresh this long before `expiration`, so that a request signed just before expiry
   * still reaches OSS in time. Default 5 minutes.
   */
  refreshBeforeMs?: number;
  /** Clock used to judge expiry. Default: the system clock. */
  now?: Clock;
}

/** A {@link CredentialsProvider} with a cache that can be dropped. */
export interface RefreshingCredentialsProvider extends CredentialsProvider {
  /**
   * Forget the cached credentials so that the next call asks the underlying provider again
   * (e.g. after the server answered `InvalidSecurityToken`).
   */
  invalidate(): void;
}

/**
 * Wraps a provider with a cache and single-flight refresh: many requests in flight trigger
 * one call of `provider`, not many. Credentials are reused until `refreshBeforeMs` before
 * their `expiration`; credentials without `expiration` are treated as long-lived and fetched
 * once (call `invalidate()` to rotate them). When a refresh fails while the cached
 * credentials have not yet expired, the cached ones are returned; otherwise the provider's
 * error propagates, and the next call tries again.
 *
 * `createSigner` applies this to its `credentialsProvider` automatically.
 */
export function createRefreshingCredentialsProvider(
  provider: CredentialsProvider,
  options: RefreshingCredentialsOptions = {},
): RefreshingCredentialsProvider {
  const refreshBeforeMs = options.refreshBeforeMs ?? 5 * 60_000;
  let cached: Credentials | undefined;
  let inFlight: Promise<Credentials> | undefined;

  const fresh = (credentials: Credentials, nowMs: number): boolean =>
    credentials.expiration === undefined ||
    credentials.expiration.getTime() - refreshBeforeMs > nowMs;

  const refresh = (): Promise<Credentials> => {
    if (inFlight) return inFlight;
    // Deferred by one microtask so that `finally` never runs before `inFlight` is assigned,
    // even when `provider` throws synchronously.
    const attempt = Promise.resolve().then(async () => {
      try {
        const next = await provider();
        checkCredentials(next);
        cached = next;
        return next;
      } catch (error) {
        const previous = cached;
        if (
          previous !== undefined &&
          (previous.expiration === undefined ||
            previous.expiration.getTime() > readClock(options.now).getTime())
        ) {
          return previous;
        }
        throw error;
      } finally {
        inFlight = undefined;
      }
    });
    inFlight = attempt;
    return attempt;
  };

  const get = (async () => {
    const current = cached;
    if (current !== undefined && fresh(current, readClock(options.now).getTime())) return current;
    return refresh();
  }) as RefreshingCredentialsProvider;
  get.invalidate = () => {
    cached = undefined;
  };
  return get;
}
