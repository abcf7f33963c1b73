/**
 * Called while a request body is being sent, with the number of body bytes handed to the
 * network so far for this attempt. Transports that cannot observe the body (plain `fetch`)
 * call it once with the full length when the response arrives.
 */
export type UploadProgressListener = (sentBytes: number) => void;

/** Per-request options a {@link Transport} receives. */
export interface TransportOptions {
  /** Aborts the request: the transport must reject promptly with the signal's reason. */
  signal?: AbortSignal;
  /** Body progress for this attempt; see {@link UploadProgressListener}. */
  onUploadProgress?: UploadProgressListener;
}

/**
 * Sends one HTTP request and resolves with the response (any status: the client maps OSS
 * errors itself). Rejects only when no response was received: network failure, reset,
 * abort. The default is the runtime's `fetch`; `@ossup/node` provides a faster `node:http`
 * transport, and tests may pass a scripted one.
 *
 * The request body, when present, is a `Uint8Array` whose length the transport sends as
 * `Content-Length` (OSS refuses chunked part uploads without it), or a `ReadableStream` for
 * streaming GET/PUT when the caller set `Content-Length` itself.
 */
export type Transport = (request: TransportRequest, options: TransportOptions) => Promise<Response>;

/** The request a {@link Transport} sends: already signed, URL fully encoded. */
export interface TransportRequest {
  /** HTTP method, upper case. */
  method: string;
  /** Absolute URL, path and query already percent-encoded. */
  url: string;
  /** Header names in any case; values final (signed). */
  headers: Record<string, string>;
  /** Request body, if any (see above). */
  body?: Uint8Array | ReadableStream<Uint8Array>;
}
