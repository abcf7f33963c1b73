/** Which textual format a {@link ChecksumFormatError} was about. */
export type ChecksumFormat = 'crc64' | 'hex' | 'base64' | 'etag';

const MAX_SHOWN = 48;

/**
 * Thrown when a checksum given as text cannot be decoded: a CRC-64 that is not an unsigned
 * decimal in 0..2^64-1, hex or Base64 that is malformed, or a part ETag that is not 32 hex
 * digits. It extends `RangeError`, so `catch (e) { if (e instanceof RangeError) … }` also works.
 *
 * Values like these usually come from a response header or an XML body, so a caller that
 * receives one from the network should treat it as a protocol error (the server sent something
 * that is not a checksum), not as a mismatch.
 */
export class ChecksumFormatError extends RangeError {
  /** The format that was expected. */
  readonly format: ChecksumFormat;
  /** The rejected input, cut to 48 characters (checksums are not secret). */
  readonly input: string;

  /**
   * @param format - the format that was expected
   * @param input - the rejected text (stored and shown cut to 48 characters)
   * @param problem - what is wrong with it, e.g. "has a non-digit character"
   */
  constructor(format: ChecksumFormat, input: string, problem: string) {
    const shown = input.length > MAX_SHOWN ? `${input.slice(0, MAX_SHOWN)}…` : input;
    super(`Invalid ${describe(format)} ${JSON.stringify(shown)}: ${problem}.`);
    this.name = 'ChecksumFormatError';
    this.format = format;
    this.input = shown;
  }
}

function describe(format: ChecksumFormat): string {
  switch (format) {
    case 'crc64':
      return 'CRC-64 value';
    case 'hex':
      return 'hex string';
    case 'base64':
      return 'Base64 string';
    case 'etag':
      return 'part ETag';
  }
}

/**
 * Thrown by {@link createMd5} when `implementation: 'node-crypto'` is asked for but the runtime
 * has no usable `node:crypto` MD5 (a browser, or a FIPS-mode Node where MD5 is disabled).
 * Use `implementation: 'auto'` (the default) to fall back to the portable implementation.
 */
export class Md5UnavailableError extends Error {
  /** The implementation that was asked for and is missing. */
  readonly implementation: 'node-crypto';

  /** @param reason - why it is unavailable, shown in the message */
  constructor(reason: string) {
    super(
      `MD5 through node:crypto is not available here (${reason}). ` +
        "Use implementation: 'auto' or 'portable' instead.",
    );
    this.name = 'Md5UnavailableError';
    this.implementation = 'node-crypto';
  }
}
