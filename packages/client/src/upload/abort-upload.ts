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
 * points at the aborted upload is deleted too (an unreadable entry is left alone). An upload
 * that no longer exists is not an error (`aborted: false`). Where the store locks, an upload
 * running elsewhere (another process, another tab) is refused, not aborted; in the same
 * process, cancel a running `upload()` and let it settle first.
 *
 * @example
 * await abortUpload(client, { bucket, key, source: fromBlob(file), checkpoint: store });
 *
 * @throws OssArgumentError when neither `uploadId` nor `source` + `checkpoint` is given, the
 *   source has no fingerprint to find its checkpoint by, or its checkpoint cannot be read and
 *   no `uploadId` was given (the entry is then left as it is).
 * @throws OssServiceError / OssNetworkError when the abort request fails (the checkpoint is
 *   then kept, so it can be tried again).
 * @throws CheckpointError of kind `locked` when another process or tab is driving the upload
 *   (the store's lock is taken first): pause it there, then abort. Nothing is aborted.
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
  let recorded: string | undefined;
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
    try {
      recorded = (await store.get(ownId))?.uploadId;
    } catch (error) {
      // An entry that cannot be read (corrupt, from a newer version, an I/O error) may still be
      // the only record of an open upload: never delete it on a guess.
      if (uploadId === undefined) {
        throw new OssArgumentError(
          'uploadId',
          `abortUpload(): the checkpoint ${ownId} of this source could not be read (${error instanceof Error ? error.message : String(error)}), so the upload it records is unknown and nothing was aborted or deleted. Pass the \`uploadId\` (\`ossup uploads\` lists the open ones), or remove the entry from the store if you are sure it is not needed.`,
          { bucket, key, cause: error },
        );
      }
      ownId = undefined;
    }
    uploadId ??= recorded;
  }
  if (uploadId === undefined) {
    if (ownId !== undefined) {
      // Nothing recorded: clear the entry so the next upload starts clean.
      await store!.delete(ownId);
      return { uploadId: undefined, aborted: false, checkpointsDeleted: [ownId] };
    }
    throw new OssArgumentError(
      'uploadId',
      'abortUpload() needs the `uploadId`, or the `source` and `checkpoint` store it was uploaded with.',
    );
  }
  const ids = new Set<string>();
  if (store !== undefined) {
    // The source's own entry goes only if it records this upload (or none): one that names
    // another upload is that upload's only record.
    if (ownId !== undefined && (recorded === undefined || recorded === uploadId)) ids.add(ownId);
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
  }
  // Their locks first: an upload that another process or tab is driving must be paused there,
  // not pulled from under it (its next part would fail with NoSuchUpload).
  const unlocks: (() => Promise<void>)[] = [];
  let aborted = true;
  const deleted: string[] = [];
  try {
    if (store?.lock !== undefined) for (const id of ids) unlocks.push(await store.lock(id));
    try {
      await client.abortMultipartUpload({ bucket, key, uploadId, signal });
    } catch (error) {
      if (!isServiceCode(error, 'NoSuchUpload')) throw error;
      aborted = false;
    }
    for (const id of ids) {
      await store!.delete(id);
      deleted.push(id);
    }
  } finally {
    for (const unlock of unlocks) await unlock().catch(() => {});
  }
  return { uploadId, aborted, checkpointsDeleted: deleted };
}
