/**
 * Headers stored with an object (given on PutObject or InitiateMultipartUpload) and
 * returned by GetObject/HeadObject. Names are the lower-cased HTTP header names.
 */
export interface StoredHeaders {
  /** `content-type`, `cache-control`, `content-disposition`, ..., and every `x-oss-meta-*`. */
  readonly [name: string]: string;
}

/** One data file backing (part of) an object. */
export interface Segment {
  /** Data file id (file `data/<id>` in the bucket directory). */
  readonly id: string;
  /** Bytes in the file. */
  readonly size: number;
}

/** An object's metadata as kept on disk and in memory. */
export interface ObjectRecord {
  readonly key: string;
  readonly size: number;
  /** Upper-case hex, without quotes (multipart: `<hex>-<count>`). */
  readonly etag: string;
  /** CRC-64/XZ of the whole object, unsigned decimal. */
  readonly crc64: string;
  /** Base64 MD5 of the whole object; only known for `Normal` objects. */
  readonly contentMd5: string | undefined;
  readonly type: 'Normal' | 'Multipart';
  /** Milliseconds since the epoch (whole seconds, as OSS reports them). */
  readonly lastModified: number;
  readonly headers: StoredHeaders;
  /** Data files whose concatenation is the object's bytes, in order. */
  readonly segments: readonly Segment[];
  /** For objects made by CompleteMultipartUpload: the upload they came from. */
  readonly uploadId: string | undefined;
}

/** A multipart upload in progress. */
export interface UploadRecord {
  readonly uploadId: string;
  readonly key: string;
  /** Milliseconds since the epoch. */
  readonly initiated: number;
  /** Headers given at Initiate; they become the object's at Complete. */
  readonly headers: StoredHeaders;
}

/** An uploaded part. */
export interface PartRecord {
  readonly partNumber: number;
  readonly size: number;
  /** Upper-case hex MD5, without quotes. */
  readonly etag: string;
  /** CRC-64/XZ of the part, unsigned decimal. */
  readonly crc64: string;
  /** Milliseconds since the epoch. */
  readonly lastModified: number;
  /** Data file id. */
  readonly dataId: string;
}

/** A bucket's metadata. */
export interface BucketRecord {
  readonly name: string;
  /** Milliseconds since the epoch. */
  readonly created: number;
}

// The loaders below check shape strictly: files are written atomically, so a file that does
// not parse is not ours (or the disk is damaged) and is skipped rather than trusted.

type Json = Record<string, unknown>;

const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isId = (v: unknown): v is string => isStr(v) && /^[0-9a-f]{32}$/.test(v);
const isCrc = (v: unknown): v is string => isStr(v) && /^\d{1,20}$/.test(v);

function headersOf(v: unknown): StoredHeaders | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (!isStr(val)) return undefined;
    out[k] = val;
  }
  return out;
}

/** Validates a parsed object metadata file. */
export function toObjectRecord(j: Json): ObjectRecord | undefined {
  const headers = headersOf(j['headers']);
  const segs = j['segments'];
  if (
    !isStr(j['key']) ||
    !isNum(j['size']) ||
    !isStr(j['etag']) ||
    !isCrc(j['crc64']) ||
    !(j['type'] === 'Normal' || j['type'] === 'Multipart') ||
    !isNum(j['lastModified']) ||
    headers === undefined ||
    !Array.isArray(segs)
  ) {
    return undefined;
  }
  const segments: Segment[] = [];
  for (const s of segs as unknown[]) {
    const seg = s as Json;
    if (typeof s !== 'object' || s === null || !isId(seg['id']) || !isNum(seg['size'])) {
      return undefined;
    }
    segments.push({ id: seg['id'], size: seg['size'] });
  }
  return {
    key: j['key'],
    size: j['size'],
    etag: j['etag'],
    crc64: j['crc64'],
    contentMd5: isStr(j['contentMd5']) ? j['contentMd5'] : undefined,
    type: j['type'],
    lastModified: j['lastModified'],
    headers,
    segments,
    uploadId: isStr(j['uploadId']) ? j['uploadId'] : undefined,
  };
}

/** Validates a parsed upload metadata file. */
export function toUploadRecord(j: Json): UploadRecord | undefined {
  const headers = headersOf(j['headers']);
  if (!isStr(j['uploadId']) || !isStr(j['key']) || !isNum(j['initiated']) || !headers) {
    return undefined;
  }
  return { uploadId: j['uploadId'], key: j['key'], initiated: j['initiated'], headers };
}

/** Validates a parsed part metadata file. */
export function toPartRecord(j: Json): PartRecord | undefined {
  if (
    !isNum(j['partNumber']) ||
    !isNum(j['size']) ||
    !isStr(j['etag']) ||
    !isCrc(j['crc64']) ||
    !isNum(j['lastModified']) ||
    !isId(j['dataId'])
  ) {
    return undefined;
  }
  return {
    partNumber: j['partNumber'],
    size: j['size'],
    etag: j['etag'],
    crc64: j['crc64'],
    lastModified: j['lastModified'],
    dataId: j['dataId'],
  };
}

/** Validates a parsed bucket metadata file. */
export function toBucketRecord(j: Json): BucketRecord | undefined {
  if (!isStr(j['name']) || !isNum(j['created'])) return undefined;
  return { name: j['name'], created: j['created'] };
}
