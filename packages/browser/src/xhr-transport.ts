import {
  fetchTransport,
  type Transport,
  type TransportOptions,
  type TransportRequest,
} from '@ossup/client';

/** Options of {@link xhrTransport}. */
export interface XhrTransportOptions {
  /**
   * The transport for every request that XHR does not send: those without a body or with an
   * empty one (GET, HEAD, DELETE, InitiateMultipartUpload…), with a stream body, or made
   * where `XMLHttpRequest` does not exist (a service worker). Default: `fetchTransport()` of
   * `@ossup/client`, so that a GetObject body streams instead of being held whole in memory.
   */
  fallback?: Transport;
  /**
   * The `XMLHttpRequest` class to use. Default: `globalThis.XMLHttpRequest`, looked up per
   * request.
   */
  XMLHttpRequest?: typeof XMLHttpRequest;
}

// Headers the browser sets itself; setting them from script only logs an error.
const MANAGED = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'expect']);
// A Response with one of these statuses must have no body.
const NULL_BODY = new Set([204, 205, 304]);

/**
 * A {@link Transport} that sends request bodies with `XMLHttpRequest`, for byte-level upload
 * progress in browsers: `fetch` cannot tell how much of a body has gone out, so with it a part
 * reports progress once, when its response arrives, while XHR's `upload.onprogress` reports
 * it as the bytes leave. Works in pages and in dedicated workers.
 *
 * - Only requests with a non-empty body (parts, PutObject, the Complete XML) go through XHR;
 *   the rest go to `fallback` (default `fetch`), so downloads stream.
 * - Like `fetch`, it resolves with any HTTP status and rejects only when no response
 *   arrived: with a `TypeError` on a network failure, or with the signal's reason when
 *   aborted (the request is cancelled at once). Retries and error mapping are the client's,
 *   unchanged.
 * - Progress never goes backwards and ends at the body's length, even where the browser
 *   counts differently.
 * - The body is sent as a `Blob`: Chromium hands a Blob body to its network process in one
 *   piece, but pipes an `ArrayBuffer` body through a small buffer (measured in
 *   apps/web-uploader: 4 MiB parts went up about 15x faster as Blobs).
 * - CORS decides what the response exposes, as for `fetch`: a header the bucket's CORS rule
 *   does not expose (`ETag`, `x-oss-hash-crc64ecma`) reads as missing, and the client says so.
 *
 * `createBrowserClient` uses it by default.
 *
 * @example
 * ```ts
 * const client = createClient({ endpoint, region, credentialsProvider, transport: xhrTransport() });
 * ```
 */
export function xhrTransport(options: XhrTransportOptions = {}): Transport {
  const fallback = options.fallback ?? fetchTransport();
  return (request, transportOptions) => {
    const Xhr = options.XMLHttpRequest ?? globalThis.XMLHttpRequest;
    // An empty body (InitiateMultipartUpload, CopyObject…) has no progress to report.
    if (
      !(request.body instanceof Uint8Array) ||
      request.body.byteLength === 0 ||
      Xhr === undefined
    ) {
      return fallback(request, transportOptions);
    }
    return sendWithXhr(Xhr, request, request.body, transportOptions);
  };
}

function sendWithXhr(
  Xhr: typeof XMLHttpRequest,
  request: TransportRequest,
  body: Uint8Array,
  { signal, onUploadProgress }: TransportOptions,
): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const xhr = new Xhr();
    let settled = false;
    // Ends the request's promise exactly once, and lets go of the signal.
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const fail = (error: unknown): void => {
      if (settle()) reject(error);
    };
    const onAbort = (): void => {
      if (!settle()) return;
      xhr.abort();
      reject(abortReason(signal!));
    };

    let reported = 0;
    const report = (sent: number): void => {
      const next = Math.min(sent, body.byteLength);
      if (next <= reported) return;
      reported = next;
      onUploadProgress?.(next);
    };

    xhr.onload = () => {
      if (settled) return;
      let response: Response;
      try {
        // Like fetch, the whole body counts once the answer is in; a listener that throws
        // fails this request instead of leaving it pending.
        report(body.byteLength);
        response = new Response(NULL_BODY.has(xhr.status) ? null : (xhr.response as ArrayBuffer), {
          status: xhr.status,
          statusText: xhr.statusText,
          headers: parseHeaders(xhr.getAllResponseHeaders()),
        });
      } catch (error) {
        fail(
          error instanceof RangeError
            ? new TypeError(`Invalid response (status ${xhr.status})`, { cause: error })
            : error,
        );
        return;
      }
      if (settle()) resolve(response);
    };
    xhr.onerror = () => {
      // XHR says nothing about why (offline, refused, reset, CORS); navigator.onLine tells one.
      const offline = (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine;
      fail(
        new TypeError(
          offline === false
            ? 'Network error: the browser is offline'
            : 'Network error: the connection failed, or CORS blocked the request',
        ),
      );
    };
    // Aborted by something other than our signal (the page navigating away, say).
    xhr.onabort = () => fail(new DOMException('The request was aborted.', 'AbortError'));

    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      xhr.open(request.method, request.url);
      xhr.responseType = 'arraybuffer';
      for (const [name, value] of Object.entries(request.headers)) {
        if (!MANAGED.has(name.toLowerCase())) xhr.setRequestHeader(name, value);
      }
      // Listening on xhr.upload is what makes the browser count: only when someone listens.
      // Progress after the request ended (aborted, failed) is not reported.
      if (onUploadProgress !== undefined) {
        xhr.upload.onprogress = (event) => {
          if (!settled) report(event.loaded);
        };
      }
      // The client's bodies are views of plain ArrayBuffers, never of shared memory.
      xhr.send(new Blob([body as Uint8Array<ArrayBuffer>]));
    } catch (error) {
      fail(error);
    }
  });
}

/** The signal's reason, or an AbortError where the browser predates `AbortSignal.reason`. */
function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The request was aborted.', 'AbortError');
}

function parseHeaders(raw: string): Headers {
  const headers = new Headers();
  for (const line of raw.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return headers;
}
