/**
 * The current checkpoint schema version. A checkpoint written by a newer ossup (a higher
 * version) is refused rather than guessed at, so an older build never resumes an upload it
 * does not fully understand.
 */
export const CHECKPOINT_VERSION = 1;

/** Marks a JSON document as an ossup checkpoint, so foreign files are told apart from corrupt ones. */
export const CHECKPOINT_KIND = 'ossup.checkpoint';

/** One part the uploader knows is stored on the server. */
export interface CheckpointPart {
  /** 1-based part number. */
  partNumber: number;
  /** ETag as OSS returned it, quotes stripped. */
  etag: string;
  /** Bytes in the part. */
  size: number;
  /**
   * CRC-64/XZ of the part as an unsigned decimal string (JSON has no 64-bit integers), or
   * undefined when integrity checks were off for the part.
   */
  crc64?: string;
}

/** Where the upload goes. Never holds credentials. */
export interface CheckpointTarget {
  /** Endpoint origin the upload was started against, e.g. `https://oss-cn-hangzhou.aliyuncs.com`. */
  endpoint: string;
  /** Bucket name. */
  bucket: string;
  /** Object key. */
  key: string;
}

/** What is being uploaded, as far as resume needs to know it. */
export interface CheckpointSource {
  /**
   * Identity of the source at the time the upload started: for a file, absolute path + size +
   * mtime; in a browser, name + size + lastModified. A different fingerprint on resume means
   * the source changed and the checkpoint must not be used.
   */
  fingerprint: string;
  /**
   * Finer identity of the source that can change while its content does not (for a file, its
   * change time and inode): when the source's differs on resume, the parts already uploaded
   * are read back and compared before they are trusted. Absent where the source has none.
   */
  identity?: string;
  /** Source size in bytes. */
  size: number;
}

/**
 * Everything needed to resume a multipart upload after a crash or a page reload. It holds no
 * secret: credentials, signatures and security tokens have no place in the schema, and
 * {@link parseCheckpoint} drops anything it does not know.
 */
export interface Checkpoint {
  /** Schema version, {@link CHECKPOINT_VERSION}. */
  version: number;
  /** Identifier of this checkpoint in its store (see {@link checkpointId}). */
  id: string;
  /** Upload id from InitiateMultipartUpload. */
  uploadId: string;
  /** Where the upload goes. */
  target: CheckpointTarget;
  /** What is uploaded, to recognise it on resume. */
  source: CheckpointSource;
  /** Part size the plan was made with; a resume must plan with the same size. */
  partSize: number;
  /** Parts known to be stored, ascending by part number. */
  parts: CheckpointPart[];
  /** ISO-8601 time the upload was initiated. */
  createdAt: string;
  /** ISO-8601 time of the last write; stores use it to expire stale entries. */
  updatedAt: string;
}
