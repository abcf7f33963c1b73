// Input and output shapes of the low-level operations. They are the seam between the
// operations (client/*.ts) and the uploader (upload/*.ts), written down first so both sides
// can be built at once. Keep them in step with the implementations.

/** Fields every operation accepts. */
export interface OperationOptions {
  /** Cancels this call (all its attempts); rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Object-level settings sent on PutObject and InitiateMultipartUpload. */
export interface ObjectSettings {
  /** `Content-Type` of the final object. Default: `application/octet-stream`. */
  contentType?: string;
  /** `x-oss-meta-*` metadata; names without the prefix. */
  meta?: Record<string, string>;
  /** `x-oss-storage-class`, e.g. `Standard`, `IA`, `Archive`. */
  storageClass?: string;
  /** `x-oss-object-acl`: `private`, `public-read`, `public-read-write`, `default`. */
  acl?: string;
  /** `x-oss-forbid-overwrite: true`: fail with FileAlreadyExists instead of replacing. */
  forbidOverwrite?: boolean;
  /** Extra headers sent as is (e.g. `Cache-Control`, `Content-Disposition`). */
  headers?: Record<string, string>;
}

export interface ObjectTarget {
  bucket: string;
  key: string;
}

export interface InitiateMultipartUploadInput extends ObjectTarget, ObjectSettings, OperationOptions {}
export interface InitiateMultipartUploadOutput extends ObjectTarget {
  uploadId: string;
  requestId: string | undefined;
}

export interface UploadPartInput extends ObjectTarget, OperationOptions {
  uploadId: string;
  partNumber: number;
  body: Uint8Array;
  /** Base64 MD5 of `body`, sent as `Content-MD5` so the server rejects a corrupt part. */
  contentMd5?: string;
  /** Byte progress of the current attempt. */
  onUploadProgress?: (sentBytes: number) => void;
}
export interface UploadPartOutput {
  /** ETag without quotes. */
  etag: string;
  /** `x-oss-hash-crc64ecma` of the part, when the server sent it. */
  crc64: bigint | undefined;
  requestId: string | undefined;
}

export interface CompletedPart {
  partNumber: number;
  /** ETag without quotes. */
  etag: string;
}
export interface CompleteMultipartUploadInput extends ObjectTarget, OperationOptions {
  uploadId: string;
  /** Parts in ascending order; omit and set `completeAll` to let the server use every part. */
  parts?: CompletedPart[];
  completeAll?: boolean;
  acl?: string;
  forbidOverwrite?: boolean;
}
export interface CompleteMultipartUploadOutput extends ObjectTarget {
  /** ETag without quotes. */
  etag: string;
  /** Whole-object `x-oss-hash-crc64ecma`, when sent. */
  crc64: bigint | undefined;
  location: string | undefined;
  requestId: string | undefined;
}

export interface AbortMultipartUploadInput extends ObjectTarget, OperationOptions {
  uploadId: string;
}

export interface ListPartsInput extends ObjectTarget, OperationOptions {
  uploadId: string;
  maxParts?: number;
  partNumberMarker?: number;
}
export interface ListedPart {
  partNumber: number;
  /** ETag without quotes. */
  etag: string;
  size: number;
  lastModified: string;
  crc64: bigint | undefined;
}
export interface ListPartsOutput extends ObjectTarget {
  uploadId: string;
  parts: ListedPart[];
  isTruncated: boolean;
  nextPartNumberMarker: number | undefined;
}

export interface PutObjectInput extends ObjectTarget, ObjectSettings, OperationOptions {
  body: Uint8Array;
  contentMd5?: string;
  onUploadProgress?: (sentBytes: number) => void;
}
export interface PutObjectOutput {
  etag: string;
  crc64: bigint | undefined;
  requestId: string | undefined;
}

export interface HeadObjectInput extends ObjectTarget, OperationOptions {}
export interface HeadObjectOutput {
  size: number;
  etag: string;
  crc64: bigint | undefined;
  contentType: string | undefined;
  lastModified: string | undefined;
  objectType: string | undefined;
  meta: Record<string, string>;
  headers: Record<string, string>;
}
