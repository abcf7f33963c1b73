/**
 * Size and count limits the server enforces (protocol reference §5.1). Lower them in tests
 * to exercise EntityTooSmall / EntityTooLarge without gigabytes of data.
 */
export interface DevServerLimits {
  /** Smallest size of every part but the last, checked at Complete. Default 102400 (100 KiB). */
  readonly minPartSize: number;
  /** Largest part (UploadPart, UploadPartCopy). Default 5 GiB. */
  readonly maxPartSize: number;
  /** Largest PutObject body. Default 5 GiB. */
  readonly maxObjectSize: number;
  /** Highest part number. Default 10000. */
  readonly maxPartNumber: number;
  /** Largest accepted clock difference for signed requests, in seconds. Default 900. */
  readonly maxClockSkewSeconds: number;
  /** Largest CompleteMultipartUpload XML body in bytes. Default 2 MiB. */
  readonly maxCompleteBodyBytes: number;
}

/** OSS's own limits. */
export const DEFAULT_LIMITS: DevServerLimits = {
  minPartSize: 100 * 1024,
  maxPartSize: 5 * 1024 ** 3,
  maxObjectSize: 5 * 1024 ** 3,
  maxPartNumber: 10_000,
  maxClockSkewSeconds: 900,
  maxCompleteBodyBytes: 2 * 1024 * 1024,
};
