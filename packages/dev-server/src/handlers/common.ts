import { invalidArgument, invalidObjectName, objectNameTooLong } from '../error-codes.ts';
import type { ParsedQuery } from '../http/query.ts';
import type { ObjectRecord, StoredHeaders } from '../storage/records.ts';

/** `2023-11-22T05:45:57.000Z`, the XML timestamp format. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

/** `Fri, 24 Feb 2017 03:15:40 GMT`, the header timestamp format. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** Current time truncated to whole seconds (OSS reports seconds). */
export function nowSeconds(now: number): number {
  return Math.floor(now / 1000) * 1000;
}

const utf8 = new TextEncoder();

/** Checks an object key against OSS's rules (§5.1). */
export function validateKey(key: string): void {
  if (key.length === 0) throw invalidObjectName();
  if (utf8.encode(key).byteLength > 1023) throw objectNameTooLong();
  if (key.startsWith('/') || key.startsWith('\\')) {
    throw invalidObjectName('The object name must not start with "/" or "\\".');
  }
}

/** `encoding-type` parameter: only `url` exists. */
export function encodingTypeOf(query: ParsedQuery): 'url' | undefined {
  const v = query.get('encoding-type');
  if (v === undefined || v === '') return undefined;
  if (v.toLowerCase() === 'url') return 'url';
  throw invalidArgument('The encoding-type parameter must be url.', 'encoding-type', v);
}

/** Parses an integer query parameter within [min, max], else InvalidArgument. */
export function intParam(
  query: ParsedQuery,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const v = query.get(name);
  if (v === undefined || v === '') return fallback;
  if (!/^\d{1,10}$/.test(v) || Number(v) < min || Number(v) > max) {
    throw invalidArgument(
      `Argument ${name} must be an integer between ${min} and ${max}.`,
      name,
      v,
    );
  }
  return Number(v);
}

const STORAGE_CLASSES = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'];
const ACLS = ['default', 'private', 'public-read', 'public-read-write'];
const PLAIN_STORED = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
];

/**
 * The headers of a PutObject / InitiateMultipartUpload request that become the object's:
 * Content-Type (default `application/octet-stream`), the plain entity headers,
 * `x-oss-meta-*`, storage class, ACL and tagging.
 */
export function storedHeadersFrom(headers: Readonly<Record<string, string>>): StoredHeaders {
  const out: Record<string, string> = {
    'content-type': headers['content-type'] || 'application/octet-stream',
  };
  for (const name of PLAIN_STORED) {
    const v = headers[name];
    if (v !== undefined) out[name] = v;
  }
  for (const [name, v] of Object.entries(headers)) {
    if (name.startsWith('x-oss-meta-')) out[name] = v;
  }
  const sc = headers['x-oss-storage-class'];
  if (sc !== undefined) {
    const match = STORAGE_CLASSES.find((c) => c.toLowerCase() === sc.toLowerCase());
    if (match === undefined) {
      throw invalidArgument('Invalid storage class.', 'x-oss-storage-class', sc);
    }
    out['x-oss-storage-class'] = match;
  }
  const acl = objectAclOf(headers);
  if (acl !== undefined) out['x-oss-object-acl'] = acl;
  const tagging = headers['x-oss-tagging'];
  if (tagging !== undefined) out['x-oss-tagging'] = tagging;
  return out;
}

/** The `x-oss-object-acl` header, checked (InvalidArgument for an unknown ACL). */
export function objectAclOf(headers: Readonly<Record<string, string>>): string | undefined {
  const acl = headers['x-oss-object-acl'];
  if (acl !== undefined && !ACLS.includes(acl)) {
    throw invalidArgument('Invalid object acl.', 'x-oss-object-acl', acl);
  }
  return acl;
}

/** `x-oss-forbid-overwrite: true` (case-insensitive). */
export function forbidOverwrite(headers: Readonly<Record<string, string>>): boolean {
  return headers['x-oss-forbid-overwrite']?.trim().toLowerCase() === 'true';
}

/** Storage class of an object or upload. */
export function storageClassOf(headers: StoredHeaders): string {
  return headers['x-oss-storage-class'] ?? 'Standard';
}

/** Response headers describing an object (GetObject, HeadObject). */
export function objectHeaders(obj: ObjectRecord): Record<string, string | number> {
  const h: Record<string, string | number> = {
    'Content-Type': obj.headers['content-type'] ?? 'application/octet-stream',
    ETag: `"${obj.etag}"`,
    'Last-Modified': httpDate(obj.lastModified),
    'Accept-Ranges': 'bytes',
    'x-oss-object-type': obj.type,
    'x-oss-storage-class': storageClassOf(obj.headers),
    'x-oss-hash-crc64ecma': obj.crc64,
  };
  if (obj.contentMd5 !== undefined) h['Content-MD5'] = obj.contentMd5;
  for (const [name, v] of Object.entries(obj.headers)) {
    if (name.startsWith('x-oss-meta-') || PLAIN_STORED.includes(name)) h[name] = v;
  }
  const tagging = obj.headers['x-oss-tagging'];
  if (tagging !== undefined && tagging !== '') {
    h['x-oss-tagging-count'] = tagging.split('&').filter((t) => t !== '').length;
  }
  return h;
}

/** The fixed owner reported in listings. */
export const OWNER = { id: '1000000000000000', displayName: '1000000000000000' } as const;
