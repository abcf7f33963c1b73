/** Where an upload stands; see {@link UploadProgress}. */
export type UploadProgressPhase = 'preparing' | 'uploading' | 'completing' | 'done';

/**
 * A progress report from {@link upload}. Byte counts never go backwards: a part that is sent
 * again after an error counts once, and parts found on the server when resuming count from
 * the first event. It holds no secret, so it may be logged or shown as is.
 */
export interface UploadProgress {
  /**
   * `preparing`: planning, reading the checkpoint, listing parts, initiating.
   * `uploading`: sending parts. `completing`: CompleteMultipartUpload and the final checks.
   * `done`: finished; `loaded === total`.
   */
  phase: UploadProgressPhase;
  /** Bytes stored on the server or on their way, including resumed ones. */
  loaded: number;
  /** Object size; `undefined` for a stream of unknown length until it has ended. */
  total: number | undefined;
  /** Parts acknowledged by the server (including resumed ones). */
  partsDone: number;
  /** Parts in the plan; `undefined` for a stream of unknown length until it has ended. */
  partsTotal: number | undefined;
  /** Recent send rate over the last few seconds of this run (resumed bytes excluded). */
  bytesPerSecond: number;
}

/** Options for {@link ProgressTracker}. */
export interface ProgressTrackerOptions {
  /** Minimum time between two byte-level events; phase changes are always sent. Default 100. */
  intervalMs?: number;
  /** Clock in milliseconds; injectable for tests. Default `Date.now`. */
  now?: () => number;
  /** Called when the listener throws, so a buggy progress bar never breaks an upload. */
  onListenerError?: (error: unknown) => void;
}

const SPEED_WINDOW_MS = 5_000;

/**
 * Turns per-attempt byte counts of many parts into one monotonic, throttled progress stream.
 * Each in-flight part counts the most bytes any of its attempts reported (a retry starting
 * again from 0 changes nothing), capped at the part's size.
 */
export class ProgressTracker {
  readonly #listener: ((progress: UploadProgress) => void) | undefined;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #onListenerError: ((error: unknown) => void) | undefined;
  #phase: UploadProgressPhase = 'preparing';
  #total: number | undefined;
  #partsTotal: number | undefined;
  #resumedBytes = 0;
  #doneBytes = 0;
  #partsDone = 0;
  readonly #inflight = new Map<number, number>();
  #inflightBytes = 0;
  #lastLoaded = -1;
  #lastEmit = Number.NEGATIVE_INFINITY;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastPartsDone = 0;
  #closed = false;
  readonly #samples: { time: number; bytes: number }[] = [];

  constructor(
    listener: ((progress: UploadProgress) => void) | undefined,
    options: ProgressTrackerOptions = {},
  ) {
    this.#listener = listener;
    this.#intervalMs = options.intervalMs ?? 100;
    this.#now = options.now ?? Date.now;
    this.#onListenerError = options.onListenerError;
  }

  /** Bytes counted so far (stored or in flight, resumed included). */
  get loaded(): number {
    return this.#resumedBytes + this.#doneBytes + this.#inflightBytes;
  }

  /** Sets the totals once they are known (at once for a sized source, at the end for a stream). */
  setTotals(total: number | undefined, partsTotal: number | undefined): void {
    this.#total = total;
    this.#partsTotal = partsTotal;
  }

  /** Counts bytes already on the server before this run (resume); they add no speed. */
  addResumed(bytes: number, parts: number): void {
    this.#resumedBytes += bytes;
    this.#partsDone += parts;
    // Reported like sent bytes: parts read back and verified on resume may be all that moves
    // for a while (a bar stuck at 0 while a large file is checked looks hung).
    this.#emit(false);
  }

  /** Moves to another phase and reports it at once. */
  setPhase(phase: UploadProgressPhase): void {
    this.#phase = phase;
    this.#emit(true);
  }

  /** Body bytes sent so far by the current attempt of a part. */
  partProgress(partNumber: number, sentBytes: number, partSize: number): void {
    const sent = Math.min(Math.max(0, sentBytes), partSize);
    const before = this.#inflight.get(partNumber) ?? 0;
    if (sent <= before) return;
    this.#inflight.set(partNumber, sent);
    this.#inflightBytes += sent - before;
    this.#emit(false);
  }

  /** A part was acknowledged (or verified on the server): it counts in full from now on. */
  partDone(partNumber: number, partSize: number): void {
    const before = this.#inflight.get(partNumber) ?? 0;
    this.#inflight.delete(partNumber);
    this.#inflightBytes -= before;
    this.#doneBytes += partSize;
    this.#partsDone++;
    this.#emit(false);
  }

  /** Stops the pending timer; no event is sent afterwards. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #speed(now: number, sessionBytes: number): number {
    const samples = this.#samples;
    samples.push({ time: now, bytes: sessionBytes });
    while (samples.length > 2 && now - samples[0]!.time > SPEED_WINDOW_MS) samples.shift();
    const first = samples[0]!;
    const span = now - first.time;
    return span > 0 ? Math.round(((sessionBytes - first.bytes) * 1000) / span) : 0;
  }

  #emit(force: boolean): void {
    if (this.#closed || this.#listener === undefined) return;
    const now = this.#now();
    if (!force) {
      // A part acknowledged after its last byte was reported changes no byte count, only
      // partsDone: it must still be reported (it used to wait for the next byte of another
      // part, which could be a long time when that part is slow).
      const unchanged = this.loaded === this.#lastLoaded && this.#partsDone === this.#lastPartsDone;
      if (unchanged && this.#timer === undefined) return;
      const wait = this.#lastEmit + this.#intervalMs - now;
      if (wait > 0) {
        // Trailing event, so the last bytes of a burst are reported even if nothing follows.
        this.#timer ??= setTimeout(() => {
          this.#timer = undefined;
          this.#emit(false);
        }, wait);
        return;
      }
    }
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#lastEmit = now;
    const loaded = this.loaded;
    this.#lastLoaded = loaded;
    this.#lastPartsDone = this.#partsDone;
    const event: UploadProgress = {
      phase: this.#phase,
      loaded,
      total: this.#total,
      partsDone: this.#partsDone,
      partsTotal: this.#partsTotal,
      bytesPerSecond: this.#speed(now, loaded - this.#resumedBytes),
    };
    try {
      this.#listener(event);
    } catch (error) {
      this.#onListenerError?.(error);
    }
  }
}
