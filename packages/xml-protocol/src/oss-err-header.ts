import { DEFAULT_MAX_ERROR_BYTES, type XmlParseOptions } from './limits.ts';
import { buildOssError, type OssErrorDocument, parseOssErrorBody } from './oss-error-document.ts';

/**
 * Reads the `x-oss-err` response header: Base64 of the same `<Error>` XML a body would carry.
 * OSS (and our dev server) sends it where the body must be empty, i.e. on HEAD errors; whether
 * the real service sends it on every HEAD error is UNVERIFIED (protocol §4.0). Lenient like
 * {@link parseOssErrorBody}: `undefined` for a missing, non-Base64 or non-error value.
 *
 * @param value - the header value (`response.headers.get('x-oss-err')`)
 * @param options - limits; `maxBytes` (of the decoded XML) defaults to 1 MiB
 */
export function parseOssErrHeader(
  value: string | null | undefined,
  options?: XmlParseOptions,
): OssErrorDocument | undefined {
  if (typeof value !== 'string') return undefined;
  const maxBytes = options?.maxBytes ?? DEFAULT_MAX_ERROR_BYTES;
  const compact = value.trim();
  // Base64 is 4/3 of the bytes; refuse an oversized header before decoding it.
  if (compact === '' || compact.length > Math.ceil(maxBytes / 3) * 4 + 4) return undefined;
  let binary: string;
  try {
    binary = atob(compact);
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  let xml: string;
  try {
    xml = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  return parseOssErrorBody(xml, { ...options, maxBytes });
}

/**
 * Builds an `x-oss-err` header value for a HEAD error response: Base64 of the UTF-8 bytes of
 * {@link buildOssError}'s document.
 */
export function buildOssErrHeader(doc: OssErrorDocument): string {
  const bytes = new TextEncoder().encode(buildOssError(doc));
  let binary = '';
  // Chunked so that String.fromCharCode never gets more arguments than the engine allows.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
