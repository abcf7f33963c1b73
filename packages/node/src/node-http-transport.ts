import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Transport, TransportOptions, TransportRequest } from '@ossup/client';
import { errnoCode } from './file-source-error.ts';

/** Options for {@link nodeHttpTransport}. */
export interface NodeHttpTransportOptions {
  /**
   * Most sockets open at once per origin (host:port). Keep it at or above the uploader's
   * `parallel` so parts never queue for a socket. Default: `16`.
   */
  maxSockets?: number;
  /**
   * How many bytes of a body are handed to the socket at a time; progress is reported after
   * each slice is flushed. Smaller slices give smoother progress, larger ones fewer calls.
   * Clamped to 16 KiB–4 MiB. Default: `1048576` (1 MiB): in `pnpm bench upload`, 256 KiB
   * slices spent 9–13% of the main thread in socket writes and drain waits.
   */
  chunkSize?: number;
  /**
   * Agent for `http:` URLs, to share sockets with other code or add a proxy. When given,
   * `maxSockets` does not apply to it and {@link NodeHttpTransport.close} leaves it open.
   * Default: a keep-alive agent owned by the transport.
   */
  httpAgent?: HttpAgent;
  /**
   * Agent for `https:` URLs (custom CA, client certificates, proxy). Same rules as
   * `httpAgent`. Default: a keep-alive agent owned by the transport.
   */
  httpsAgent?: HttpsAgent;
}

/** A {@link Transport} on `node:http`/`node:https`, with a way to release its sockets. */
export interface NodeHttpTransport extends Transport {
  /**
   * Closes the idle keep-alive sockets of the agents this transport created (not those
   * passed in options). Requests still running are not touched and finish normally; later
   * requests open new sockets. Idle sockets never keep the process alive, so calling it is
   * optional.
   */
  close(): void;
}

const MIN_CHUNK = 16 * 1024;
const MAX_CHUNK = 4 * 1024 * 1024;
// A response body stream buffers at most this much ahead of its reader before pausing
// the socket: large GETs stream instead of piling up in memory.
const RESPONSE_HIGH_WATER = 256 * 1024;
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/**
 * A transport on `node:http`/`node:https` with keep-alive connection reuse. It is what
 * makes uploads from Node fast and lean: measured on loopback, putting 1 GiB in 8 MiB parts
 * four at a time took about 4 s and 270 MiB RSS with Node's `fetch`, and about 0.75 s and
 * 82 MiB with this transport. `createNodeClient` uses it by default.
 *
 * - A `Uint8Array` body is sent with `Content-Length`, in slices of `chunkSize` with
 *   backpressure; `onUploadProgress` receives the running total of bytes flushed to the
 *   socket after each slice (the last call equals the body length).
 * - A `ReadableStream` body is streamed as it comes; set `Content-Length` yourself (without
 *   it Node falls back to chunked encoding, which OSS refuses for parts).
 * - The promise resolves with a WHATWG `Response` once the status line and headers arrive;
 *   its body is a `ReadableStream` fed from the socket with backpressure, never buffered.
 * - Aborting the signal destroys the request (and the response body, if still streaming)
 *   and rejects with `signal.reason`.
 * - A failure before a response (refused, reset, DNS) rejects with a `TypeError` like
 *   `fetch` does, `cause` holding the system error (`code` such as `ECONNRESET`). The message
 *   names method, origin and path, never the query (a presigned URL's signature lives there).
 *
 * @example
 * ```ts
 * const transport = nodeHttpTransport({ maxSockets: 32 });
 * const client = createClient({ endpoint, credentials, transport });
 * ```
 */
export function nodeHttpTransport(options: NodeHttpTransportOptions = {}): NodeHttpTransport {
  const maxSockets = options.maxSockets ?? 16;
  if (!Number.isSafeInteger(maxSockets) || maxSockets < 1) {
    throw new RangeError(
      `nodeHttpTransport: maxSockets must be a positive integer, got ${maxSockets}`,
    );
  }
  const chunkSize = Math.min(
    MAX_CHUNK,
    Math.max(MIN_CHUNK, Math.trunc(options.chunkSize ?? 1024 * 1024)),
  );
  if (!Number.isFinite(chunkSize)) {
    throw new RangeError(`nodeHttpTransport: chunkSize must be a number of bytes`);
  }
  const owned: (HttpAgent | HttpsAgent)[] = [];
  // LIFO reuses the most recently used sockets, so surplus ones after a burst go idle and
  // are closed by the server's keep-alive timeout instead of being kept warm at random.
  const agentOptions = { keepAlive: true, maxSockets, scheduling: 'lifo' as const };
  const httpAgent = options.httpAgent ?? remember(owned, new HttpAgent(agentOptions));
  const httpsAgent = options.httpsAgent ?? remember(owned, new HttpsAgent(agentOptions));

  const transport = ((req: TransportRequest, opts: TransportOptions = {}) =>
    send(req, opts, { httpAgent, httpsAgent, chunkSize })) as NodeHttpTransport;
  // Streams are written as they come, reported bytes never read again (see writeBody).
  (transport as { streamsBodies: boolean }).streamsBodies = true;
  transport.close = () => {
    for (const agent of owned) {
      for (const sockets of Object.values(agent.freeSockets)) {
        for (const socket of sockets ?? []) socket.destroy();
      }
    }
  };
  return transport;
}

function remember<T extends HttpAgent>(list: HttpAgent[], agent: T): T {
  list.push(agent);
  return agent;
}

interface SendContext {
  httpAgent: HttpAgent;
  httpsAgent: HttpsAgent;
  chunkSize: number;
}

/** `METHOD origin/path` without the query: safe to put in an error message. */
function describe(method: string, url: URL): string {
  return `${method} ${url.origin}${url.pathname}`;
}

function networkError(method: string, url: URL, err: unknown): TypeError {
  const code = errnoCode(err);
  const detail = code ?? (err instanceof Error ? err.message : String(err));
  return new TypeError(`Network error: ${describe(method, url)}: ${detail}`, { cause: err });
}

function send(req: TransportRequest, opts: TransportOptions, ctx: SendContext): Promise<Response> {
  const { signal, onUploadProgress } = opts;
  if (signal?.aborted) return Promise.reject(signal.reason);
  let url: URL;
  try {
    url = new URL(req.url);
  } catch (err) {
    return Promise.reject(new TypeError(`nodeHttpTransport: invalid URL`, { cause: err }));
  }
  const isHttps = url.protocol === 'https:';
  if (!isHttps && url.protocol !== 'http:') {
    return Promise.reject(
      new TypeError(
        `nodeHttpTransport: unsupported protocol ${url.protocol} (http: or https: only)`,
      ),
    );
  }

  const headers: Record<string, string> = { ...req.headers };
  const body = req.body;
  if (body instanceof Uint8Array) {
    const key = Object.keys(headers).find((h) => h.toLowerCase() === 'content-length');
    if (key === undefined) {
      headers['content-length'] = String(body.byteLength);
    } else if (headers[key] !== String(body.byteLength)) {
      return Promise.reject(
        new TypeError(
          `nodeHttpTransport: Content-Length header (${headers[key]}) differs from the body length (${body.byteLength})`,
        ),
      );
    }
  } else if (body === undefined && methodHasBody(req.method)) {
    // An empty PUT/POST still needs Content-Length: 0, or Node sends chunked encoding.
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
      headers['content-length'] = '0';
    }
  }

  return new Promise<Response>((resolvePromise, rejectPromise) => {
    let settled = false;
    let response: IncomingMessage | undefined;
    let cleanupBody: ((reason: unknown) => void) | undefined;

    const resolveOnce = (r: Response) => {
      if (settled) return;
      settled = true;
      resolvePromise(r);
    };
    const rejectOnce = (err: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      rejectPromise(err);
    };

    const onAbort = () => {
      const reason = signal?.reason;
      rejectOnce(reason);
      cleanupBody?.(reason);
      request.destroy();
      response?.destroy();
    };

    const options = {
      method: req.method,
      headers,
      agent: isHttps ? ctx.httpsAgent : ctx.httpAgent,
    };
    const request: ClientRequest = isHttps ? httpsRequest(url, options) : httpRequest(url, options);

    signal?.addEventListener('abort', onAbort, { once: true });

    // Kept for the whole life of the request: a reset after the response arrived (early
    // error reply while the body is still going) must not become an uncaught 'error'.
    request.on('error', (err) => {
      if (!settled)
        rejectOnce(signal?.aborted ? signal.reason : networkError(req.method, url, err));
    });

    request.on('response', (res: IncomingMessage) => {
      response = res;
      if (!request.writableEnded) {
        // An answer before the whole body went out (an early error, or a refused
        // 100-continue): stop sending, and never return this socket to the pool, since the
        // server and we disagree on where the next request starts.
        res.once('end', () => request.destroy());
        res.once('close', () => request.destroy());
      }
      if (settled) {
        res.destroy();
        return;
      }
      let webBody: ReadableStream<Uint8Array> | null = null;
      const noBody = req.method === 'HEAD' || NULL_BODY_STATUS.has(res.statusCode ?? 0);
      const release = () => signal?.removeEventListener('abort', onAbort);
      if (noBody) {
        res.resume();
        release();
      } else {
        const adapted = toWebStream(res, release);
        webBody = adapted.stream;
        cleanupBody = adapted.abort;
      }
      let out: Response;
      try {
        out = new Response(webBody, {
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: toHeaders(res.rawHeaders),
        });
      } catch (err) {
        res.destroy();
        rejectOnce(
          new TypeError(
            `Invalid response to ${describe(req.method, url)} (status ${res.statusCode})`,
            {
              cause: err,
            },
          ),
        );
        return;
      }
      resolveOnce(out);
    });

    const progress =
      onUploadProgress &&
      ((sent: number) => {
        if (!signal?.aborted) onUploadProgress(sent);
      });
    const stopped = () => response !== undefined || request.destroyed;
    const gate = expectsContinue(headers) && body !== undefined ? continued(request) : undefined;
    writeBody(request, body, ctx.chunkSize, progress, stopped, gate).catch((err: unknown) => {
      if (err instanceof StopWriting) return;
      // A socket failure also emits 'error' on the request, with the system error code;
      // give it a turn to win so the rejection names the real cause.
      setImmediate(() => {
        request.destroy();
        if (signal?.aborted) rejectOnce(signal.reason);
        else if (err instanceof BodySourceError) rejectOnce(err.cause);
        else rejectOnce(networkError(req.method, url, err));
      });
    });
  });
}

function expectsContinue(headers: Record<string, string>): boolean {
  return Object.entries(headers).some(
    ([name, value]) => name.toLowerCase() === 'expect' && value.toLowerCase() === '100-continue',
  );
}

/**
 * With `Expect: 100-continue` the body waits until the server says 100 Continue (or answers
 * with a final status, which stops the body). Like curl, it goes ahead after a second of
 * silence, for servers that ignore the header.
 */
function continued(request: ClientRequest): Promise<void> {
  request.flushHeaders();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, 1000);
    function done() {
      clearTimeout(timer);
      request.off('continue', done);
      request.off('response', done);
      request.off('close', done);
      resolve();
    }
    request.once('continue', done);
    request.once('response', done);
    request.once('close', done);
  });
}

function methodHasBody(method: string): boolean {
  const m = method.toUpperCase();
  return m === 'PUT' || m === 'POST' || m === 'PATCH';
}

function toHeaders(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

/** Thrown inside writeBody when a response arrived and the rest of the body is dropped. */
class StopWriting extends Error {}

/** Most bytes of a body queued in the request at once, on a fast socket (see writeBody). */
const WRITE_AHEAD = 4 * 1024 * 1024;
/** A body flushing at least this many bytes per millisecond (100 MB/s) is on a fast socket. */
const FAST_DRAIN = 100_000;

/**
 * Writes the body with backpressure: slices go out while the socket accepts them, then we
 * wait for 'drain'. Progress is counted in each slice's write callback, which fires once
 * the slice has been handed to the kernel, in order.
 */
async function writeBody(
  request: ClientRequest,
  body: TransportRequest['body'],
  chunkSize: number,
  onProgress: ((sent: number) => void) | undefined,
  stopped: () => boolean,
  gate: Promise<void> | undefined,
): Promise<void> {
  if (body === undefined) {
    request.end();
    return;
  }
  if (gate !== undefined) await gate;
  let sent = 0;
  const report = (n: number) => (err?: Error | null) => {
    if (err) return;
    sent += n;
    onProgress?.(sent);
  };
  // Bytes that may queue in the request before writing waits for a drain. Waiting after
  // every slice costs a trip through the event loop each time, which on a fast connection
  // was about a fifth of the upload's CPU (`pnpm bench upload`); but slices queued ahead are
  // sent as one batch, whose progress then arrives together. So slices are queued ahead only
  // while the body has been flushing at FAST_DRAIN or more on average (a single drain's speed
  // says little: the kernel's socket buffers take megabytes at once), and on a slow
  // connection progress keeps coming slice by slice.
  let writeAhead = 0;
  const startedAt = performance.now();
  const writeSlice = async (slice: Uint8Array) => {
    if (stopped() && !request.destroyed) throw new StopWriting();
    if (request.destroyed) throw new Error('request closed while sending the body');
    if (!request.write(slice, report(slice.byteLength)) && request.writableLength > writeAhead) {
      await drained(request);
      writeAhead = sent / (performance.now() - startedAt) >= FAST_DRAIN ? WRITE_AHEAD : 0;
    }
  };

  if (body instanceof Uint8Array) {
    for (let off = 0; off < body.byteLength; off += chunkSize) {
      await writeSlice(body.subarray(off, Math.min(off + chunkSize, body.byteLength)));
    }
  } else {
    const reader = body.getReader();
    try {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (err) {
          throw new BodySourceError(err);
        }
        const { done, value } = chunk;
        if (done) break;
        for (let off = 0; off < value.byteLength; off += chunkSize) {
          await writeSlice(value.subarray(off, Math.min(off + chunkSize, value.byteLength)));
        }
      }
    } catch (err) {
      await reader.cancel(err).catch(() => {});
      throw err;
    } finally {
      reader.releaseLock();
    }
  }
  await new Promise<void>((resolve) => request.end(resolve));
}

/** The caller's body stream failed: reject with its error, not as a network failure. */
class BodySourceError extends Error {
  constructor(cause: unknown) {
    super('request body stream failed', { cause });
  }
}

function drained(request: ClientRequest): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onClose = () => {
      cleanup();
      reject(new Error('request closed while sending the body'));
    };
    const cleanup = () => {
      request.off('drain', onDrain);
      request.off('close', onClose);
    };
    request.on('drain', onDrain);
    request.on('close', onClose);
  });
}

/**
 * Wraps an IncomingMessage in a byte ReadableStream that pauses the socket whenever the
 * reader falls behind, so a multi-GiB GET flows through a small window.
 */
function toWebStream(
  res: IncomingMessage,
  onDone: () => void,
): { stream: ReadableStream<Uint8Array>; abort: (reason: unknown) => void } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let done = false;
  const finish = (fn: () => void) => {
    if (done) return;
    done = true;
    onDone();
    fn();
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        res.on('data', (chunk: Uint8Array) => {
          if (done) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) res.pause();
        });
        res.on('end', () => finish(() => controller.close()));
        res.on('error', (err) =>
          finish(() =>
            controller.error(
              new TypeError(`Response body interrupted: ${errnoCode(err) ?? err.message}`, {
                cause: err,
              }),
            ),
          ),
        );
        res.on('close', () => {
          // 'close' without 'end' means the connection died mid-body.
          if (!res.complete) {
            finish(() =>
              controller.error(
                new TypeError('Response body interrupted: the connection closed before the end'),
              ),
            );
          }
        });
      },
      pull() {
        res.resume();
      },
      cancel() {
        finish(() => {});
        res.destroy();
      },
    },
    { highWaterMark: RESPONSE_HIGH_WATER, size: (chunk) => chunk.byteLength },
  );
  return {
    stream,
    abort: (reason) => finish(() => controller.error(reason)),
  };
}
