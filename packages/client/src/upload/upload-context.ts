import type { BodyHasher } from '../body-hasher.ts';
import type { ByteSource } from '../byte-source.ts';
import { OssNetworkError, OssServiceError, OssTimeoutError } from '../errors.ts';
import type { ObjectSettings } from '../operation-types.ts';
import type { OssClient } from '../oss-client.ts';
import type { ProgressTracker } from './progress.ts';
import type { UploadWarning } from './upload-options.ts';

/** What the pieces of one upload share. Internal. */
export interface UploadContext {
  readonly client: OssClient;
  readonly bucket: string;
  readonly key: string;
  readonly source: ByteSource;
  readonly settings: ObjectSettings;
  readonly crc64: boolean;
  readonly contentMd5: boolean;
  readonly integrityAttempts: number;
  readonly hasher: BodyHasher;
  readonly tracker: ProgressTracker;
  readonly warn: (warning: UploadWarning) => void;
  /**
   * Set while parts are hashed ahead of the sends (see send-slots.ts): waits for a send slot
   * once a part's MD5 is ready, and returns the function that frees it after the sends.
   */
  sendSlot?: () => Promise<() => void>;
}

/** Whether `error` is an OSS error answer with this code. */
export function isServiceCode(error: unknown, code: string): error is OssServiceError {
  return error instanceof OssServiceError && error.code === code;
}

/** Network trouble after the client's retries: the outcome of the request is unknown. */
export function isTransportFailure(error: unknown): boolean {
  return error instanceof OssNetworkError || error instanceof OssTimeoutError;
}

/** ETags compare without quotes and case-insensitively. */
export function normalizeEtag(etag: string): string {
  const unquoted =
    etag.length >= 2 && etag.startsWith('"') && etag.endsWith('"') ? etag.slice(1, -1) : etag;
  return unquoted.toUpperCase();
}
