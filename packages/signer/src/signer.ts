import { readClock } from './clock.ts';
import { type Credentials, type CredentialsProvider, checkCredentials } from './credentials.ts';
import { createSigningKeyCache } from './key-cache.ts';
import {
  createRefreshingCredentialsProvider,
  type RefreshingCredentialsProvider,
} from './refreshing-credentials.ts';
import type {
  Clock,
  PresignedRequest,
  SignableRequest,
  SignatureVersion,
  SignedRequest,
} from './types.ts';
import { presignV1, signV1 } from './v1-sign.ts';
import { normalizeRegion, presignV4, signV4 } from './v4-sign.ts';

/** Options of {@link createSigner}. */
export interface SignerOptions {
  /** Signature scheme. Default `'v4'`. */
  version?: SignatureVersion;
  /**
   * Region id, e.g. `cn-hangzhou` (an `oss-` prefix, as in endpoint names, is stripped).
   * Used in V4 scopes; for OSS on CloudBox, the CloudBox id. Required even for V1 so that
   * switching schemes is one option away.
   */
  region: string;
  /** Product in V4 scopes: `'oss'` (default) or `'oss-cloudbox'`. */
  product?: string;
  /** Fixed credentials. Give exactly one of `credentials` and `credentialsProvider`. */
  credentials?: Credentials;
  /**
   * Credentials source, e.g. STS. Wrapped with {@link createRefreshingCredentialsProvider}:
   * called once, then again only shortly before `expiration`, single-flight.
   */
  credentialsProvider?: CredentialsProvider;
  /** Clock. Default: the system clock. Inject one in tests or to correct a known skew. */
  now?: Clock;
  /** V4: headers to sign besides `content-type`, `content-md5` and `x-oss-*` (e.g. `host`). */
  additionalHeaders?: Iterable<string>;
  /** V1: extra query parameter names to sign as sub-resources. */
  subResources?: Iterable<string>;
  /** Refresh provider credentials this long before they expire. Default 5 minutes. */
  refreshBeforeMs?: number;
  /** Size of this signer's key cache. Default 16. */
  keyCacheSize?: number;
}

/** Per-call options of {@link Signer.sign}. */
export interface SignOptions {
  /** V4: more headers to sign, on top of the signer's `additionalHeaders`. */
  additionalHeaders?: Iterable<string>;
  /** Signing time. Default: the signer's clock. */
  date?: Date;
}

/** Per-call options of {@link Signer.presign}. */
export interface PresignOptions extends SignOptions {
  /**
   * Validity in seconds. Default 900 (15 minutes). V4 accepts 1..604800 (7 days);
   * V1 any positive integer.
   */
  expires?: number;
}

/** Signs requests with fixed settings; create one with {@link createSigner}. */
export interface Signer {
  /** Scheme this signer uses. */
  readonly version: SignatureVersion;
  /** Normalised region id. */
  readonly region: string;
  /** Product in V4 scopes. */
  readonly product: string;
  /**
   * Signs a request in the `Authorization` header. Send `result.headers` (it includes the
   * request's own headers) with the request.
   */
  sign(request: SignableRequest, options?: SignOptions): Promise<SignedRequest>;
  /**
   * Presigns a request; put `result.query` in a URL with {@link buildPresignedUrl}, and send
   * `result.headers` with it.
   */
  presign(request: SignableRequest, options?: PresignOptions): Promise<PresignedRequest>;
  /**
   * Drops cached provider credentials so the next request fetches new ones (e.g. after
   * `InvalidSecurityToken` or `InvalidAccessKeyId`). No effect with fixed credentials.
   */
  invalidateCredentials(): void;
}

/**
 * Creates a {@link Signer}: the standalone {@link signV4}/{@link signV1} and presign
 * functions bound to a scheme, a region, a credentials source, a clock and a private key
 * cache.
 *
 * @example
 * ```ts
 * const signer = createSigner({ region: 'cn-hangzhou', credentials: { accessKeyId, accessKeySecret } });
 * const { headers } = await signer.sign({ method: 'POST', bucket: 'b', key: 'big.bin', query: { uploads: '' } });
 * ```
 * @throws TypeError when neither or both of `credentials` and `credentialsProvider` are given.
 */
export function createSigner(options: SignerOptions): Signer {
  const version = options.version ?? 'v4';
  if (version !== 'v1' && version !== 'v4') {
    throw new TypeError(`Unknown signature version ${JSON.stringify(version)}; use 'v4' or 'v1'.`);
  }
  const region = normalizeRegion(options.region);
  const product = options.product ?? 'oss';
  const keyCache = createSigningKeyCache({ maxEntries: options.keyCacheSize ?? 16 });
  const additional = options.additionalHeaders ? [...options.additionalHeaders] : [];
  const subResources = options.subResources ? [...options.subResources] : undefined;

  let provider: RefreshingCredentialsProvider | undefined;
  let fixed: Credentials | undefined;
  if (options.credentials && options.credentialsProvider) {
    throw new TypeError('Give either credentials or credentialsProvider, not both.');
  } else if (options.credentials) {
    checkCredentials(options.credentials);
    fixed = options.credentials;
  } else if (options.credentialsProvider) {
    provider = createRefreshingCredentialsProvider(options.credentialsProvider, {
      ...(options.refreshBeforeMs === undefined
        ? {}
        : { refreshBeforeMs: options.refreshBeforeMs }),
      ...(options.now ? { now: options.now } : {}),
    });
  } else {
    throw new TypeError('createSigner needs credentials or a credentialsProvider.');
  }
  const credentials = async (): Promise<Credentials> => fixed ?? provider!();

  const common = async (call: SignOptions) => ({
    credentials: await credentials(),
    date: call.date ?? readClock(options.now),
    keyCache,
  });
  const mergedHeaders = (call: SignOptions): string[] =>
    call.additionalHeaders ? [...additional, ...call.additionalHeaders] : additional;

  return {
    version,
    region,
    product,
    async sign(request, call = {}) {
      const base = await common(call);
      return version === 'v4'
        ? signV4(request, {
            ...base,
            region,
            product,
            additionalHeaders: mergedHeaders(call),
          })
        : signV1(request, { ...base, ...(subResources ? { subResources } : {}) });
    },
    async presign(request, call = {}) {
      const base = await common(call);
      const expires = call.expires === undefined ? {} : { expires: call.expires };
      return version === 'v4'
        ? presignV4(request, {
            ...base,
            ...expires,
            region,
            product,
            additionalHeaders: mergedHeaders(call),
          })
        : presignV1(request, { ...base, ...expires, ...(subResources ? { subResources } : {}) });
    },
    invalidateCredentials() {
      provider?.invalidate();
    },
  };
}
