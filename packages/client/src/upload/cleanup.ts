import type { CheckpointStore } from '@ossup/checkpoint-store';
import { isServiceCode, type UploadContext } from './upload-context.ts';

/** AbortMultipartUpload; an upload already gone counts as success; other failures warn. */
export async function abortQuietly(
  ctx: UploadContext,
  bucket: string,
  key: string,
  uploadId: string,
  checkpointId: string | undefined,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  try {
    await ctx.client.abortMultipartUpload({ bucket, key, uploadId, signal });
    return true;
  } catch (error) {
    if (isServiceCode(error, 'NoSuchUpload')) return true;
    ctx.warn({
      code: 'abort-failed',
      message: `Could not abort multipart upload ${uploadId} of ${bucket}/${key}; its parts stay billed until it is aborted (\`ossup abort\`) or a lifecycle rule removes it.`,
      uploadId,
      checkpointId,
      cause: error,
    });
    return false;
  }
}

/** Deletes a checkpoint entry; a failure only warns. */
export async function deleteQuietly(
  ctx: UploadContext,
  store: CheckpointStore,
  id: string,
  uploadId: string | undefined,
): Promise<void> {
  try {
    await store.delete(id);
  } catch (error) {
    ctx.warn({
      code: 'checkpoint-delete-failed',
      message: `Could not delete checkpoint ${id}; delete it by hand or let it expire.`,
      checkpointId: id,
      uploadId,
      cause: error,
    });
  }
}
