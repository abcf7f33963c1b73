import type { HeadObjectOutput } from './operation-types.ts';
import { bareEtag, crc64Header } from './response-fields.ts';

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
