import { type BodyDigest, BodyHasher } from '../hash/body-hasher.ts';
import type { HashPool, HashSession, HashSessionCallbacks } from '../hash/hash-pool.ts';
import type { DataFileWriter } from '../storage/data-file.ts';

/** Where a request body goes: hashed and written, with backpressure. */
export interface BodySink {
  /** Accepts a chunk (the sink may keep it, or take its memory: do not use it afterwards). */
  push(chunk: Buffer): void;
  /** Bytes accepted but not yet hashed and written. */
  readonly buffered: number;
  /** Called when `buffered` drops after having been high. */
  onDrain: (() => void) | undefined;
  /**
   * Called once when hashing or writing failed (a full disk, a dead worker): the body can
   * never be stored, so the receiver must stop at once rather than wait for a drain.
   */
  onError: ((err: Error) => void) | undefined;
  /** Flushes everything; resolves with the digests once every byte is hashed and written. */
  finish(): Promise<BodyDigest>;
  /** Stops; resolves once nothing touches the file any more. */
  abort(): Promise<void>;
}

// Bytes are handed to the disk (or the worker) in batches of at least BATCH: fewer,
// larger writes and messages.
const BATCH = 1 << 20;

/** Hashes on the event loop and writes with vectored writes. Used without a worker pool. */
export class InlineSink implements BodySink {
  private readonly hasher = new BodyHasher();
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private writing: Promise<void> | undefined;
  private error: Error | undefined;
  onDrain: (() => void) | undefined;
  onError: ((err: Error) => void) | undefined;

  constructor(private readonly writer: DataFileWriter) {}

  get buffered(): number {
    return this.pendingBytes;
  }

  push(chunk: Buffer): void {
    this.hasher.update(chunk);
    this.pending.push(chunk);
    this.pendingBytes += chunk.byteLength;
    if (this.pendingBytes >= BATCH && this.writing === undefined) this.flush();
  }

  private flush(): void {
    if (this.pendingBytes === 0 || this.error) return;
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.writing = this.writer.write(batch).then(
      () => {
        this.writing = undefined;
        if (this.pendingBytes >= BATCH) this.flush();
        else this.onDrain?.();
      },
      (err: Error) => {
        this.writing = undefined;
        this.error = err;
        this.onError?.(err);
      },
    );
  }

  async finish(): Promise<BodyDigest> {
    while (this.writing !== undefined) await this.writing;
    this.flush();
    while (this.writing !== undefined) await this.writing;
    if (this.error) throw this.error;
    return this.hasher.digest();
  }

  async abort(): Promise<void> {
    this.error ??= new Error('aborted');
    while (this.writing !== undefined) await this.writing.catch(() => {});
  }
}

// Node's HTTP parser copies every body chunk into a fresh Buffer that spans its own
// ArrayBuffer (`Buffer::Copy` in node_http_parser.cc), which nothing else references once the
// chunk is emitted: such a chunk's memory can be moved to the worker instead of copied, which
// saved the main thread a copy of every byte and most of its GC. Other runtimes' HTTP layers
// make no such promise (one reusing its read buffer would be corrupted by a transfer), so
// there every chunk is copied.
const TRANSFER_CHUNKS =
  typeof process !== 'undefined' &&
  process.versions.bun === undefined &&
  process.versions.deno === undefined;

/** The chunk's bytes as an ArrayBuffer that can be transferred: its own, or a copy. */
function transferable(chunk: Buffer): ArrayBuffer {
  const buf = chunk.buffer;
  if (
    TRANSFER_CHUNKS &&
    buf instanceof ArrayBuffer &&
    chunk.byteOffset === 0 &&
    chunk.byteLength === buf.byteLength
  ) {
    return buf;
  }
  return buf.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength) as ArrayBuffer;
}

/**
 * Hands batches to a hashing worker, which hashes and writes them off the event loop. A
 * chunk pushed here is detached (empty) once its batch is sent: callers must not read it
 * after `push`.
 */
export class WorkerSink implements BodySink {
  private readonly session: HashSession;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private inFlight = 0;
  private error: Error | undefined;
  private result: ((d: BodyDigest) => void) | undefined;
  private failed: ((e: Error) => void) | undefined;
  private aborted: (() => void) | undefined;
  private done = false;
  onDrain: (() => void) | undefined;
  onError: ((err: Error) => void) | undefined;

  private constructor(open: (callbacks: HashSessionCallbacks) => HashSession | undefined) {
    const session = open({
      onAck: (n) => {
        this.inFlight -= n;
        if (this.inFlight < BATCH * 2) this.onDrain?.();
      },
      onResult: (d) => {
        this.done = true;
        this.result?.(d);
      },
      onError: (message) => {
        if (this.error !== undefined) return;
        this.error = new Error(`writing the body failed: ${message}`);
        this.failed?.(this.error);
        this.onError?.(this.error);
      },
      onAborted: () => {
        this.done = true;
        this.aborted?.();
      },
    });
    if (session === undefined) throw new Error('no hash worker');
    this.session = session;
  }

  /** A sink writing `path` from a worker of `pool`, or undefined when no worker is ready. */
  static create(pool: HashPool, path: string): WorkerSink | undefined {
    try {
      return new WorkerSink((callbacks) => pool.open(path, callbacks));
    } catch {
      return undefined;
    }
  }

  get buffered(): number {
    return this.pendingBytes + this.inFlight;
  }

  push(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.byteLength;
    if (this.pendingBytes >= BATCH) this.flush();
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    const out: ArrayBuffer[] = [];
    for (const c of this.pending) out.push(transferable(c));
    this.inFlight += this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    this.session.post(out);
  }

  finish(): Promise<BodyDigest> {
    return new Promise<BodyDigest>((resolve, reject) => {
      if (this.error) {
        reject(this.error);
        return;
      }
      this.result = resolve;
      this.failed = reject;
      this.flush();
      this.session.end();
    });
  }

  abort(): Promise<void> {
    if (this.done) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.aborted = resolve;
      this.session.abort();
    });
  }
}
