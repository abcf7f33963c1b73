// Input and output shapes of the low-level operations. They are the seam between the
// operations (client/*.ts) and the uploader (upload/*.ts), written down first so both sides
// can be built at once. Keep them in step with the implementations.

import type { ReplayableBody } from './replayable-body.ts';

/** Fields every operation accepts. */
export interface OperationOptions {
  /** Cancels this call (all its attempts); rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Object-level settings sent on PutObject and InitiateMultipartUpload. */
export interface ObjectSettings {
  /**
   * `Content-Type` of the final object. Default: `application/octet-stream`; `upload()` first
   * tries the source's type and the key's extension (see `UploadOptions`).
   */
  contentType?: string;
  /** `x-oss-meta-*` metadata; names without the prefix. */
  meta?: Record<string, string>;
  /** `x-oss-storage-class`, e.g. `Standard`, `IA`, `Archive`. */
  storageClass?: string;
  /** `x-oss-object-acl`: `private`, `public-read`, `public-read-write`, `default`. */
  acl?: string;
  /**
   * `x-oss-forbid-overwrite: true`: fail with FileAlreadyExists instead of replacing. For a
   * multipart upload OSS checks it at CompleteMultipartUpload, after every part was sent; to
   * fail before sending a large file, check with `headObject` first.
   */
  forbidOverwrite?: boolean;
  /** Extra headers sent as is (e.g. `Cache-Control`, `Content-Disposition`). */
  headers?: Record<string, string>;
}

/** The object an operation addresses. */
export interface ObjectTarget {
  /** Bucket name (3-63 of `a-z 0-9 -`). */
  bucket: string;
  /** Object key: 1..1023 bytes of UTF-8, not starting with `/`; any other character works. */
  key: string;
}

/** InitiateMultipartUpload: the object to create and its settings (applied at Complete). */
export interface InitiateMultipartUploadInput
  extends ObjectTarget,
    ObjectSettings,
    OperationOptions {}
/** InitiateMultipartUpload result: the id every later call of this upload needs. */
export interface InitiateMultipartUploadOutput extends ObjectTarget {
  /** Upload id, opaque. */
  uploadId: string;
  /** `x-oss-request-id` of the response. */
  requestId: string | undefined;
}

/** UploadPart: one part's bytes (part numbers 1..10000; every part but the last >= 100 KiB). */
export interface UploadPartInput extends ObjectTarget, OperationOptions {
  /** Upload id from InitiateMultipartUpload. */
  uploadId: string;
  /** 1..10000; uploading a number again replaces that part. */
  partNumber: number;
  /**
   * The part's bytes: in memory, or a {@link ReplayableBody} (such as a `Blob`) that is
   * streamed when the transport can, and read again for each retry.
   */
  body: Uint8Array | ReplayableBody;
  /** Base64 MD5 of `body`, sent as `Content-MD5` so the server rejects a corrupt part. */
  contentMd5?: string;
  /** Byte progress of the current attempt. */
  onUploadProgress?: (sentBytes: number) => void;
}
/** UploadPart result. */
export interface UploadPartOutput {
  /** ETag without quotes. */
  etag: string;
  /** `x-oss-hash-crc64ecma` of the part, when the server sent it. */
  crc64: bigint | undefined;
  /** `x-oss-request-id` of the response. */
  requestId: string | undefined;
}

/** A part listed in CompleteMultipartUpload. */
export interface CompletedPart {
  /** Part number, as uploaded. */
  partNumber: number;
  /** ETag without quotes. */
  etag: string;
}
/** CompleteMultipartUpload: the parts to assemble (ascending), or `completeAll`. */
export interface CompleteMultipartUploadInput extends ObjectTarget, OperationOptions {
  /** Parts in ascending order; omit and set `completeAll` to let the server use every part. */
  parts?: CompletedPart[];
  /** Send `x-oss-complete-all: yes` (no body): OSS assembles every uploaded part. */
  completeAll?: boolean;
  /** `x-oss-object-acl` of the new object. */
  acl?: string;
  /** `x-oss-forbid-overwrite: true`: fail with 409 FileAlreadyExists if the key exists. */
  forbidOverwrite?: boolean;
  /** Upload id from InitiateMultipartUpload. */
  uploadId: string;
}
/** CompleteMultipartUpload result: the new object's ETag (`HEX-N`) and CRC-64. */
export interface CompleteMultipartUploadOutput extends ObjectTarget {
  /** ETag without quotes. */
  etag: string;
  /** Whole-object `x-oss-hash-crc64ecma`, when sent. */
  crc64: bigint | undefined;
  /** `<Location>` URL of the object, when sent. */
  location: string | undefined;
  /** `x-oss-request-id` of the response. */
  requestId: string | undefined;
}

/** AbortMultipartUpload: the upload to delete with its parts. */
export interface AbortMultipartUploadInput extends ObjectTarget, OperationOptions {
  /** Upload id to abort. */
  uploadId: string;
}
/** Result of AbortMultipartUpload (`204 No Content`). */
export interface AbortMultipartUploadOutput {
  /** `x-oss-request-id` of the response. */
  requestId: string | undefined;
}

/** ListParts: one page of the parts of an upload. */
export interface ListPartsInput extends ObjectTarget, OperationOptions {
  /** Upload id. */
  uploadId: string;
  /** Page size, 1..1000. Default (server): 1000. */
  maxParts?: number;
  /** List parts with a number greater than this. */
  partNumberMarker?: number;
}
/** A part as listed by ListParts. */
export interface ListedPart {
  /** Part number. */
  partNumber: number;
  /** ETag without quotes. */
  etag: string;
  /** Size in bytes. */
  size: number;
  /** Upload time (ISO 8601 string as sent). */
  lastModified: string;
  /** CRC-64 of the part (`<HashCrc64ecma>`), when sent. */
  crc64: bigint | undefined;
}
/** One ListParts page; continue from `nextPartNumberMarker` while `isTruncated`. */
export interface ListPartsOutput extends ObjectTarget {
  /** Upload id. */
  uploadId: string;
  /** Parts of this page, ascending. */
  parts: ListedPart[];
  /** More parts follow. */
  isTruncated: boolean;
  /** Pass as `partNumberMarker` for the next page. */
  nextPartNumberMarker: number | undefined;
  /** `<StorageClass>` of the upload, when sent. */
  storageClass?: string | undefined;
  /** `x-oss-request-id` of the response. */
  requestId?: string | undefined;
}

/** PutObject: a whole object in one request (at most 5 GiB). */
export interface PutObjectInput extends ObjectTarget, ObjectSettings, OperationOptions {
  /** The object's bytes: in memory, or a {@link ReplayableBody} such as a `Blob`. */
  body: Uint8Array | ReplayableBody;
  /** Base64 MD5 of `body`, sent as `Content-MD5` (OSS rejects a corrupt body with InvalidDigest). */
  contentMd5?: string;
  /** Byte progress of the current attempt. */
  onUploadProgress?: (sentBytes: number) => void;
}
/** PutObject result. */
export interface PutObjectOutput {
  /** ETag without quotes (the MD5 in upper-case hex). */
  etag: string;
  /** `x-oss-hash-crc64ecma` of the object, when sent. */
  crc64: bigint | undefined;
  /** `x-oss-request-id` of the response. */
  requestId: string | undefined;
  /** `x-oss-version-id`, on versioned buckets. */
  versionId?: string | undefined;
}

/** HeadObject: the object to describe. */
export interface HeadObjectInput extends ObjectTarget, OperationOptions {}
/** An object's metadata, from HeadObject or GetObject response headers. */
export interface HeadObjectOutput {
  /** Object size in bytes. */
  size: number;
  /** ETag without quotes (`''` if a browser could not read it: expose ETag in CORS). */
  etag: string;
  /** Whole-object CRC-64, when sent. */
  crc64: bigint | undefined;
  /** `Content-Type`. */
  contentType: string | undefined;
  /** `Last-Modified` (RFC 1123). */
  lastModified: string | undefined;
  /** `x-oss-object-type`: `Normal`, `Multipart`, `Appendable`, `Symlink`. */
  objectType: string | undefined;
  /** User metadata (`x-oss-meta-*`), prefix removed, names lower-case. */
  meta: Record<string, string>;
  /** Every response header, names lower-case. */
  headers: Record<string, string>;
  /** `x-oss-request-id` of the response. */
  requestId?: string | undefined;
}

/** A byte range `[start, end)`; `end` omitted means "to the end of the object". */
export interface ByteRange {
  /** First byte, 0-based. */
  start: number;
  /** One past the last byte (half-open, like every range in ossup). */
  end?: number;
}

/** UploadPartCopy: copy a range of an existing object into a part. */
export interface UploadPartCopyInput extends ObjectTarget, OperationOptions {
  /** Upload id of the target. */
  uploadId: string;
  /** Part number to fill, 1..10000. */
  partNumber: number;
  /** Bucket of the source object. Default: the target bucket. */
  sourceBucket?: string;
  /** Key of the source object. */
  sourceKey: string;
  /** Version of the source object, on versioned buckets. */
  sourceVersionId?: string;
  /** Bytes of the source to copy; `end` is required here. Default: the whole object. */
  sourceRange?: Required<ByteRange>;
  /** Copy only if the source ETag (without quotes) matches (else 412 PreconditionFailed). */
  sourceIfMatch?: string;
  /** Copy only if the source ETag differs. */
  sourceIfNoneMatch?: string;
  /** Copy only if the source changed after this instant. */
  sourceIfModifiedSince?: Date;
  /** Copy only if the source did not change after this instant. */
  sourceIfUnmodifiedSince?: Date;
}
/** Result of UploadPartCopy. */
export interface UploadPartCopyOutput {
  /** ETag of the new part, without quotes: use it in CompleteMultipartUpload. */
  etag: string;
  /** `<LastModified>` of the part (ISO 8601). */
  lastModified: string;
  /** `x-oss-hash-crc64ecma` of the copied part, when the server sent it. */
  crc64: bigint | undefined;
  /** `x-oss-copy-source-version-id`, when the source is versioned. */
  sourceVersionId: string | undefined;
  /** `x-oss-request-id` of the response. */
  requestId: string | undefined;
}

/** One page of ListMultipartUploads. */
export interface ListMultipartUploadsInput extends OperationOptions {
  /** Bucket to list. */
  bucket: string;
  /** Only uploads whose key starts with this. */
  prefix?: string;
  /** Roll keys containing this (after the prefix) into `commonPrefixes`, like a directory. */
  delimiter?: string;
  /** Start after this key (with `uploadIdMarker`: after that upload of this key). */
  keyMarker?: string;
  /** Start after this upload id of `keyMarker`. */
  uploadIdMarker?: string;
  /** Page size, 1..1000. Default (server): 1000. */
  maxUploads?: number;
}
/** An in-progress multipart upload, as listed. */
export interface MultipartUploadInfo {
  /** Object key. */
  key: string;
  /** Upload id. */
  uploadId: string;
  /** When the upload was initiated (ISO 8601 string as sent). */
  initiated: string;
  /** Storage class of the upload, when sent. */
  storageClass: string | undefined;
}
/** One page of ListMultipartUploads. */
export interface ListMultipartUploadsOutput {
  /** Bucket listed. */
  bucket: string;
  /** Uploads of this page, by key then upload id. */
  uploads: MultipartUploadInfo[];
  /** Rolled-up "directories" when a delimiter was given. */
  commonPrefixes: string[];
  /** More uploads follow. */
  isTruncated: boolean;
  /** Pass as `keyMarker` for the next page. */
  nextKeyMarker: string | undefined;
  /** Pass as `uploadIdMarker` for the next page. */
  nextUploadIdMarker: string | undefined;
  /** `x-oss-request-id` of the response. */
  requestId: string | undefined;
}

/** What the prefix paginator yields: an upload, or a rolled-up common prefix. */
export type MultipartUploadEntry =
  | ({
      /** An in-progress upload. */
      kind: 'upload';
    } & MultipartUploadInfo)
  | {
      /** A rolled-up "directory". */
      kind: 'prefix';
      /** The rolled-up prefix, ending with the delimiter (e.g. `photos/2024/`). */
      prefix: string;
    };

/** GetObject. */
export interface GetObjectInput extends ObjectTarget, OperationOptions {
  /** Bytes to read, half-open. Default: the whole object. */
  range?: ByteRange;
  /**
   * Send `x-oss-range-behavior: standard` so an unsatisfiable range fails with 416
   * InvalidRange instead of OSS silently returning the whole object. Default `true`
   * when `range` is set.
   */
  strictRange?: boolean;
  /** `If-Match` (ETag without quotes): 412 PreconditionFailed when it differs. */
  ifMatch?: string;
  /** `If-None-Match` (ETag without quotes). */
  ifNoneMatch?: string;
  /** `response-*` overrides, e.g. `{ 'content-disposition': 'attachment' }`. */
  responseHeaders?: Record<string, string>;
  /** Extra request headers. */
  headers?: Record<string, string>;
}
/** GetObject result: headers now, body as a stream to consume (or cancel) once. */
export interface GetObjectOutput extends HeadObjectOutput {
  /** 200, or 206 for a range. */
  status: number;
  /** `Content-Range` of a 206. */
  contentRange: string | undefined;
  /** Bytes in `body` (`Content-Length`); `size` is the whole object's size. */
  contentLength: number;
  /** Object bytes; consume it or call `body.cancel()` to free the connection. */
  body: ReadableStream<Uint8Array>;
}

/** DeleteObject. */
export interface DeleteObjectInput extends ObjectTarget, OperationOptions {
  /** Delete a specific version. */
  versionId?: string;
}
/** DeleteObject result (deleting a missing key succeeds too, as in OSS). */
export interface DeleteObjectOutput {
  /** `x-oss-request-id` of the response. */
  requestId: string | undefined;
}

/** A request to presign for later use by anyone holding the URL (a browser, curl...). */
export interface PresignInput {
  /** HTTP method the URL is for. Default `GET`. */
  method?: string;
  /** Bucket. */
  bucket: string;
  /** Object key; omit for a bucket-level request. */
  key?: string;
  /** Validity in seconds. Default 900 (15 min); V4 allows at most 604800 (7 days). */
  expires?: number;
  /** Query parameters (raw values), e.g. `{ uploadId, partNumber: '1' }` for an UploadPart URL. */
  query?: Record<string, string>;
  /**
   * Headers the eventual request will send and that must be signed (`Content-Type`,
   * `Content-MD5`, `x-oss-*`). The user of the URL must send exactly these.
   */
  headers?: Record<string, string>;
}
/** A presigned URL and what to send with it. */
export interface PresignOutput {
  /** The presigned URL (signature in the query). */
  url: string;
  /** HTTP method to use with it. */
  method: string;
  /** Headers to send with the URL (those that were signed). */
  headers: Record<string, string>;
  /** Instant after which OSS refuses the URL. */
  expiresAt: Date;
}
