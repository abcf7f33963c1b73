import type { ByteSource, ByteSourceReadOptions } from '../byte-source.ts';
import { checkRange, throwIfAborted } from './source-util.ts';

/** Options for {@link fromBytes}. */
export interface FromBytesOptions {
  /**
   * Identity of these bytes for resume, if you can vouch that the same fingerprint always means
   * the same bytes (e.g. a content hash you already have). Default: `undefined`, so an upload
   * of bytes in memory keeps no checkpoint across processes.
   */
  fingerprint?: string;
}

/**
 * Uploads bytes that are already in memory. Reads are views into `bytes` (no copy), so do not
 * modify the array while an upload of it runs.
 *
 * @example
 * await upload(client, { source: fromBytes(new TextEncoder().encode('hello')), bucket, key });
 */
export function fromBytes(bytes: Uint8Array, options: FromBytesOptions = {}): ByteSource {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(
      `fromBytes() needs a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}. Encode strings with TextEncoder first.`,
    );
  }
  const size = bytes.length;
  return {
    size,
    fingerprint: options.fingerprint,
    async read(start: number, end: number, readOptions?: ByteSourceReadOptions) {
      throwIfAborted(readOptions?.signal);
      checkRange(start, end, size);
      return bytes.subarray(start, end);
    },
  };
}
