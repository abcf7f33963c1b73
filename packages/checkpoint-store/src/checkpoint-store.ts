import type { Checkpoint } from './checkpoint.ts';

/** A summary of one stored checkpoint, as {@link CheckpointStore.list} returns it. */
export interface CheckpointSummary {
  /** Checkpoint id (see `checkpointId`). */
  id: string;
  /** Where the upload goes. */
  target: Checkpoint['target'];
  /** The multipart upload the checkpoint belongs to. */
  uploadId: string;
  /** ISO-8601 time of the last write. */
  updatedAt: string;
}

/** Releases a lock taken with {@link CheckpointStore.lock}. Calling it twice is harmless. */
export type CheckpointUnlock = () => Promise<void>;

/**
 * Where the uploader keeps checkpoints. All methods are async so that a file, IndexedDB or a
 * remote service can implement them. Every implementation must pass the shared conformance
 * suite (`describeCheckpointStore` from `@ossup/checkpoint-store/conformance`).
 *
 * Contract:
 * - `get` returns a validated copy (mutating it never changes the store), or undefined when
 *   there is no entry. A corrupt, foreign or future-version entry rejects with a
 *   {@link CheckpointError}, leaving the entry in place for the caller to inspect or delete.
 * - `set` replaces the whole entry atomically: a reader sees the old or the new checkpoint,
 *   never a mix, even if the process dies mid-write.
 * - `delete` of a missing id succeeds.
 * - `list` skips entries it cannot read rather than failing.
 */
export interface CheckpointStore {
  /** Reads and validates the checkpoint `id`; `undefined` when there is none. */
  get(id: string): Promise<Checkpoint | undefined>;
  /** Stores the whole checkpoint atomically, replacing any previous one with its id. */
  set(checkpoint: Checkpoint): Promise<void>;
  /** Deletes the checkpoint `id`; a missing one is not an error. */
  delete(id: string): Promise<void>;
  /** Summaries of every readable checkpoint, to find or clean up unfinished uploads. */
  list(): Promise<CheckpointSummary[]>;
  /**
   * Takes an exclusive lock on one upload so that two processes (or tabs) never drive it at
   * once. Rejects with a {@link CheckpointError} of kind `locked` when another holder has it.
   * Optional: stores that cannot lock leave it out and the uploader proceeds without.
   */
  lock?(id: string): Promise<CheckpointUnlock>;
}
