import { UsageError } from './usage-error.ts';

/** A parsed `oss://bucket/key` location. `key` is `''` for a bare bucket. */
export interface OssUrl {
  /** Bucket name. */
  bucket: string;
  /** Object key, verbatim; `''` for a bare bucket. */
  key: string;
}

const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/**
 * Parses `oss://bucket[/key]`. The key is taken verbatim (no percent-decoding: what you type
 * is the key), so `oss://b/a%20b` names the key `a%20b`.
 *
 * @param what - how the argument is called in messages, e.g. `destination`.
 * @throws {@link UsageError} naming the argument, what is wrong and the expected form.
 */
export function parseOssUrl(text: string, what = 'location'): OssUrl {
  const m = /^oss:\/\/([^/]*)(?:\/(.*))?$/s.exec(text);
  if (!m) {
    throw new UsageError(
      `${what} "${text}" is not an oss:// URL. Write it as oss://<bucket>/<key>.`,
    );
  }
  const bucket = m[1] ?? '';
  const key = m[2] ?? '';
  if (!BUCKET.test(bucket)) {
    throw new UsageError(
      `${what} "${text}": "${bucket}" is not a valid bucket name (3-63 characters: lower-case letters, digits and '-', not starting or ending with '-').`,
    );
  }
  if (new TextEncoder().encode(key).length > 1023) {
    throw new UsageError(
      `${what} "${text.slice(0, 60)}…": the key is longer than 1023 bytes, the OSS limit.`,
    );
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(key)) {
    throw new UsageError(
      `${what}: the key contains control characters; OSS keys cannot hold them on the command line.`,
    );
  }
  if (key.startsWith('/')) {
    throw new UsageError(
      `${what} "${text}": keys cannot start with '/'. Write oss://${bucket}/${key.replace(/^\/+/, '')}.`,
    );
  }
  return { bucket, key };
}

/** Formats a location back to `oss://bucket/key`. */
export function formatOssUrl(url: OssUrl): string {
  return `oss://${url.bucket}/${url.key}`;
}
