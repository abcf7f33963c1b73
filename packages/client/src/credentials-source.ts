import type { Credentials, CredentialsProvider } from '@ossup/signer';
import { OssArgumentError, OssError } from './errors.ts';

/** Options of {@link createCredentialsSource}. */
export interface CredentialsSourceOptions {
  /** Fixed credentials. */
  credentials?: Credentials | undefined;
  /** Provider of (usually temporary) credentials. */
  provider?: CredentialsProvider | undefined;
  /** Refresh this long before `expiration`. Default 300000 (5 min). */
  refreshMarginMs?: number | undefined;
  /** Clock, ms since the epoch. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/**
 * Hands out credentials for signing. With a provider: cached until `refreshMarginMs` before
 * `expiration`, refreshed single-flight (many parts in flight → one provider call). Within the
 * margin the cached credentials keep signing while a refresh runs in the background (at most
 * one every 10 s), so a slow or failing provider costs nothing until they actually expire.
 */
export interface CredentialsSource {
  /** Current credentials, refreshing first when they are missing or about to expire. */
  get(): Promise<Credentials>;
  /**
   * Drops `stale` (the credentials a rejected request was signed with) so the next `get()`
   * refreshes. A no-op when the cache already holds newer credentials: requests that were
   * in flight with the old token must not throw away the fresh one. Returns whether a
   * refresh is possible at all (`false` with fixed credentials).
   */
  invalidate(stale: Credentials): boolean;
}

/**
 * Builds a {@link CredentialsSource} from fixed credentials or a provider.
 *
 * @throws OssArgumentError when neither or both are given, or fixed credentials lack a field.
 */
export function createCredentialsSource(options: CredentialsSourceOptions): CredentialsSource {
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginMs ?? 5 * 60_000;
  if (options.credentials !== undefined && options.provider !== undefined) {
    throw new OssArgumentError(
      'credentials',
      'Give either credentials or credentialsProvider, not both: a provider is for credentials that change (STS).',
    );
  }
  if (options.credentials !== undefined) {
    const fixed = options.credentials;
    checkCredentials(fixed, 'credentials');
    return {
      get: async () => fixed,
      invalidate: () => false,
    };
  }
  const provider = options.provider;
  if (typeof provider !== 'function') {
    throw new OssArgumentError(
      'credentials',
      'No credentials: pass credentials: { accessKeyId, accessKeySecret }, a credentialsProvider (STS), or a signer (remote signing).',
    );
  }

  let cached: Credentials | undefined;
  let inFlight: Promise<Credentials> | undefined;
  let lastRefreshAt = Number.NEGATIVE_INFINITY;

  const expiresIn = (c: Credentials): number =>
    c.expiration === undefined ? Number.POSITIVE_INFINITY : c.expiration.getTime() - now();

  const refresh = (): Promise<Credentials> => {
    // A provider call that has not answered for long is given up on (its late answer is still
    // taken): one hung call must not hold every later request of the client for good.
    if (inFlight !== undefined && now() - lastRefreshAt < HUNG_REFRESH_MS) return inFlight;
    lastRefreshAt = now();
    // Deferred by a microtask so `finally` can never run before `inFlight` is assigned,
    // even when the provider throws synchronously.
    const attempt = Promise.resolve().then(async () => {
      try {
        let next: Credentials;
        try {
          next = await provider();
        } catch (cause) {
          throw new OssError(
            `The credentials provider failed: ${cause instanceof Error ? cause.message : String(cause)}. Check the STS endpoint or the provider function.`,
            { cause },
          );
        }
        checkCredentials(next, 'credentialsProvider result');
        // A provider that hands out its own cached token may answer with one that expires
        // sooner than what we hold: keep the longer-lived.
        if (cached === undefined || expiresIn(next) >= expiresIn(cached)) cached = next;
        return next;
      } finally {
        if (inFlight === attempt) inFlight = undefined;
      }
    });
    inFlight = attempt;
    return attempt;
  };

  return {
    async get() {
      const current = cached;
      if (current === undefined) return refresh();
      const left = expiresIn(current);
      if (left > margin) return current;
      if (left > VALID_SLACK_MS) {
        // Inside the margin but still good: refresh ahead without making this request wait.
        // A provider that keeps answering with tokens this close to expiry is asked again at
        // most every MIN_REFRESH_INTERVAL_MS, not once per request; a failure is tried again
        // then, and only surfaces once the credentials really expire.
        if (now() - lastRefreshAt >= MIN_REFRESH_INTERVAL_MS) refresh().catch(() => {});
        return current;
      }
      return refresh();
    },
    invalidate(stale) {
      if (cached === stale) cached = undefined;
      return true;
    },
  };
}

// Credentials with less than this left are not used to sign: the request must reach OSS
// before they expire.
const VALID_SLACK_MS = 15_000;
const MIN_REFRESH_INTERVAL_MS = 10_000;
const HUNG_REFRESH_MS = 30_000;

function checkCredentials(credentials: Credentials, where: string): void {
  if (typeof credentials !== 'object' || credentials === null) {
    throw new OssArgumentError(
      'credentials',
      `${where} must be an object { accessKeyId, accessKeySecret }.`,
    );
  }
  if (typeof credentials.accessKeyId !== 'string' || credentials.accessKeyId === '') {
    throw new OssArgumentError('credentials', `${where}.accessKeyId must be a non-empty string.`);
  }
  if (typeof credentials.accessKeySecret !== 'string' || credentials.accessKeySecret === '') {
    throw new OssArgumentError(
      'credentials',
      `${where}.accessKeySecret must be a non-empty string.`,
    );
  }
  if (
    credentials.expiration !== undefined &&
    !(credentials.expiration instanceof Date && !Number.isNaN(credentials.expiration.getTime()))
  ) {
    throw new OssArgumentError('credentials', `${where}.expiration must be a valid Date when set.`);
  }
}
