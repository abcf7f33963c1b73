import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BodyDigest } from './body-hasher.ts';
import { HASH_WORKER_SOURCE } from './hash-worker-source.ts';

type FromWorker =
  | { t: 'ready'; id?: undefined }
  | { t: 'a'; id: number; n: number }
  | { t: 'r'; id: number; md5: Uint8Array; hi: number; lo: number; size: number }
  | { t: 'x'; id: number; message: string }
  | { t: 'z'; id: number };

/** What a session hears back from its worker. */
export interface HashSessionCallbacks {
  /** `n` more bytes were hashed and written. */
  onAck(n: number): void;
  /** The session ended (after `end()`): the digests. */
  onResult(d: BodyDigest): void;
  /** The session failed (write error, dead worker). */
  onError(message: string): void;
  /** After `abort()` (or a dead worker): the worker no longer touches the file descriptor. */
  onAborted(): void;
}

/** A running session: feed it data, then end or abort it. */
export interface HashSession {
  /**
   * Sends the next bytes, in order, as one message. The buffers are transferred: they are
   * detached (empty) here afterwards, so each must be one nobody else holds.
   */
  post(bufs: ArrayBuffer[]): void;
  end(): void;
  abort(): void;
}

interface PoolWorker {
  readonly worker: Worker;
  active: number;
  ready: boolean;
}

interface Session {
  readonly callbacks: HashSessionCallbacks;
  readonly owner: PoolWorker;
}

/**
 * Worker threads that hash (MD5 + CRC-64) and write upload bodies, so hashing runs on every
 * core instead of serialising all uploads on the event loop. Each body is one session on the
 * least busy worker; its data is transferred to the worker, not copied. Until a worker
 * reports ready (or if none can start, e.g. where eval'd workers are not allowed)
 * {@link HashPool.open} returns undefined and callers hash on the event loop.
 */
export class HashPool {
  private workers: PoolWorker[] = [];
  private readonly sessions = new Map<number, Session>();
  private nextId = 1;
  private closed = false;
  private failedStarts = 0;

  constructor(private readonly size = Math.max(1, Math.min(8, availableParallelism()))) {}

  private spawn(): PoolWorker {
    const worker = new Worker(HASH_WORKER_SOURCE, { eval: true });
    worker.unref();
    const pw: PoolWorker = { worker, active: 0, ready: false };
    const finish = (id: number) => {
      this.sessions.delete(id);
      pw.active--;
    };
    worker.on('message', (m: FromWorker) => {
      if (m.t === 'ready') {
        pw.ready = true;
        return;
      }
      const s = this.sessions.get(m.id);
      if (s === undefined) return;
      if (m.t === 'a') s.callbacks.onAck(m.n);
      else if (m.t === 'x') s.callbacks.onError(m.message);
      else if (m.t === 'r') {
        finish(m.id);
        s.callbacks.onResult({
          size: m.size,
          md5: Buffer.from(m.md5),
          crc64: (BigInt(m.hi) << 32n) | BigInt(m.lo),
        });
      } else {
        finish(m.id);
        s.callbacks.onAborted();
      }
    });
    worker.on('error', () => {});
    worker.on('exit', () => {
      this.workers = this.workers.filter((w) => w !== pw);
      // A worker that dies before it is ready will not do better next time: after a few,
      // stop trying and hash on the event loop.
      if (!pw.ready && ++this.failedStarts >= 3) this.closed = true;
      // Sessions of a dead worker can never finish: fail them so requests do not hang.
      for (const [id, s] of this.sessions) {
        if (s.owner !== pw) continue;
        this.sessions.delete(id);
        s.callbacks.onError('hash worker exited');
        s.callbacks.onAborted();
      }
    });
    return pw;
  }

  /**
   * Starts a session that writes the bytes to the existing file at `path` (from offset 0);
   * undefined when no worker is ready.
   */
  open(path: string, callbacks: HashSessionCallbacks): HashSession | undefined {
    // Workers start on first use (a server that never receives an upload never starts one);
    // bodies arriving before one is ready are hashed on the event loop.
    while (!this.closed && this.workers.length < this.size) {
      try {
        this.workers.push(this.spawn());
      } catch {
        this.closed = true; // eval'd workers are not available here: stay inline.
      }
    }
    const ready = this.workers.filter((w) => w.ready);
    if (ready.length === 0) return undefined;
    const owner = ready.reduce((a, b) => (b.active < a.active ? b : a));
    const id = this.nextId++;
    owner.active++;
    this.sessions.set(id, { callbacks, owner });
    owner.worker.postMessage({ t: 'o', id, path });
    return {
      post: (bufs) => owner.worker.postMessage({ t: 'd', id, b: bufs }, bufs),
      end: () => owner.worker.postMessage({ t: 'e', id }),
      abort: () => owner.worker.postMessage({ t: 'q', id }),
    };
  }

  /** Stops the workers (sessions still open are failed). */
  async close(): Promise<void> {
    this.closed = true;
    const ws = this.workers;
    await Promise.all(ws.map((w) => w.worker.terminate()));
  }
}
