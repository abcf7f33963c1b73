import { normalizeEtag } from '@ossup/xml-protocol';
import { type ErrorResponseContext, missingHeaderError } from './error-mapping.ts';
import type { HeadObjectOutput } from './operation-types.ts';
import type { OperationResponse } from './request-executor.ts';

/** ETag without quotes (and without a weak `W/` prefix a proxy may add). */
export function bareEtag(value: string): string {
  const trimmed = value.trim();
  return normalizeEtag(trimmed.startsWith('W/') ? trimmed.slice(2) : trimmed);
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

/** All response headers as a record with lower-case names. */
export function headerRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}

/** `x-oss-meta-*` headers, prefix removed, names lower-case as OSS returns them. */
export function metaFromHeaders(headers: Headers): Record<string, string> {
  const meta: Record<string, string> = {};
  headers.forEach((value, name) => {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-oss-meta-')) meta[lower.slice('x-oss-meta-'.length)] = value;
  });
  return meta;
}

/** The fields shared by HeadObject and GetObject. */
export function objectHeaders(headers: Headers, requestId: string | undefined): HeadObjectOutput {
  const length = headers.get('content-length');
  const etag = headers.get('etag');
  return {
    size: length === null ? 0 : Number(length),
    etag: etag === null ? '' : bareEtag(etag),
    crc64: crc64Header(headers),
    contentType: headers.get('content-type') ?? undefined,
    lastModified: headers.get('last-modified') ?? undefined,
    objectType: headers.get('x-oss-object-type') ?? undefined,
    meta: metaFromHeaders(headers),
    headers: headerRecord(headers),
    requestId,
  };
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
