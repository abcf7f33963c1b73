/** Why a browser checkpoint store could not reach or write its storage. */
export type CheckpointStorageErrorReason =
  /** The browser's storage quota for this site is used up; nothing was written. */
  | 'quota-exceeded'
  /**
   * The storage cannot be used at all: IndexedDB or localStorage is missing, disabled by
   * the user or a policy, or blocked in this context (some private modes, sandboxed frames).
   */
  | 'unavailable'
  /** The storage refused the operation for another reason; `cause` holds the browser's error. */
  | 'failed';

/**
 * The medium behind a browser checkpoint store failed: it is full, switched off, or broke.
 * Unlike a `CheckpointError` this says nothing about the checkpoint itself; the same
 * checkpoint may well save once space is freed or another store is used. The message names
 * the storage, the checkpoint and what to do.
 */
export class CheckpointStorageError extends Error {
  /** Always `'CheckpointStorageError'`, for `error.name` checks across realms. */
  override readonly name = 'CheckpointStorageError';
  /** What went wrong, so a caller can branch without parsing the message. */
  readonly reason: CheckpointStorageErrorReason;
  /** Which storage failed. */
  readonly storage: 'indexedDB' | 'localStorage';
  /** The checkpoint being read or written, when the failure concerned one. */
  readonly checkpointId: string | undefined;

  constructor(
    reason: CheckpointStorageErrorReason,
    storage: 'indexedDB' | 'localStorage',
    message: string,
    options?: { checkpointId?: string; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.storage = storage;
    this.checkpointId = options?.checkpointId;
  }
}

/**
 * Recognises a quota error across engines: the standard `QuotaExceededError` name, Firefox's
 * older `NS_ERROR_DOM_QUOTA_REACHED`, and the legacy numeric codes (22, 1014) some engines use.
 */
export function isQuotaError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: unknown; code?: unknown };
  return (
    e.name === 'QuotaExceededError' ||
    e.name === 'NS_ERROR_DOM_QUOTA_REACHED' ||
    e.code === 22 ||
    e.code === 1014
  );
}

/** Names a browser error for a message: `QuotaExceededError: ...`, without its stack. */
export function describeError(error: unknown): string {
  const e = error as { name?: unknown; message?: unknown } | null | undefined;
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  const message = typeof e?.message === 'string' && e.message !== '' ? `: ${e.message}` : '';
  return `${name}${message}`;
}
