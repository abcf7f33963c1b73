import { describe, expect, it } from 'vitest';
import { CheckpointStorageError, isQuotaError } from './checkpoint-storage-error.ts';

describe('isQuotaError', () => {
  it('recognises the quota errors of every engine', () => {
    expect(isQuotaError(new DOMException('full', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError({ name: 'NS_ERROR_DOM_QUOTA_REACHED' })).toBe(true);
    expect(isQuotaError({ name: 'Error', code: 22 })).toBe(true);
    expect(isQuotaError({ name: 'Error', code: 1014 })).toBe(true);
  });

  it('does not mistake other errors for one', () => {
    expect(isQuotaError(new DOMException('no', 'SecurityError'))).toBe(false);
    expect(isQuotaError(new Error('QuotaExceededError'))).toBe(false);
    expect(isQuotaError('QuotaExceededError')).toBe(false);
    expect(isQuotaError(null)).toBe(false);
  });
});

describe('CheckpointStorageError', () => {
  it('carries what a caller branches on', () => {
    const cause = new DOMException('full', 'QuotaExceededError');
    const e = new CheckpointStorageError('quota-exceeded', 'indexedDB', 'Storage is full.', {
      checkpointId: 'abc',
      cause,
    });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('CheckpointStorageError');
    expect(e.reason).toBe('quota-exceeded');
    expect(e.storage).toBe('indexedDB');
    expect(e.checkpointId).toBe('abc');
    expect(e.cause).toBe(cause);
    expect(
      new CheckpointStorageError('unavailable', 'localStorage', 'x').checkpointId,
    ).toBeUndefined();
  });
});
