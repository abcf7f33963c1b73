import { combineCrc64Parts } from '@ossup/checksum/crc64';
import { OssIntegrityError } from '../errors.ts';
import { loadOnDemand } from '../load-on-demand.ts';
import {
  isServiceCode,
  isTransportFailure,
  normalizeEtag,
  type UploadContext,
} from './upload-context.ts';
import type { UploadedPart } from './upload-options.ts';

/** The object as it stands after a successful (or confirmed) Complete. */
export interface CompletedObject {
  /** ETag without quotes. */
  etag: string;
  crc64: bigint | undefined;
}

/** CRC-64 of the whole object from its parts, or undefined when a part's CRC is unknown. */
export function combinedCrc64(parts: readonly UploadedPart[]): bigint | undefined {
  if (parts.some((p) => p.crc64 === undefined)) return undefined;
  return combineCrc64Parts(parts.map((p) => ({ crc64: p.crc64!, size: p.size })));
}

/**
 * CompleteMultipartUpload, then the end-to-end check: the CRC-64 folded from the parts must
 * equal the object's. A Complete that answers NoSuchUpload (typically a retry after the first
 * attempt completed but its answer was lost) or that never got an answer is not taken as a
 * failure until HeadObject shows the object is not the one these parts make.
 */
export async function completeUpload(
  ctx: UploadContext,
  uploadId: string,
  parts: readonly UploadedPart[],
  size: number,
  signal: AbortSignal | undefined,
): Promise<CompletedObject> {
  const expectedCrc = ctx.crc64 ? combinedCrc64(parts) : undefined;
  let etag: string;
  let serverCrc: bigint | undefined;
  try {
    const out = await ctx.client.completeMultipartUpload({
      bucket: ctx.bucket,
      key: ctx.key,
      uploadId,
      parts: parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag })),
      acl: ctx.settings.acl,
      forbidOverwrite: ctx.settings.forbidOverwrite,
      signal,
    });
    etag = normalizeEtag(out.etag);
    serverCrc = out.crc64;
  } catch (error) {
    if (!isServiceCode(error, 'NoSuchUpload') && !isTransportFailure(error)) throw error;
    const confirmed = await confirmCompleted(ctx, parts, size, expectedCrc, signal);
    if (confirmed === undefined) throw error;
    if (isTransportFailure(error)) {
      // The object is right, but we cannot tell whether this Complete made it: if it did not,
      // the upload is still open and its parts billed. Aborting a completed upload is a no-op.
      await ctx.client
        .abortMultipartUpload({ bucket: ctx.bucket, key: ctx.key, uploadId, signal })
        .catch(() => {});
    }
    return confirmed;
  }
  if (ctx.crc64 && serverCrc === undefined) {
    // Real OSS always sends it; a proxy or another server may not. Ask the object itself.
    serverCrc = (await ctx.client.headObject({ bucket: ctx.bucket, key: ctx.key, signal })).crc64;
    if (serverCrc === undefined) {
      ctx.warn({
        code: 'crc64-unavailable',
        message: `The server reported no CRC-64 for ${ctx.bucket}/${ctx.key}; the whole-object check was skipped (each part was still checked).`,
        uploadId,
      });
    }
  }
  if (expectedCrc !== undefined && serverCrc !== undefined && serverCrc !== expectedCrc) {
    throw new OssIntegrityError({
      what: 'object-crc64',
      expected: expectedCrc.toString(),
      actual: serverCrc.toString(),
      operation: 'CompleteMultipartUpload',
      bucket: ctx.bucket,
      key: ctx.key,
    });
  }
  return { etag, crc64: serverCrc ?? expectedCrc };
}

/**
 * Whether the object at the key is the one these parts make: same size, and same CRC-64 when
 * both sides know it, else the same multipart ETag (MD5 over the part ETags, so equal only
 * for the same parts in the same order).
 */
async function confirmCompleted(
  ctx: UploadContext,
  parts: readonly UploadedPart[],
  size: number,
  expectedCrc: bigint | undefined,
  signal: AbortSignal | undefined,
): Promise<CompletedObject | undefined> {
  let head: Awaited<ReturnType<typeof ctx.client.headObject>>;
  try {
    head = await ctx.client.headObject({ bucket: ctx.bucket, key: ctx.key, signal });
  } catch (error) {
    if (isServiceCode(error, 'NoSuchKey')) return undefined;
    throw error;
  }
  if (head.size !== size) return undefined;
  const crc = expectedCrc ?? combinedCrc64(parts);
  if (crc !== undefined && head.crc64 !== undefined) {
    if (head.crc64 !== crc) return undefined;
  } else {
    const { multipartEtag } = await loadOnDemand();
    const expectedEtag = normalizeEtag(await multipartEtag(parts.map((p) => p.etag)));
    if (normalizeEtag(head.etag) !== expectedEtag) return undefined;
  }
  return { etag: normalizeEtag(head.etag), crc64: head.crc64 ?? crc };
}
