/** What {@link ObjectTooLargeError} carries so a caller can explain the failure or retry differently. */
export interface ObjectTooLargeDetails {
  /** The object size asked for, or the bytes a stream has produced so far. */
  readonly size: number;
  /** The most bytes the plan (or the limits) can hold. */
  readonly maxSize: number;
  /** The part size the limit was computed with. */
  readonly partSize: number;
  /** The part count the limit was computed with. */
  readonly maxParts: number;
}

/**
 * Thrown when data cannot fit into one multipart upload: a known size above
 * `maxParts × maxPartSize` (or `maxObjectSize`), or a stream that has produced more bytes than
 * its {@link StreamPartPlan} can carry.
 *
 * It is a `RangeError`, so `instanceof RangeError` checks keep working; the fields say by how
 * much the data is too large. The message says what to do (split the data, or plan the stream
 * with a larger part size).
 */
export class ObjectTooLargeError extends RangeError implements ObjectTooLargeDetails {
  /** Always `'ObjectTooLargeError'`, so `error.name` identifies it in logs. */
  override readonly name = 'ObjectTooLargeError';
  readonly size: number;
  readonly maxSize: number;
  readonly partSize: number;
  readonly maxParts: number;

  /** Built by the planner; the message is complete and meant for end users. */
  constructor(message: string, details: ObjectTooLargeDetails) {
    super(message);
    this.size = details.size;
    this.maxSize = details.maxSize;
    this.partSize = details.partSize;
    this.maxParts = details.maxParts;
  }
}

/**
 * Thrown by {@link parseByteSize} for text that is not a byte size (garbage, an unknown or
 * ambiguous unit, a negative or fractional number of bytes, a value above
 * `Number.MAX_SAFE_INTEGER`). `input` is the text that was given, so a CLI can echo it.
 */
export class InvalidByteSizeError extends RangeError {
  /** Always `'InvalidByteSizeError'`, so `error.name` identifies it in logs. */
  override readonly name = 'InvalidByteSizeError';
  /** The rejected input, as given. */
  readonly input: string;

  /** Built by {@link parseByteSize}; the message says what is wrong and shows valid forms. */
  constructor(message: string, input: string) {
    super(message);
    this.input = input;
  }
}
