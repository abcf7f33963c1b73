import { checkpointId } from '@ossup/checkpoint-store';
import { OssArgumentError } from '../errors.ts';
import type { OssClient } from '../oss-client.ts';
import { isServiceCode } from './upload-context.ts';
import type { AbortUploadOptions, AbortUploadResult } from './upload-options.ts';

/**
 * Gives up an upload for good: sends AbortMultipartUpload (OSS deletes the uploaded parts,
 * which stop being billed) and deletes the checkpoint. Use it for "cancel" as opposed to
 * "pause" (aborting `upload()`'s signal, which keeps both for a later resume).
 *
 * The upload is named by `uploadId`, or found through the checkpoint of `source` in
 * `checkpoint`. With a store, every checkpoint entry for this endpoint, bucket and key that
 * points at the aborted upload is deleted too. An upload that no longer exists is not an
 * error (`aborted: false`).
 *
 * @example
 * await abortUpload(client, { bucket, key, source: fromBlob(file), checkpoint: store });
 *
 * @throws OssArgumentError when neither `uploadId` nor `source` + `checkpoint` is given, or
 *   the source has no fingerprint to find its checkpoint by.
 * @throws OssServiceError / OssNetworkError when the abort request fails (the checkpoint is
 *   then kept, so it can be tried again).
 */
export async function abortUpload(
  client: OssClient,
  options: AbortUploadOptions,
): Promise<AbortUploadResult> {
  const { bucket, key, checkpoint: store, source, signal } = options;
  if (typeof bucket !== 'string' || bucket === '' || typeof key !== 'string' || key === '') {
    throw new OssArgumentError('bucket', 'abortUpload() needs a non-empty `bucket` and `key`.');
  }
  let uploadId = options.uploadId;
  let ownId: string | undefined;
  if (store !== undefined && source !== undefined) {
    if (source.fingerprint === undefined || source.fingerprint === '') {
      throw new OssArgumentError(
        'source',
        'abortUpload(): the source has no fingerprint, so no checkpoint can belong to it; pass the uploadId instead.',
      );
    }
    ownId = await checkpointId({
      fingerprint: source.fingerprint,
      endpoint: client.endpoint,
      bucket,
      key,
    });
    const cp = await store.get(ownId).catch(() => undefined);
    uploadId ??= cp?.uploadId;
  }
  if (uploadId === undefined) {
    if (ownId !== undefined) {
      // Nothing recorded (or unreadable): clear the entry so the next upload starts clean.
      await store!.delete(ownId);
      return { uploadId: undefined, aborted: false, checkpointsDeleted: [ownId] };
    }
    throw new OssArgumentError(
      'uploadId',
      'abortUpload() needs the `uploadId`, or the `source` and `checkpoint` store it was uploaded with.',
    );
  }
  let aborted = true;
  try {
    await client.abortMultipartUpload({ bucket, key, uploadId, signal });
  } catch (error) {
    if (!isServiceCode(error, 'NoSuchUpload')) throw error;
    aborted = false;
  }
  const deleted: string[] = [];
  if (store !== undefined) {
    const ids = new Set<string>();
    if (ownId !== undefined) ids.add(ownId);
    for (const s of await store.list()) {
      if (
        s.uploadId === uploadId &&
        s.target.endpoint === client.endpoint &&
        s.target.bucket === bucket &&
        s.target.key === key
      ) {
        ids.add(s.id);
      }
    }
    for (const id of ids) {
      await store.delete(id);
      deleted.push(id);
    }
  }
  return { uploadId, aborted, checkpointsDeleted: deleted };
}
