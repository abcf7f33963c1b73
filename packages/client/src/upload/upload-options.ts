import type { CheckpointStore } from '@ossup/checkpoint-store';
import type { OssLimits } from '@ossup/part-planner';
import type { ByteSource } from '../byte-source.ts';
import type { ObjectSettings } from '../operation-types.ts';
import type { UploadProgress } from './progress.ts';

/**
 * Options of {@link upload}. Only `source`, `bucket` and `key` are required; the defaults give
 * a verified (CRC-64), parallel (4 parts in flight), 8 MiB-part upload that aborts its
 * multipart upload on failure.
 *
 * The object settings (`contentType`, `meta`, `storageClass`, `acl`, `forbidOverwrite`,
 * `headers`) go on PutObject or InitiateMultipartUpload; `acl` and `forbidOverwrite` are sent
 * again on CompleteMultipartUpload, where OSS applies them for a multipart object. Without
 * `contentType` (or a `content-type` in `headers`) the object's Content-Type is the source's
 * `type` (a File's, or with `fromFile` the type of the file name's extension), else one picked from the key's extension for common types (`.pdf`,
 * `.mp4`, `.png`...: `report.pdf` then opens in a browser instead of downloading), else
 * `application/octet-stream`. Pass `contentType: 'application/octet-stream'` to keep that.
 * Keys with `.html`, `.htm` or `.svg` get types a browser renders: where users choose the key
 * (and the bytes), set `contentType` yourself, or `Content-Disposition: attachment` in
 * `headers`, so that a stored object cannot run script on your domain.
 */
export interface UploadOptions extends ObjectSettings {
  /** The bytes: `fromBlob`, `fromBytes`, `fromStream`, or `fromFile` from `@ossup/node`. */
  source: ByteSource;
  /** Target bucket. */
  bucket: string;
  /** Target object key. */
  key: string;
  /**
   * Preferred part size in bytes, 100 KiB to 5 GiB. Default 8 MiB. Grown automatically (to a
   * whole MiB) when the source would need more than 10,000 parts. A source no larger than
   * one part goes up in a single PutObject. When resuming, the part size stored in the
   * checkpoint wins, so the part boundaries match the parts already uploaded.
   */
  partSize?: number;
  /**
   * Parts sent at once, at least 1. Default 4. Memory use is about `parallel × partSize`
   * where parts are read whole (each worker holds the part it is sending until the server
   * acknowledges it), and about `parallel × 4 MiB` where they are streamed from the source in
   * slices (a file in Node: see `OssClient.streamsBodies`). With `contentMd5` and a hasher
   * that computes MD5s together (`BodyHasher.md5Batch`, as in Node), up to
   * `min(parallel, md5Batch)` more parts are read and hashed ahead of the sends.
   */
  parallel?: number;
  /**
   * Where to keep resume information (`memoryCheckpointStore()`, `fileCheckpointStore(dir)`
   * from `@ossup/node`, `indexedDbCheckpointStore()` from `@ossup/browser`). With a store, an
   * interrupted upload (error, cancel, crash, page reload) is continued by calling `upload()`
   * again with the same source, bucket and key: the parts already on the server are not sent
   * again. Needs a source with a fingerprint (a file or a `File`); for a source without one
   * (bytes in memory, a stream) no checkpoint is written and `onWarning` says so.
   * Default: none (a failed upload cannot be resumed, and is aborted, see `leavePartsOnError`).
   */
  checkpoint?: CheckpointStore;
  /**
   * Cancels (pauses) the upload: requests in flight are aborted at once and `upload()` rejects
   * with the signal's reason. With a checkpoint the uploaded parts and the checkpoint are
   * kept, so calling `upload()` again resumes. Without one the multipart upload is aborted
   * (unless `leavePartsOnError: true`), since nothing could resume it.
   */
  signal?: AbortSignal;
  /** Progress reports, at most one per `progressIntervalMs` plus one per phase change. */
  onProgress?: (progress: UploadProgress) => void;
  /**
   * Least time between two byte-level progress events, in ms (phase changes are always
   * reported at once). Default 100, i.e. at most about 10 events per second.
   */
  progressIntervalMs?: number;
  /**
   * Things worth knowing that do not fail the upload: an unreadable checkpoint that was
   * replaced, a stale upload that was aborted, a part re-sent after a checksum mismatch, a
   * checkpoint write that failed. Default: ignored.
   */
  onWarning?: (warning: UploadWarning) => void;
  /**
   * Check each part's CRC-64 against the server's `x-oss-hash-crc64ecma`, and the combined
   * CRC-64 against the whole object's after Complete. Default `true`.
   *
   * With `contentMd5: true` the per-part proof is the server's MD5 check instead, and the
   * client does not also compute each part's CRC-64; the object's CRC-64 is still checked,
   * against the combination of the part CRC-64s the server reported.
   */
  crc64?: boolean;
  /**
   * Send `Content-MD5` with every part (and a single PutObject), so OSS itself rejects a
   * corrupted body with InvalidDigest. Costs an MD5 per part (computed before the part is
   * sent), in place of the part's client-side CRC-64 (see `crc64`). Parts are then read
   * whole, since the header must be known before the first byte goes out. Where the hasher
   * computes several MD5s together for less CPU (`createNodeClient`'s computes four in
   * WebAssembly SIMD lanes), the next parts are read and hashed ahead while others are sent,
   * so that their MD5s are computed together: memory up to `2 × parallel × partSize` (4 more
   * parts at the defaults), for about 30% less CPU per GB. Default `false`.
   */
  contentMd5?: boolean;
  /**
   * Attempts per part when the server reports different bytes than were sent (CRC-64
   * mismatch or InvalidDigest); each attempt re-sends the part, and the client's own retries
   * for network errors and 5xx come on top. Then the upload fails with an
   * `OssIntegrityError` cause. Default 3.
   */
  integrityAttempts?: number;
  /**
   * What happens to the uploaded parts when the upload fails or is cancelled.
   * `true`: keep them (the multipart upload stays open and is billed until completed or
   * aborted). `false`: send AbortMultipartUpload (and delete the checkpoint).
   * Default: `true` when a checkpoint records the upload (so it can be resumed), else
   * `false` (no orphaned parts without a way to resume them), including when a checkpoint
   * store was given but every write to it failed. When the abort itself fails, the
   * checkpoint is kept, as the record of the upload id (an `abort-failed` warning names it).
   */
  leavePartsOnError?: boolean;
  /**
   * What to do when the stored checkpoint cannot be read (corrupt, not an ossup checkpoint,
   * written by a newer version): `'restart'` reports it through `onWarning` and starts a new
   * upload, overwriting the entry; `'throw'` fails with an `UploadError` whose cause is the
   * `CheckpointError`. Default `'restart'`.
   */
  onCheckpointError?: 'restart' | 'throw';
  /**
   * When resuming, read back every part the checkpoint says is uploaded and compare it with
   * the server's copy (its CRC-64, or its MD5 against the part's ETag where no CRC-64 is
   * known) before trusting it; a part that differs is sent again. This catches a source that
   * changed while keeping its fingerprint (a browser `File` with the same name, size and
   * modification time; a file restored with its old timestamps where the file system keeps no
   * change time), at the cost of reading the already uploaded bytes once. Without it, parts
   * that the checkpoint and the server's listing agree on are trusted. Default `false`.
   */
  verifyResumedParts?: boolean;
  /**
   * Multipart limits to plan against (min/max part size, max parts). Default: the OSS limits.
   * For servers with other limits, or tests.
   */
  limits?: Partial<OssLimits>;
}

/** Why {@link UploadOptions.onWarning} was called. */
export type UploadWarningCode =
  /** A checkpoint store was given but the source has no fingerprint: no checkpoint is kept. */
  | 'no-fingerprint'
  /** The stored checkpoint was corrupt, foreign or from a newer version; starting afresh. */
  | 'checkpoint-unreadable'
  /** The checkpoint belongs to another version of the source (or part size); starting afresh. */
  | 'checkpoint-mismatch'
  /** The checkpoint's multipart upload no longer exists (completed, aborted, expired); starting afresh. */
  | 'upload-missing'
  /** A checkpoint for the same target but another source version was found; its upload was aborted. */
  | 'stale-upload-aborted'
  /**
   * The source's identity (a file's change time or inode) differs from the checkpoint's while
   * its fingerprint matches: the uploaded parts are read back and compared before being kept.
   */
  | 'source-identity-changed'
  /** A part was sent again because the server's checksum disagreed or it answered InvalidDigest. */
  | 'part-retried'
  /** Writing the checkpoint failed; the upload goes on, but a crash now re-sends more. */
  | 'checkpoint-write-failed'
  /** Deleting the checkpoint after success (or abort) failed; delete it by hand or let it expire. */
  | 'checkpoint-delete-failed'
  /** AbortMultipartUpload after a failure did not succeed; the parts may stay billed. */
  | 'abort-failed'
  /** The server sent no CRC-64 for the object, so the end-to-end check was skipped. */
  | 'crc64-unavailable'
  /** The `onProgress` callback threw; the error is in `cause`. */
  | 'progress-listener-failed';

/** A warning from {@link upload}: something to log, not a failure. No secret in it. */
export interface UploadWarning {
  /** What happened; see {@link UploadWarningCode}. */
  code: UploadWarningCode;
  /** What happened and what was done about it. */
  message: string;
  /** Checkpoint concerned, if any. */
  checkpointId?: string | undefined;
  /** Multipart upload concerned, if any. */
  uploadId?: string | undefined;
  /** Part concerned, if any. */
  partNumber?: number | undefined;
  /** Underlying error, if any. */
  cause?: unknown;
}

/** One part of a finished multipart upload. */
export interface UploadedPart {
  /** 1-based part number. */
  partNumber: number;
  /** ETag without quotes. */
  etag: string;
  /** Bytes in the part. */
  size: number;
  /** CRC-64 of the part; `undefined` only when `crc64: false` and the server sent none. */
  crc64: bigint | undefined;
}

/** What {@link upload} resolves with. */
export interface UploadResult {
  /** Bucket of the object. */
  bucket: string;
  /** Key of the object. */
  key: string;
  /** The object's ETag, without quotes (`HEX-N` for a multipart object). */
  etag: string;
  /** The object's CRC-64 as the server reported it (verified unless `crc64: false`). */
  crc64: bigint | undefined;
  /** Object size in bytes. */
  size: number;
  /** Multipart upload id; `undefined` when the object went up in one PutObject. */
  uploadId: string | undefined;
  /** Part size the object was cut into (the object size for a single PutObject). */
  partSize: number;
  /** The parts, ascending; empty for a single PutObject. */
  parts: UploadedPart[];
  /** `true` when an earlier, interrupted upload was continued from its checkpoint. */
  resumed: boolean;
  /** Bytes that were already on the server and not sent again. */
  resumedBytes: number;
}

/** Options of {@link abortUpload}. */
export interface AbortUploadOptions {
  /** Bucket of the object. */
  bucket: string;
  /** Key of the object. */
  key: string;
  /**
   * The multipart upload to abort. Default: the one recorded in the checkpoint of `source`
   * (needs `checkpoint` and `source`).
   */
  uploadId?: string;
  /** Checkpoint store whose entry for this upload is deleted too. */
  checkpoint?: CheckpointStore;
  /** The source the upload was made from; identifies its checkpoint. */
  source?: ByteSource;
  /** Cancels the abort request. */
  signal?: AbortSignal;
}

/** What {@link abortUpload} did. */
export interface AbortUploadResult {
  /** The upload id that was aborted (or found already gone); `undefined` if none was known. */
  uploadId: string | undefined;
  /** `true` if AbortMultipartUpload succeeded; `false` if the upload was already gone. */
  aborted: boolean;
  /** Checkpoint entries deleted. */
  checkpointsDeleted: string[];
}
