// Small checks shared by the sources.

/** Rejects with the signal's reason when it is already aborted, as every async API should. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/** Validates a half-open range against a known size. */
export function checkRange(start: number, end: number, size: number | undefined): void {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(
      `Invalid byte range [${start}, ${end}): start and end must be whole numbers with 0 <= start <= end.`,
    );
  }
  if (size !== undefined && end > size) {
    throw new RangeError(
      `Byte range [${start}, ${end}) runs past the end of the ${size}-byte source.`,
    );
  }
}
