/**
 * Called while a request body is being sent, with the number of body bytes handed to the
 * network so far for this attempt. Transports that cannot observe the body (plain `fetch`)
 * call it once with the full length when the response arrives. A transport with
 * {@link Transport.streamsBodies} never reads the bytes it has reported again, so the body's
 * producer may reuse their memory.
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
export interface Transport {
  (request: TransportRequest, options: TransportOptions): Promise<Response>;
  /**
   * Set by a transport that streams a `ReadableStream` request body over any connection
   * (HTTP/1.1 included), sends the `Content-Length` header given with it, and reports
   * {@link UploadProgressListener | progress} as bytes leave, never reading reported bytes
   * again. The client then sends a
   * {@link @ossup/client!index.ReplayableBody | ReplayableBody} as a stream, and `upload()`
   * reads parts from a file in slices instead of whole, so memory no longer grows with
   * `partSize`.
   * Without it (the `fetch` transport: browsers stream request bodies only over HTTP/2) such
   * bodies are gathered into one array per attempt first. Default: absent (`false`).
   */
  readonly streamsBodies?: boolean;
}

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
