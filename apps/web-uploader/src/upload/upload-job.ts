import type { UploadProgress } from '@ossup/client';
import type { AuthMode, DoneReport, ErrorReport, FromWorker, PageConfig } from './protocol.ts';

/**
 * Where one file stands.
 * - `queued`: waiting for a free slot. `starting`…`completing`: its worker is uploading.
 * - `pausing` → `paused`: stopped by the user; parts and checkpoint kept.
 * - `offline`: stopped because the browser went offline; continues when it is back.
 * - `retrying`: a transient failure; starts again after `retryAt`.
 * - `cancelling` → `cancelled`: the multipart upload was aborted and the checkpoint deleted.
 * - `done`, `failed`: final (a failed one may be resumed by hand).
 */
export type JobState =
  | 'queued'
  | 'starting'
  | 'uploading'
  | 'completing'
  | 'pausing'
  | 'paused'
  | 'offline'
  | 'retrying'
  | 'cancelling'
  | 'cancelled'
  | 'done'
  | 'failed';

/** States in which the job's worker is busy uploading (and holds a slot). */
export const ACTIVE_STATES: ReadonlySet<JobState> = new Set([
  'starting',
  'uploading',
  'completing',
  'pausing',
  'cancelling',
]);

/** Back-off between automatic retries of a whole upload, ms (the client retries each request too). */
const RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 15_000];

/** What a job needs from the page. */
export interface JobHost {
  config: PageConfig;
  apiBase: string;
  /** Auth mode to use when (re)starting. */
  mode(): AuthMode;
  /** Whether the browser is online now. */
  online(): boolean;
  /** Called after every change, to redraw and to start queued jobs. */
  changed(job: UploadJob): void;
  /** Makes the worker; a function so tests and bundlers decide how. */
  createWorker(): Worker;
}

let nextId = 1;

/**
 * One file's upload, driven from the page: owns the file's worker, turns the user's clicks
 * and the browser's online/offline events into worker messages, and retries transient
 * failures by itself (each retry resumes from the checkpoint, so nothing stored is re-sent).
 */
export class UploadJob {
  readonly id = nextId++;
  readonly file: File;
  readonly key: string;
  state: JobState = 'queued';
  progress: UploadProgress | undefined;
  /** Latest transient note (retrying, credentials refreshed...). */
  note: string | undefined;
  error: ErrorReport | undefined;
  result: DoneReport | undefined;
  /**
   * What the checkpoint kept when the upload last stopped: `'unsaved'` when the browser could
   * not store progress (a resume starts over), `undefined` when not known (never stopped).
   */
  kept: { bytes: number; parts: number } | 'unsaved' | undefined;
  /** When a `retrying` job starts again (ms since the epoch). */
  retryAt: number | undefined;
  readonly #host: JobHost;
  #worker: Worker | undefined;
  #retries = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #partsAtStart = 0;

  constructor(file: File, host: JobHost) {
    this.file = file;
    this.key = `${host.config.keyPrefix}${file.name}`;
    this.#host = host;
  }

  /** Whether the worker is busy (the job counts against the parallel-files limit). */
  get active(): boolean {
    return ACTIVE_STATES.has(this.state);
  }

  /** Starts or resumes the upload (the checkpoint decides which). */
  start(): void {
    if (this.active || this.state === 'done' || this.state === 'cancelled') return;
    this.#clearRetry();
    if (!this.#host.online()) {
      this.#set('offline');
      return;
    }
    this.error = undefined;
    this.note = undefined;
    // What a stop keeps is reported by the stop itself: no stale numbers from an earlier one.
    this.kept = undefined;
    this.#partsAtStart = this.progress?.partsDone ?? 0;
    this.#worker ??= this.#spawn();
    this.#worker.postMessage({
      type: 'start',
      file: this.file,
      key: this.key,
      mode: this.#host.mode(),
      config: this.#host.config,
      apiBase: this.#host.apiBase,
    });
    this.#set('starting');
  }

  /** Queues a paused or failed job again; the page starts it when a slot is free. */
  resume(): void {
    if (this.state !== 'paused' && this.state !== 'failed') return;
    this.error = undefined;
    this.#retries = 0;
    this.#set('queued');
  }

  /** Pauses: requests in flight are cut, stored parts and the checkpoint stay. */
  pause(): void {
    if (this.state === 'queued' || this.state === 'retrying' || this.state === 'offline') {
      this.#clearRetry();
      this.#set('paused');
    } else if (this.active && this.state !== 'pausing' && this.state !== 'cancelling') {
      this.#worker?.postMessage({ type: 'pause', reason: 'paused' });
      this.#set('pausing');
    }
  }

  /** The browser went offline: stop now rather than burning retries, continue when back. */
  wentOffline(): void {
    if (this.state === 'retrying') {
      this.#clearRetry();
      this.#set('offline');
    } else if (this.active && this.state !== 'pausing' && this.state !== 'cancelling') {
      this.#worker?.postMessage({ type: 'pause', reason: 'offline' });
    }
  }

  /** The browser is back online. */
  cameOnline(): void {
    if (this.state === 'offline') this.#set('queued');
  }

  /** Cancels: aborts the multipart upload on the server and forgets the checkpoint. */
  cancel(): void {
    if (this.state === 'done' || this.state === 'cancelled' || this.state === 'cancelling') return;
    this.#clearRetry();
    this.#worker ??= this.#spawn();
    this.#worker.postMessage({ type: 'cancel' });
    this.#set('cancelling');
  }

  /** Ends the worker; for jobs removed from the page. */
  dispose(): void {
    this.#clearRetry();
    this.#worker?.terminate();
    this.#worker = undefined;
  }

  #spawn(): Worker {
    const worker = this.#host.createWorker();
    worker.onmessage = (event: MessageEvent<FromWorker>) => this.#receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.error = {
        kind: 'other',
        title: 'The upload worker crashed',
        detail: event.message || 'See the browser console.',
        retryable: false,
      };
      this.#worker?.terminate();
      this.#worker = undefined;
      this.#set('failed');
    };
    return worker;
  }

  #receive(message: FromWorker): void {
    switch (message.type) {
      case 'progress': {
        this.progress = message.progress;
        if (message.progress.partsDone > this.#partsAtStart) this.#retries = 0;
        if (this.state === 'pausing' || this.state === 'cancelling') break;
        const phase = message.progress.phase;
        this.#set(
          phase === 'completing' ? 'completing' : phase === 'done' ? this.state : 'uploading',
        );
        return;
      }
      case 'note':
        this.note = message.text;
        break;
      case 'done':
        this.result = message.result;
        this.note = undefined;
        this.#worker?.terminate();
        this.#worker = undefined;
        this.#set('done');
        return;
      case 'stopped':
        if (this.state === 'cancelling') return;
        this.kept = message.stored ?? 'unsaved';
        if (this.progress !== undefined && message.stored !== undefined) {
          // Bytes that were in flight are lost: show what a resume will keep.
          this.progress = {
            ...this.progress,
            loaded: message.stored.bytes,
            partsDone: message.stored.parts,
            bytesPerSecond: 0,
          };
        }
        this.#set(message.reason === 'offline' ? 'offline' : 'paused');
        return;
      case 'cancelled':
        this.#worker?.terminate();
        this.#worker = undefined;
        this.note = message.aborted ? 'The parts on the server were deleted.' : undefined;
        this.#set('cancelled');
        return;
      case 'failed':
        this.#failed(message.error);
        return;
    }
    this.#host.changed(this);
  }

  #failed(error: ErrorReport): void {
    this.error = error;
    if (this.state === 'cancelling') {
      this.#set('failed');
      return;
    }
    if (error.retryable && (error.kind === 'offline' || !this.#host.online())) {
      this.#set('offline');
      return;
    }
    if (error.retryable && this.#retries < RETRY_DELAYS_MS.length) {
      const delay = RETRY_DELAYS_MS[this.#retries++]!;
      this.retryAt = Date.now() + delay;
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = undefined;
        this.retryAt = undefined;
        this.#set('queued');
      }, delay);
      this.#set('retrying');
      return;
    }
    this.#set('failed');
  }

  #clearRetry(): void {
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.retryAt = undefined;
  }

  #set(state: JobState): void {
    this.state = state;
    this.#host.changed(this);
  }
}
