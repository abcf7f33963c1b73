import {
  fetchTransport,
  type Transport,
  type TransportOptions,
  type TransportRequest,
} from '@ossup/client';

/** Options of {@link xhrTransport}. */
export interface XhrTransportOptions {
  /**
   * The transport for every request that XHR does not send: those without a body (GET,
   * HEAD, DELETE…), with a stream body, or made where `XMLHttpRequest` does not exist (a
   * service worker). Default: `fetchTransport()` of `@ossup/client`, so that a GetObject body
   * streams instead of being held whole in memory.
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
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * A {@link Transport} that sends request bodies with `XMLHttpRequest`, for byte-level upload
 * progress in browsers: `fetch` cannot tell how much of a body has gone out, so with it a part
 * reports progress once, when its response arrives, while XHR's `upload.onprogress` reports
 * it as the bytes leave. Works in pages and in dedicated workers.
 *
 * - Only requests with a `Uint8Array` body (parts, PutObject, the Complete XML) go through
 *   XHR; the rest go to `fallback` (default `fetch`), so downloads stream.
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
    if (!(request.body instanceof Uint8Array) || Xhr === undefined) {
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
      reject(signal.reason);
      return;
    }
    const xhr = new Xhr();
    xhr.open(request.method, request.url);
    xhr.responseType = 'arraybuffer';
    for (const [name, value] of Object.entries(request.headers)) {
      if (!MANAGED.has(name.toLowerCase())) xhr.setRequestHeader(name, value);
    }
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const onAbort = (): void => {
      if (!settle()) return;
      xhr.abort();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    let reported = 0;
    const report = (sent: number): void => {
      if (settled && sent < body.byteLength) return;
      const next = Math.min(sent, body.byteLength);
      if (next <= reported) return;
      reported = next;
      onUploadProgress?.(next);
    };
    // Listening on xhr.upload is what makes the browser count; only when someone listens.
    if (onUploadProgress !== undefined) xhr.upload.onprogress = (event) => report(event.loaded);

    xhr.onload = () => {
      if (!settle()) return;
      report(body.byteLength);
      const empty = NULL_BODY.has(xhr.status) || request.method.toUpperCase() === 'HEAD';
      let response: Response;
      try {
        response = new Response(empty ? null : (xhr.response as ArrayBuffer), {
          status: xhr.status,
          statusText: xhr.statusText,
          headers: parseHeaders(xhr.getAllResponseHeaders()),
        });
      } catch (cause) {
        reject(new TypeError(`Invalid response (status ${xhr.status})`, { cause }));
        return;
      }
      resolve(response);
    };
    xhr.onerror = () => {
      if (!settle()) return;
      // XHR says nothing about why (offline, refused, reset, CORS); navigator.onLine tells one.
      const offline = (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine;
      reject(
        new TypeError(
          offline === false
            ? 'Network error: the browser is offline'
            : 'Network error: the connection failed, or CORS blocked the request',
        ),
      );
    };
    // Aborted by something other than our signal (the page navigating away, say).
    xhr.onabort = () => {
      if (!settle()) return;
      reject(new DOMException('The request was aborted.', 'AbortError'));
    };
    // The client's bodies are views of plain ArrayBuffers, never of shared memory.
    xhr.send(new Blob([body as Uint8Array<ArrayBuffer>]));
  });
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
