import {
  CHECKPOINT_VERSION,
  type Checkpoint,
  type CheckpointPart,
  type CheckpointStore,
} from '@ossup/checkpoint-store';
import type { UploadContext } from './upload-context.ts';
import type { UploadedPart } from './upload-options.ts';

/** What {@link uploadCheckpointWriter} records about an upload. */
export interface UploadCheckpointFields {
  store: CheckpointStore;
  id: string;
  uploadId: string;
  endpoint: string;
  fingerprint: string;
  identity: string | undefined;
  size: number;
  partSize: number;
  createdAt: string;
  /**
   * Set when resuming: the entry exists; `parts` are kept, and `pending` are recorded parts
   * still being read back and compared (they stay recorded until that settles, so a crash
   * meanwhile loses nothing the checkpoint knew).
   */
  resumed?: { parts: readonly UploadedPart[]; pending: readonly CheckpointPart[] } | undefined;
}

/**
 * The writer of an `upload()`'s checkpoint: failed writes become `checkpoint-write-failed`
 * warnings (the upload goes on). Here rather than in the uploader so that uploads without a
 * checkpoint store never load it.
 */
export function uploadCheckpointWriter(
  ctx: UploadContext,
  f: UploadCheckpointFields,
): CheckpointWriter {
  return new CheckpointWriter(
    f.store,
    {
      version: CHECKPOINT_VERSION,
      id: f.id,
      uploadId: f.uploadId,
      target: { endpoint: f.endpoint, bucket: ctx.bucket, key: ctx.key },
      source: {
        fingerprint: f.fingerprint,
        ...(f.identity === undefined ? {} : { identity: f.identity }),
        size: f.size,
      },
      partSize: f.partSize,
      createdAt: f.createdAt,
    },
    [...(f.resumed?.pending ?? []), ...(f.resumed?.parts ?? []).map(checkpointPart)],
    (cause) =>
      ctx.warn({
        code: 'checkpoint-write-failed',
        message: `Could not write checkpoint ${f.id}; the upload goes on, but after a crash more parts would be sent again.`,
        checkpointId: f.id,
        uploadId: f.uploadId,
        cause,
      }),
    undefined,
    f.resumed !== undefined,
  );
}

/** An uploaded part as a checkpoint records it (the CRC-64 as a decimal string). */
export function checkpointPart(part: UploadedPart): CheckpointPart {
  return {
    partNumber: part.partNumber,
    etag: part.etag,
    size: part.size,
    ...(part.crc64 === undefined ? {} : { crc64: part.crc64.toString() }),
  };
}

/**
 * Keeps a checkpoint in its store up to date while parts complete, without flooding the
 * store: at most one `set` is in flight, and when it finishes the next one writes the latest
 * state (all intermediate states are skipped). A slow store therefore costs a few more
 * re-uploaded parts after a crash, never a queue of writes.
 */
export class CheckpointWriter {
  readonly #store: CheckpointStore;
  readonly #onError: (error: unknown) => void;
  readonly #now: () => Date;
  readonly #base: Omit<Checkpoint, 'parts' | 'updatedAt'>;
  readonly #parts = new Map<number, CheckpointPart>();
  #dirty = false;
  #writing: Promise<void> | undefined;
  #closed = false;
  #persisted: boolean;
  #idle: (() => void)[] = [];

  constructor(
    store: CheckpointStore,
    base: Omit<Checkpoint, 'parts' | 'updatedAt'>,
    parts: readonly CheckpointPart[],
    onError: (error: unknown) => void,
    now: () => Date = () => new Date(),
    persisted = false,
  ) {
    this.#persisted = persisted;
    this.#store = store;
    this.#base = base;
    this.#onError = onError;
    this.#now = now;
    for (const p of parts) this.#parts.set(p.partNumber, { ...p });
  }

  /** The checkpoint id. */
  get id(): string {
    return this.#base.id;
  }

  /**
   * Whether the store holds an entry for this upload: one was there to begin with (resuming),
   * or a write succeeded. When not, a failed upload cannot be resumed from it, so it must not
   * be kept on the promise of a checkpoint.
   */
  get persisted(): boolean {
    return this.#persisted;
  }

  /** The state to write: the fixed fields plus every part known so far, ascending. */
  snapshot(): Checkpoint {
    const parts = [...this.#parts.values()].sort((a, b) => a.partNumber - b.partNumber);
    return { ...this.#base, parts, updatedAt: this.#now().toISOString() };
  }

  /** Records a part the server acknowledged and schedules a write. */
  addPart(part: UploadedPart): void {
    this.#parts.set(part.partNumber, checkpointPart(part));
    this.schedule();
  }

  /** Schedules a write of the current state (coalesced with any write in flight). */
  schedule(): void {
    if (this.#closed) return;
    this.#dirty = true;
    this.#pump();
  }

  /** Resolves once everything recorded so far is written (or has failed and been reported). */
  flush(): Promise<void> {
    if (!this.#dirty && this.#writing === undefined) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /**
   * Stops writing and waits for a write in flight, so that a later `delete` of the checkpoint
   * cannot be undone by a write landing after it. Pending changes are dropped.
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#dirty = false;
    await this.#writing;
  }

  #pump(): void {
    if (this.#writing !== undefined) return;
    if (!this.#dirty || this.#closed) {
      const idle = this.#idle;
      this.#idle = [];
      for (const resolve of idle) resolve();
      return;
    }
    this.#dirty = false;
    const snapshot = this.snapshot();
    this.#writing = this.#store
      .set(snapshot)
      .then(() => {
        this.#persisted = true;
      })
      .catch((error: unknown) => this.#onError(error))
      .finally(() => {
        this.#writing = undefined;
        this.#pump();
      });
  }
}
