import type { ErrorResponseContext } from './error-mapping.ts';
import { missingHeaderError } from './missing-header-error.ts';
import type { OperationResponse } from './request-executor.ts';

/**
 * ETag without quotes (and without a weak `W/` prefix a proxy may add), in the form
 * `normalizeEtag` of `@ossup/xml-protocol` gives: trimmed, `&quot;` (as copied out of raw XML)
 * read as `"`, one leading and one trailing quote removed, case kept. Written out here rather
 * than imported, because importing anything from that package would put its XML reader in the
 * browser core (see on-demand.ts).
 */
export function bareEtag(value: string): string {
  let etag = value.trim();
  if (etag.startsWith('W/')) etag = etag.slice(2).trim();
  if (etag.includes('&')) etag = etag.replace(/&quot;|&#34;|&#x22;/gi, '"');
  if (etag.startsWith('"')) etag = etag.slice(1);
  if (etag.endsWith('"')) etag = etag.slice(0, -1);
  return etag;
}

/**
 * Reads `x-oss-hash-crc64ecma` (unsigned decimal). `undefined` when absent, or when the
 * value is not a valid unsigned 64-bit number (a mangled header is treated as missing
 * rather than as a mismatch).
 */
export function crc64Header(headers: Headers): bigint | undefined {
  const value = headers.get('x-oss-hash-crc64ecma');
  if (value === null || !/^\d{1,20}$/.test(value.trim())) return undefined;
  const crc = BigInt(value.trim());
  return crc <= 0xffff_ffff_ffff_ffffn ? crc : undefined;
}

/**
 * ETag, CRC-64 and request id of a PUT that stored a body (PutObject, UploadPart). Without an
 * ETag the part cannot be completed, so its absence is an error (in a browser: CORS).
 */
export function storedBodyFields(
  response: OperationResponse,
  context: Omit<ErrorResponseContext, 'url'>,
): { etag: string; crc64: bigint | undefined; requestId: string | undefined } {
  const etag = response.headers.get('etag');
  if (etag === null) {
    throw missingHeaderError('ETag', response.status, response.headers, {
      ...context,
      url: response.url,
    });
  }
  return {
    etag: bareEtag(etag),
    crc64: crc64Header(response.headers),
    requestId: response.requestId,
  };
}
