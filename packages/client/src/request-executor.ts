import {
  type Credentials,
  createSigningKeyCache,
  type SigningKeyCache,
  signV4,
} from '@ossup/signer/v4';
import { buildRequestUrl, type ResolvedEndpoint } from './addressing.ts';
import type { RemoteSigner, ResponseInfo, RetryInfo } from './client-options.ts';
import type { CredentialsSource } from './credentials-source.ts';
import type { ErrorResponse, ErrorResponseContext } from './error-mapping.ts';
import {
  describeTarget,
  OssError,
  OssIntegrityError,
  OssNetworkError,
  OssServiceError,
  OssTimeoutError,
  redactUrl,
} from './errors.ts';
import { loadOnDemand, type OnDemand } from './load-on-demand.ts';
import type { ReplayableBody } from './replayable-body.ts';
import { abortableSleep, backoffDelay, parseRetryAfter, type RetryPolicy } from './retry.ts';
import type { Transport } from './transport.ts';

/** Everything the executor needs; built once by `createClient`. */
export interface ExecutorConfig {
  endpoint: ResolvedEndpoint;
  region: string;
  product: string;
  signatureVersion: 'v1' | 'v4';
  credentials?: CredentialsSource | undefined;
  remoteSigner?: RemoteSigner | undefined;
  transport: Transport;
  retry: RetryPolicy;
  /** Per-attempt timeout (headers, and stalls while reading a body), ms; 0 = none. */
  timeoutMs: number;
  userAgent?: string | undefined;
  onRetry?: ((info: RetryInfo) => void) | undefined;
  onResponse?: ((info: ResponseInfo) => void) | undefined;
  now: () => number;
  sleep?: ((ms: number, signal: AbortSignal | undefined) => Promise<void>) | undefined;
  random: () => number;
}

/** How the executor treats a successful response body. */
export type ResponseBodyMode = 'text' | 'stream' | 'discard';

/** One operation call, described independently of signing and addressing. */
export interface OperationRequest {
  operation: string;
  method: string;
  bucket?: string | undefined;
  key?: string | undefined;
  /** Raw query pairs, wire order; `''` = bare parameter. */
  query?: Array<[string, string]>;
  /** Header names lower-cased; `undefined` values are dropped. */
  headers?: Record<string, string | undefined>;
  /** A {@link ReplayableBody} is produced again for every attempt. */
  body?: Uint8Array | ReplayableBody | undefined;
  signal?: AbortSignal | undefined;
  onUploadProgress?: ((sentBytes: number) => void) | undefined;
  /** Default `'text'`. */
  responseBody?: ResponseBodyMode;
  /** Called at the start of each attempt (1-based). */
  onAttempt?: (attempt: number) => void;
}

/** A successful (2xx) response. */
export interface OperationResponse {
  status: number;
  headers: Headers;
  /** Body text (`'text'` mode), else `''`. */
  text: string;
  /** Body stream (`'stream'` mode). */
  body: ReadableStream<Uint8Array> | undefined;
  requestId: string | undefined;
  /** Request URL, redacted. */
  url: string;
}

/** A request to presign. */
export interface PresignRequest {
  method: string;
  bucket: string;
  key?: string | undefined;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  expires: number;
}

/** Sends operations: signs, addresses, times out, retries, maps errors. */
export interface RequestExecutor {
  send(request: OperationRequest): Promise<OperationResponse>;
  presign(
    request: PresignRequest,
  ): Promise<{ url: string; headers: Record<string, string>; expiresAt: Date }>;
  /** Offset added to the local clock after a RequestTimeTooSkewed answer, ms. */
  clockOffsetMs(): number;
}

const MAX_TEXT_BYTES = 20 * 1024 * 1024;
const MAX_ERROR_BYTES = 1024 * 1024;
// Browsers (pages and workers) either ignore a User-Agent header or, in Firefox, add it to
// the CORS preflight, which OSS CORS rules rarely allow: send it only outside browsers.
// Node, Deno and Bun report "Node.js/…", "Deno/…", "Bun/…"; browsers "Mozilla/5.0 …".
const IS_BROWSER =
  typeof (globalThis as { document?: unknown }).document !== 'undefined' ||
  /^Mozilla\//.test(
    (globalThis as { navigator?: { userAgent?: unknown } }).navigator?.userAgent?.toString() ?? '',
  );

class TimeoutSignal extends Error {}

/** Creates the executor behind every client method. */
export function createRequestExecutor(config: ExecutorConfig): RequestExecutor {
  let offsetMs = 0;
  const keyCache: SigningKeyCache = createSigningKeyCache({ maxEntries: 8 });
  const sleep = config.sleep ?? abortableSleep;
  const signingDate = () => new Date(config.now() + offsetMs);

  async function sign(
    request: OperationRequest,
    query: Array<[string, string]>,
    headers: Record<string, string>,
  ): Promise<{ headers: Record<string, string>; credentials: Credentials | undefined }> {
    if (config.remoteSigner !== undefined) {
      let added: Record<string, string>;
      try {
        const result = await config.remoteSigner({
          method: request.method,
          bucket: request.bucket,
          key: request.key,
          query: query.map(([n, v]) => [n, v]),
          headers: { ...headers },
          signatureVersion: config.signatureVersion,
          region: config.region,
          product: config.product,
          operation: request.operation,
        });
        added = result.headers;
      } catch (cause) {
        throw new OssError(
          `The remote signer failed for ${request.operation}: ${cause instanceof Error ? cause.message : String(cause)}. Check the signing endpoint of your backend.`,
          { operation: request.operation, bucket: request.bucket, key: request.key, cause },
        );
      }
      const merged = { ...headers };
      for (const [name, value] of Object.entries(added ?? {})) merged[name.toLowerCase()] = value;
      return { headers: merged, credentials: undefined };
    }
    const credentials = await config.credentials!.get();
    const signable = {
      method: request.method,
      bucket: request.bucket,
      key: request.key,
      query,
      headers,
    };
    const date = signingDate();
    if (config.signatureVersion !== 'v4') {
      // V1 (`signatureVersion: 'v1'`) is the exception: its code loads on first use.
      const { signV1 } = await loadOnDemand();
      const signed = await signV1(signable, { credentials, date, keyCache });
      return { headers: signed.headers, credentials };
    }
    const signed = await signV4(signable, {
      credentials,
      date,
      region: config.region,
      product: config.product,
      keyCache,
    });
    return { headers: signed.headers, credentials };
  }

  async function attemptOnce(
    request: OperationRequest,
    url: string,
    headers: Record<string, string>,
    attempt: number,
    seen: { date?: string | null },
  ): Promise<OperationResponse> {
    const context: ErrorResponseContext = {
      operation: request.operation,
      bucket: request.bucket,
      key: request.key,
      method: request.method,
      url,
    };
    const userSignal = request.signal;
    const controller = new AbortController();
    const forwardAbort = () => controller.abort(userSignal?.reason);
    userSignal?.addEventListener('abort', forwardAbort, { once: true });
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      if (timer !== undefined) clearTimeout(timer);
      if (config.timeoutMs > 0) {
        timer = setTimeout(() => {
          timedOut = true;
          controller.abort(new TimeoutSignal('timeout'));
        }, config.timeoutMs);
      }
    };
    const disarm = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    };
    const failure = (cause: unknown, while_: string): unknown => {
      if (userSignal?.aborted) return userSignal.reason;
      if (timedOut) {
        return new OssTimeoutError(
          `${request.operation}${describeTarget(request)} timed out: no ${while_ === 'sending' ? 'response' : 'data'} for ${config.timeoutMs} ms while ${while_}. ` +
            'The network or OSS is slow; the request is retried, and the timeout option can be raised.',
          config.timeoutMs,
          { ...context, cause },
        );
      }
      if (cause instanceof OssError) return cause;
      return new OssNetworkError(
        `${request.operation}${describeTarget(request)}: ${request.method} to ${hostOf(url)} failed while ${while_} (${networkReason(cause)}). ` +
          'Check the endpoint and the network connection; the request is retried.',
        { ...context, cause },
      );
    };

    let keepListener = false;
    // Progress reported after the attempt ended (an early error answer while the transport
    // still flushes queued bytes, a failure) is dropped: a producer that reuses memory once
    // bytes are reported must only hear about the attempt it is producing for.
    let live = true;
    try {
      let response: Response;
      // A replayable body is produced anew for each attempt: streamed where the transport
      // can, else gathered into one array. Its own failures (a file that changed, a read
      // error) end the call as they are: they are not network errors, and a retry would not
      // mend them.
      let bodyFailure: { error: unknown } | undefined;
      let body: Uint8Array | ReadableStream<Uint8Array> | undefined;
      let bodyHeaders = headers;
      if (request.body === undefined || request.body instanceof Uint8Array) {
        body =
          request.body ??
          (request.method === 'PUT' || request.method === 'POST' ? new Uint8Array(0) : undefined);
      } else if (config.transport.streamsBodies === true) {
        // Loaded on first use (see on-demand.ts): only file uploads from Node stream bodies.
        const { watchBody } = await loadOnDemand();
        body = watchBody(request.body, (error) => {
          bodyFailure ??= { error };
        });
        bodyHeaders = { ...headers, 'content-length': String(request.body.size) };
      } else {
        body = await (await loadOnDemand()).gatherBody(request.body);
      }
      // The timeout measures the network, so it starts now: reading a body to send (a slow
      // disk, a large Blob) is not waiting for OSS, and must not use up the attempt.
      arm();
      try {
        response = await config.transport(
          {
            method: request.method,
            url,
            headers: bodyHeaders,
            ...(body === undefined ? {} : { body }),
          },
          {
            signal: controller.signal,
            onUploadProgress: (sent: number) => {
              if (!live) return;
              // Body progress proves the connection is alive: the timeout becomes a stall timeout.
              arm();
              request.onUploadProgress?.(sent);
            },
          },
        );
      } catch (cause) {
        if (bodyFailure !== undefined && !userSignal?.aborted) throw bodyFailure.error;
        throw failure(cause, 'sending');
      }
      // Headers arrived: from here the timer measures body stalls.
      arm();
      seen.date = response.headers.get('date');
      const requestId = response.headers.get('x-oss-request-id') ?? undefined;
      config.onResponse?.({
        operation: request.operation,
        method: request.method,
        url: redactUrl(url),
        status: response.status,
        requestId,
        attempt,
      });
      const ok = response.status >= 200 && response.status < 300;
      if (!ok) {
        let text = '';
        try {
          text = await readText(response, MAX_ERROR_BYTES, arm);
        } catch {
          // An unreadable error body still leaves status and headers to report.
          if (userSignal?.aborted) throw userSignal.reason;
        }
        throw await serviceError(
          {
            status: response.status,
            statusText: response.statusText,
            headers: response.headers,
            body: text,
          },
          context,
          config.now() + offsetMs,
        );
      }
      const mode = request.responseBody ?? 'text';
      if (mode === 'stream') {
        disarm();
        // The caller's abort must still cancel the body while it is read; the listener goes
        // once the body is done with.
        keepListener = true;
        const { untilSettled } = await loadOnDemand();
        const body = untilSettled(response.body ?? emptyStream(), () =>
          userSignal?.removeEventListener('abort', forwardAbort),
        );
        return {
          status: response.status,
          headers: response.headers,
          text: '',
          body,
          requestId,
          url: redactUrl(url),
        };
      }
      let text = '';
      try {
        if (mode === 'text') text = await readText(response, MAX_TEXT_BYTES, arm);
        else await drain(response, arm);
      } catch (cause) {
        throw failure(cause, 'reading the response');
      }
      return {
        status: response.status,
        headers: response.headers,
        text,
        body: undefined,
        requestId,
        url: redactUrl(url),
      };
    } finally {
      live = false;
      disarm();
      if (!keepListener) userSignal?.removeEventListener('abort', forwardAbort);
    }
  }

  function learnClockOffset(
    error: OssServiceError,
    responseDate: string | null | undefined,
  ): boolean {
    const serverTime = error.details['ServerTime'];
    const serverMs =
      serverTime !== undefined
        ? Date.parse(serverTime)
        : responseDate
          ? Date.parse(responseDate)
          : Number.NaN;
    if (Number.isNaN(serverMs)) return false;
    offsetMs = serverMs - config.now();
    return true;
  }

  return {
    clockOffsetMs: () => offsetMs,

    async send(request) {
      const query = request.query ?? [];
      const baseHeaders: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers ?? {})) {
        if (value !== undefined) baseHeaders[name.toLowerCase()] = value;
      }
      if (request.body !== undefined && baseHeaders['content-type'] === undefined) {
        // Set before signing: fetch would otherwise pick a type the signature does not cover.
        baseHeaders['content-type'] = 'application/octet-stream';
      }
      if (config.userAgent !== undefined && !IS_BROWSER)
        baseHeaders['user-agent'] = config.userAgent;
      const url = buildRequestUrl(config.endpoint, request.bucket, request.key, query);

      let attempt = 0;
      let refreshedCredentials = false;
      for (;;) {
        attempt += 1;
        if (request.signal?.aborted) throw request.signal.reason;
        request.onAttempt?.(attempt);
        const seen: { date?: string | null } = {};
        let used: Credentials | undefined;
        let error: OssError;
        try {
          const signed = await bounded(
            sign(request, query, baseHeaders),
            request,
            config.timeoutMs,
          );
          used = signed.credentials;
          await checkHeaderValues(request, signed.headers);
          return await attemptOnce(request, url, signed.headers, attempt, seen);
        } catch (caught) {
          if (request.signal?.aborted) throw request.signal.reason;
          if (!(caught instanceof OssError)) throw caught;
          error = caught;
        }
        if (
          error instanceof OssServiceError &&
          error.credentialsExpired &&
          !refreshedCredentials &&
          used !== undefined &&
          config.credentials?.invalidate(used) === true
        ) {
          // Stale STS token: re-sign with fresh credentials; this extra attempt is free.
          refreshedCredentials = true;
          attempt -= 1;
          continue;
        }
        let skew = false;
        if (error instanceof OssServiceError && error.code === 'RequestTimeTooSkewed') {
          if (config.remoteSigner !== undefined || !learnClockOffset(error, seen.date)) throw error;
          skew = true;
        }
        if (!isRetryable(error) || attempt >= config.retry.attempts) throw error;
        const retryAfter = error instanceof OssServiceError ? error.retryAfterMs : undefined;
        const delayMs = skew ? 0 : backoffDelay(config.retry, attempt, config.random, retryAfter);
        config.onRetry?.({ operation: request.operation, attempt, delayMs, error });
        await sleep(delayMs, request.signal);
      }
    },

    async presign(request) {
      // Presigning is rare next to sending: its code (and V1's) loads on first use.
      const { presignRequest } = await loadOnDemand();
      return presignRequest({ config, keyCache, signingDate }, request);
    },
  };
}

/**
 * The error for an error answer. Reading its body (XML) is code loaded on first use (see
 * on-demand.ts). Should that load fail, as in a browser that cannot fetch the chunk any more
 * after the app was redeployed, the error still has the status and headers, which are what
 * retrying is decided on, and says why the details are missing.
 */
async function serviceError(
  response: ErrorResponse,
  context: ErrorResponseContext,
  nowMs: number,
): Promise<OssServiceError> {
  let mapping: OnDemand;
  try {
    mapping = await loadOnDemand();
  } catch (cause) {
    return new OssServiceError(
      {
        ...context,
        status: response.status,
        code: '',
        serviceMessage: `the error body was not read: the client code that reads it did not load (${networkReason(cause)})`,
        requestId: response.headers.get('x-oss-request-id') ?? undefined,
        ec: response.headers.get('x-oss-ec') ?? undefined,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), nowMs),
      },
      { cause },
    );
  }
  return mapping.serviceErrorFromResponse(response, context, nowMs);
}

// What an HTTP header value may hold (RFC 9110 field-value; what fetch and node:http accept).
const BAD_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Refuses a header value the transport would refuse: fetch and node:http throw a TypeError
 * before sending, which would otherwise pass for a network error and be retried in vain.
 */
async function checkHeaderValues(
  request: OperationRequest,
  headers: Record<string, string>,
): Promise<void> {
  for (const [name, value] of Object.entries(headers)) {
    if (BAD_HEADER_VALUE.test(value)) {
      throw (await loadOnDemand()).badHeaderValueError(request, name);
    }
  }
}

/**
 * Waits for signing (a credentials provider, a remote signer: code and networks outside our
 * control) no longer than the request timeout, and no longer than the caller wants: a hung
 * provider must not make cancel and timeout useless. The signing itself cannot be stopped;
 * its late result is dropped.
 */
function bounded<T>(work: Promise<T>, request: OperationRequest, timeoutMs: number): Promise<T> {
  const signal = request.signal;
  if (timeoutMs <= 0 && signal === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => finish(() => reject(signal!.reason));
    const finish = (settle: () => void) => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        timer = undefined;
        const late = (error: unknown) => finish(() => reject(error));
        loadOnDemand().then(
          (m) => late(m.signingTimeoutError(request, timeoutMs)),
          () => late(new OssTimeoutError(`signing took over ${timeoutMs} ms`, timeoutMs)),
        );
      }, timeoutMs);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}

function isRetryable(error: OssError): boolean {
  if (error instanceof OssServiceError) return error.retryable;
  return (
    error instanceof OssNetworkError ||
    error instanceof OssTimeoutError ||
    error instanceof OssIntegrityError
  );
}

function hostOf(url: string): string {
  const match = /^[a-z]+:\/\/([^/?#]+)/i.exec(url);
  return match?.[1] ?? url;
}

/** A short reason from a runtime network error (undici nests the useful part in `cause`). */
function networkReason(cause: unknown): string {
  const parts: string[] = [];
  let current: unknown = cause;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth += 1) {
    if (typeof current === 'object') {
      const { code, message } = current as { code?: unknown; message?: unknown };
      if (typeof code === 'string' && !parts.includes(code)) parts.push(code);
      if (typeof message === 'string' && message !== '' && !parts.includes(message))
        parts.push(message);
      current = (current as { cause?: unknown }).cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.length === 0 ? 'no response' : parts.join(': ');
}

function emptyStream(): ReadableStream<Uint8Array> {
  return new ReadableStream({ start: (c) => c.close() });
}

/** Reads a body as UTF-8, re-arming the stall timer on every chunk, up to `limit` bytes. */
async function readText(response: Response, limit: number, onChunk: () => void): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onChunk();
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        throw new OssError(`The response body is larger than ${limit} bytes; stopped reading it.`);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const all = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}

async function drain(response: Response, onChunk: () => void): Promise<void> {
  if (response.body === null) return;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done } = await reader.read();
      if (done) return;
      onChunk();
    }
  } finally {
    reader.releaseLock();
  }
}
