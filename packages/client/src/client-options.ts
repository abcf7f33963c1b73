import type { Credentials, CredentialsProvider } from '@ossup/signer';
import type { BodyHasher } from './body-hasher.ts';
import type { OssError } from './errors.ts';
import type { Transport } from './transport.ts';

/**
 * The request a {@link RemoteSigner} is asked to sign: a plain description that the
 * backend can pass straight to `@ossup/signer`'s `createSigner(...).sign()` (same shape as
 * its `SignableRequest`), plus the scheme settings the client uses.
 */
export interface RemoteSignRequest {
  /** HTTP method, upper case. */
  method: string;
  /** Bucket name. */
  bucket: string | undefined;
  /** Raw (decoded) object key; `undefined` for bucket-level requests. */
  key: string | undefined;
  /** Query parameters as raw `[name, value]` pairs; `''` is a bare parameter (`?uploads`). */
  query: Array<[string, string]>;
  /** Headers the request will send, names lower-cased (includes `content-type`). */
  headers: Record<string, string>;
  /** Scheme the client expects. */
  signatureVersion: 'v1' | 'v4';
  /** V4 region id. */
  region: string;
  /** V4 product (`oss`). */
  product: string;
  /** Operation name, for the backend's authorisation decision (`UploadPart`, ...). */
  operation: string;
}

/**
 * Signs on behalf of the client, typically by calling the page's own backend, so a browser
 * never holds an AccessKey. It receives the request description and resolves with the
 * headers to add: at least `authorization` and `x-oss-date`, plus `x-oss-content-sha256`
 * (V4) and `x-oss-security-token` (STS) when the backend's signer produced them. Returning
 * `SignedRequest.headers` from `@ossup/signer` as is works. The backend should check the
 * bucket, key and operation before signing.
 */
export type RemoteSigner = (request: RemoteSignRequest) => Promise<{
  /** Headers to add to the request (`authorization`, `x-oss-date`...), names in any case. */
  headers: Record<string, string>;
}>;

/**
 * Retry policy for one request (every operation call). Defaults: 3 attempts, 200 ms base
 * delay, 20 s cap, full jitter: attempt n waits `random(0, min(cap, base * 2^(n-1)))`, or the
 * server's `Retry-After` when longer (still capped).
 */
export interface RetryOptions {
  /** Total attempts including the first, >= 1. Default 3. */
  attempts?: number;
  /** Base of the exponential back-off, ms. Default 200. */
  baseDelayMs?: number;
  /** Longest single wait, ms. Default 20000. */
  maxDelayMs?: number;
}

/** What {@link ClientOptions.onRetry} receives. Contains no secret. */
export interface RetryInfo {
  /** Operation name, e.g. `UploadPart`. */
  operation: string;
  /** The attempt that failed, 1-based. */
  attempt: number;
  /** Wait before the next attempt, ms. */
  delayMs: number;
  /** Why the attempt failed. */
  error: OssError;
}

/** What {@link ClientOptions.onResponse} receives: one per HTTP response. No secret. */
export interface ResponseInfo {
  /** Operation name. */
  operation: string;
  /** HTTP method. */
  method: string;
  /** Request URL without signature or token parameters. */
  url: string;
  /** HTTP status. */
  status: number;
  /** `x-oss-request-id`. */
  requestId: string | undefined;
  /** Attempt number, 1-based. */
  attempt: number;
}

/**
 * Per-attempt timeouts, ms. One attempt fails with {@link OssTimeoutError} (and is retried)
 * when the response headers have not arrived `requestMs` after the request started
 * (this covers connecting, sending the body and the server's processing), or when a
 * response body being read by the client delivers no data for `requestMs` (a stall, not a
 * total time: a slow but steady download never times out). Bodies handed to the caller
 * (GetObject) are not timed.
 */
export interface TimeoutOptions {
  /** Default 60000 (60 s), enough for a 64 MiB part on a slow link. 0 disables. */
  requestMs?: number;
}

/** Options of {@link createClient}. */
export interface ClientOptions {
  /**
   * Endpoint: `https://oss-cn-hangzhou.aliyuncs.com`, a bare host (https is assumed), a
   * CNAME domain (with `cname: true`) or a local server such as `http://127.0.0.1:9000`.
   */
  endpoint: string;
  /**
   * Region id (`cn-hangzhou`; an `oss-` prefix is accepted). Needed for V4 signing; when
   * omitted it is taken from a standard endpoint name (`oss-<region>.aliyuncs.com`).
   */
  region?: string;
  /** Fixed credentials. Give exactly one of `credentials`, `credentialsProvider`, `signer`. */
  credentials?: Credentials;
  /**
   * Credentials source (STS). Called once, then again `refreshMarginMs` before
   * `expiration`; concurrent requests share one call. Until the credentials expire, requests
   * keep signing with them while the refresh runs (a failed refresh is tried again at most
   * every 10 s); once they have expired, requests wait for the provider, and its failure
   * fails them (retry inside the provider if its backend is flaky). A request rejected for
   * stale credentials (InvalidAccessKeyId, SecurityTokenExpired, InvalidSecurityToken...)
   * forces a refresh and is re-signed and retried once. Expiry is judged by the clock as
   * corrected after a RequestTimeTooSkewed answer.
   */
  credentialsProvider?: CredentialsProvider;
  /** Remote signing (browsers without credentials); see {@link RemoteSigner}. */
  signer?: RemoteSigner;
  /** Signature scheme. Default `'v4'`. */
  signatureVersion?: 'v1' | 'v4';
  /**
   * Address the bucket in the path (`endpoint/bucket/key`). Default: `true` for IP and
   * `localhost` endpoints (the dev server), else `false` (virtual-hosted, as OSS requires).
   */
  pathStyle?: boolean;
  /** The endpoint is a custom domain bound to one bucket. Default `false`. */
  cname?: boolean;
  /** HTTP transport. Default {@link fetchTransport}(). */
  transport?: Transport;
  /**
   * How `upload()` computes the CRC-64 and MD5 of parts. Default {@link inlineHasher}() (on
   * the calling thread); `createNodeClient` from `@ossup/node` uses worker threads.
   */
  hasher?: BodyHasher;
  /** Retry policy, or `false` for a single attempt. See {@link RetryOptions}. */
  retry?: RetryOptions | false;
  /** Per-attempt timeout in ms, or {@link TimeoutOptions}. Default 60000. */
  timeout?: number | TimeoutOptions;
  /**
   * `User-Agent` to send where the runtime allows (not in browsers). Default
   * `ossup/<version>`; browsers ignore it.
   */
  userAgent?: string;
  /** V4 product. Default `'oss'` (`'oss-cloudbox'` for CloudBox). */
  product?: string;
  /** Refresh provider credentials this long before `expiration`. Default 300000 (5 min). */
  refreshMarginMs?: number;
  /** Called before each retry wait (for logs and metrics). */
  onRetry?: (info: RetryInfo) => void;
  /** Called for every HTTP response (success or error), e.g. to log request ids. */
  onResponse?: (info: ResponseInfo) => void;
  /**
   * Clock, ms since the epoch. Default `Date.now`. The client adds the offset learnt from
   * a RequestTimeTooSkewed answer on top of it.
   */
  now?: () => number;
  /** Waits between retries. Default a timer; tests inject an instant one. */
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  /** Random source in [0, 1) for the back-off jitter. Default `Math.random`. */
  random?: () => number;
}

/** The package version sent in the default User-Agent. */
export const CLIENT_VERSION = '0.0.0';
