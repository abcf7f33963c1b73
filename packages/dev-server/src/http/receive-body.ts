import type { IncomingMessage } from 'node:http';
import { entityTooLarge, incompleteBody } from '../error-codes.ts';
import type { BodyDigest } from '../hash/body-hasher.ts';
import type { BodySink } from './body-sink.ts';

// The socket is paused while this many bytes wait for hashing and the disk, so memory per
// request stays flat whatever the body size.
const MAX_BUFFERED = 8 << 20;

/** Options of {@link receiveBody}. */
export interface ReceiveBodyOptions {
  /** Largest body accepted; more → EntityTooLarge. */
  readonly maxBytes: number;
  /** Injected fault: destroy the connection once this many body bytes arrived. */
  readonly resetAfterBytes?: number | undefined;
}

/** Thrown when an injected `reset` fault cut the connection. */
export class ConnectionResetByFault extends Error {
  constructor() {
    super('connection reset by an injected fault');
    this.name = 'ConnectionResetByFault';
  }
}

/**
 * Streams the request body into `sink` (which hashes MD5 + CRC-64 and writes in the same
 * pass). Resolves with the digests once every byte is written (not yet fsynced: the caller
 * commits the file). Rejects with IncompleteBody when the client goes away early,
 * EntityTooLarge past `maxBytes`, or {@link ConnectionResetByFault}; the sink is aborted
 * first, so the file is no longer touched when this rejects.
 */
export function receiveBody(
  req: IncomingMessage,
  sink: BodySink,
  options: ReceiveBodyOptions,
): Promise<BodyDigest> {
  return new Promise<BodyDigest>((resolve, reject) => {
    let total = 0;
    let ended = false;
    let failed = false;

    const fail = (err: Error): void => {
      if (failed) return;
      failed = true;
      cleanup();
      sink.abort().then(
        () => reject(err),
        () => reject(err),
      );
    };
    const reset = (): void => {
      req.socket.destroy();
      fail(new ConnectionResetByFault());
    };

    sink.onDrain = () => {
      if (!failed && req.isPaused() && sink.buffered < MAX_BUFFERED) req.resume();
    };
    // A write that failed (ENOSPC, EIO) or a dead hash worker: the body can never be stored.
    // Waiting for a drain that will not come left the request paused until the client gave
    // up (the server sets no request timeout).
    sink.onError = (err) => fail(err);
    const onData = (chunk: Buffer): void => {
      if (failed) return;
      total += chunk.byteLength;
      if (total > options.maxBytes) {
        fail(entityTooLarge(options.maxBytes));
        return;
      }
      if (options.resetAfterBytes !== undefined && total >= options.resetAfterBytes) {
        reset();
        return;
      }
      sink.push(chunk);
      if (sink.buffered >= MAX_BUFFERED) req.pause();
    };
    const onEnd = (): void => {
      if (failed) return;
      if (options.resetAfterBytes !== undefined) {
        // The body was shorter than the fault's threshold: cut before anything is stored.
        reset();
        return;
      }
      ended = true;
      cleanup();
      sink.finish().then(resolve, (err: Error) => fail(err));
    };
    const onAborted = (): void => fail(incompleteBody());
    const onClose = (): void => {
      if (!ended) fail(incompleteBody());
    };
    const onError = (): void => fail(incompleteBody());
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onAborted);
      req.off('close', onClose);
      req.off('error', onError);
    };

    if (options.resetAfterBytes === 0) {
      reset();
      return;
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onAborted);
    req.on('close', onClose);
    req.on('error', onError);
    // Compat-suite fix: the connection may already be gone (the client timed out while auth,
    // file creation or a `delay` fault ran). Its 'close' fired before these listeners existed
    // and never fires again, so without this check the request never settled and
    // server.close(), which awaits in-flight requests, hung forever.
    if (req.destroyed) onClose();
  });
}

/** Reads a small body (XML, JSON) fully into memory, refusing more than `maxBytes`. */
export function readSmallBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      total += chunk.byteLength;
      if (total > maxBytes) {
        done = true;
        reject(entityTooLarge(maxBytes));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks));
    });
    req.on('close', () => {
      if (done) return;
      done = true;
      reject(incompleteBody());
    });
    req.on('error', () => {
      if (done) return;
      done = true;
      reject(incompleteBody());
    });
    // Compat-suite fix: as in receiveBody, a connection closed before this call never emits
    // 'close' again; settle now instead of hanging (and hanging server.close()).
    if (req.destroyed && !done) {
      done = true;
      reject(incompleteBody());
    }
  });
}

/** Reads and discards the rest of a body, resolving when it ended or the socket closed. */
export function drainBody(req: IncomingMessage): Promise<void> {
  if (req.readableEnded || req.destroyed) return Promise.resolve();
  return new Promise<void>((resolve) => {
    req.on('end', resolve);
    req.on('close', resolve);
    req.on('error', () => resolve());
    req.resume();
  });
}
