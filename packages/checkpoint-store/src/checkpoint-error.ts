/** Why a stored checkpoint could not be used. */
export type CheckpointErrorKind =
  /** Not valid JSON, or a field is missing or has the wrong type. */
  | 'corrupt'
  /** Valid JSON, but not an ossup checkpoint. */
  | 'foreign'
  /** Written by a newer ossup whose schema this version does not know. */
  | 'future-version'
  /** The checkpoint is locked by another process or tab driving the same upload. */
  | 'locked';

/**
 * A checkpoint could not be read or used. The uploader, by default, reports it and starts
 * afresh; the message says which file or entry and what to do.
 */
export class CheckpointError extends Error {
  /** Always `'CheckpointError'`, so `error.name` identifies it in logs. */
  override readonly name = 'CheckpointError';
  /** What kind of problem this is. */
  readonly kind: CheckpointErrorKind;
  /** Checkpoint id or storage location concerned, when known. */
  readonly checkpointId: string | undefined;

  constructor(
    kind: CheckpointErrorKind,
    message: string,
    options?: { checkpointId?: string; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.checkpointId = options?.checkpointId;
  }
}
