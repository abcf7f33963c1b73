import { toBase64 } from '@ossup/checksum/crc64';
import type { BodyDigest, BodyDigestRequest } from '../body-hasher.ts';
import { OssIntegrityError } from '../errors.ts';
import type { PutObjectOutput, UploadPartOutput } from '../operation-types.ts';
import type { ReplayableBody } from '../replayable-body.ts';
import { isServiceCode, normalizeEtag, type UploadContext } from './upload-context.ts';
import type { UploadedPart } from './upload-options.ts';

/**
 * Local checksums of a body: the MD5 is computed once, before the first send, and reused by
 * every attempt; the CRC-64 is that of what the last send carried (for a body in memory, the
 * same every time; for a streamed part, recomputed as each attempt reads it again).
 */
export interface BodySums {
  crc64: bigint | undefined;
  contentMd5: string | undefined;
}

/**
 * The digests this upload asks of each body. With Content-MD5 the server proves the bytes
 * itself (InvalidDigest otherwise), which is what our own CRC-64 of the part would prove, so
 * that CRC is skipped: the part keeps the CRC-64 the server reported, and the object's CRC-64
 * is still checked against their combination after Complete. Hashing every byte twice would
 * halve the throughput.
 */
export function digestUses(ctx: UploadContext): BodyDigestRequest {
  return { md5: ctx.contentMd5, crc64: ctx.crc64 && !ctx.contentMd5 };
}

/** Starts a digest, marked handled so that a failure nobody awaits is not reported as unhandled. */
function startDigest(
  ctx: UploadContext,
  body: Uint8Array,
  request: BodyDigestRequest,
): Promise<BodyDigest> {
  const pending = ctx.hasher.digest(body, request);
  pending.catch(() => {});
  return pending;
}

/**
 * Sends a body until the server stores what was sent: up to `integrityAttempts` times when
 * its CRC-64 differs from ours or it answers InvalidDigest. Other errors (already retried by
 * the client) end it at once. The body is kept for the whole loop, so nothing is read twice.
 */
async function sendVerified<T extends UploadPartOutput | PutObjectOutput>(
  ctx: UploadContext,
  body: Uint8Array,
  partNumber: number | undefined,
  operation: 'UploadPart' | 'PutObject',
  send: (contentMd5: string | undefined) => Promise<T>,
): Promise<{ output: T; sums: BodySums }> {
  // The MD5 is a header, so it must be ready before the request starts; the CRC-64 is only
  // needed to check the answer, so it is computed while the body is on the wire (in parallel
  // when the hasher works off this thread). The caller may reuse `body` once this returns,
  // hence the wait for every digest in `finally`, even after a failure. A send slot, where
  // parts are hashed ahead, is taken once the MD5 is ready and held until the sends are over.
  const uses = digestUses(ctx);
  const md5Digest = uses.md5 ? startDigest(ctx, body, { md5: true }) : undefined;
  const crcDigest = uses.crc64 ? startDigest(ctx, body, { crc64: true }) : undefined;
  let release: (() => void) | undefined;
  try {
    const md5 = md5Digest === undefined ? undefined : (await md5Digest).md5;
    release = await ctx.sendSlot?.();
    const sums: BodySums = {
      contentMd5: md5 === undefined ? undefined : toBase64(md5),
      crc64: undefined,
    };
    const localCrc = crcDigest === undefined ? undefined : async () => (await crcDigest).crc64;
    return await sendChecked(ctx, partNumber, operation, sums, localCrc, () =>
      send(sums.contentMd5),
    );
  } finally {
    release?.();
    await Promise.allSettled([md5Digest, crcDigest]);
  }
}

/**
 * Sends until the server stores what was sent (see sendVerified); `localCrc` gives the CRC-64
 * of what the last send carried.
 */
export async function sendChecked<T extends UploadPartOutput | PutObjectOutput>(
  ctx: UploadContext,
  partNumber: number | undefined,
  operation: 'UploadPart' | 'PutObject',
  sums: BodySums,
  localCrc: (() => Promise<bigint | undefined>) | undefined,
  send: () => Promise<T>,
): Promise<{ output: T; sums: BodySums }> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= ctx.integrityAttempts; attempt++) {
    if (attempt > 1) {
      ctx.warn({
        code: 'part-retried',
        message: `${partNumber === undefined ? 'The object' : `Part ${partNumber}`} arrived corrupted (attempt ${attempt - 1} of ${ctx.integrityAttempts}); sending it again.`,
        partNumber,
        cause: lastError,
      });
    }
    let output: T;
    try {
      output = await send();
    } catch (error) {
      if (!isServiceCode(error, 'InvalidDigest')) throw error;
      lastError = new OssIntegrityError({
        what: 'md5',
        expected: sums.contentMd5 ?? '(none)',
        actual: 'InvalidDigest',
        partNumber,
        requestId: error.requestId,
        operation,
        bucket: ctx.bucket,
        key: ctx.key,
        cause: error,
      });
      continue;
    }
    // Asked after each send: a streamed body's CRC-64 is that of what this attempt sent.
    if (localCrc !== undefined) sums.crc64 = await localCrc();
    if (sums.crc64 !== undefined && output.crc64 !== undefined && output.crc64 !== sums.crc64) {
      lastError = new OssIntegrityError({
        what: 'part-crc64',
        expected: sums.crc64.toString(),
        actual: output.crc64.toString(),
        partNumber,
        requestId: output.requestId,
        operation,
        bucket: ctx.bucket,
        key: ctx.key,
      });
      continue;
    }
    return { output, sums };
  }
  throw lastError;
}

/**
 * One UploadPart attempt of an upload's part, its byte progress reported to the tracker and,
 * when given, to `onSent` as well. Shared by the whole-part and the streamed-part senders.
 */
export function uploadPartAttempt(
  ctx: UploadContext,
  uploadId: string,
  partNumber: number,
  body: Uint8Array | ReplayableBody,
  contentMd5: string | undefined,
  signal: AbortSignal,
  onSent?: (sent: number) => void,
): Promise<UploadPartOutput> {
  const size = body instanceof Uint8Array ? body.length : body.size;
  return ctx.client.uploadPart({
    bucket: ctx.bucket,
    key: ctx.key,
    uploadId,
    partNumber,
    body,
    contentMd5,
    signal,
    onUploadProgress: (sent) => {
      onSent?.(sent);
      ctx.tracker.partProgress(partNumber, sent, size);
    },
  });
}

/** The record of a stored part: our CRC-64 when we computed one, else the server's. */
export function uploadedPart(
  partNumber: number,
  size: number,
  output: UploadPartOutput,
  sums: BodySums,
): UploadedPart {
  return { partNumber, etag: normalizeEtag(output.etag), size, crc64: sums.crc64 ?? output.crc64 };
}

/** Uploads one part, verified, reporting byte progress to the tracker. */
export async function sendPart(
  ctx: UploadContext,
  uploadId: string,
  partNumber: number,
  body: Uint8Array,
  signal: AbortSignal,
): Promise<UploadedPart> {
  const size = body.length;
  const { output, sums } = await sendVerified(ctx, body, partNumber, 'UploadPart', (contentMd5) =>
    uploadPartAttempt(ctx, uploadId, partNumber, body, contentMd5, signal),
  );
  return uploadedPart(partNumber, size, output, sums);
}

/** Uploads a whole (small) object in one verified PutObject. */
export async function sendObject(
  ctx: UploadContext,
  body: Uint8Array,
  signal: AbortSignal | undefined,
): Promise<{ etag: string; crc64: bigint | undefined }> {
  const size = body.length;
  const { output, sums } = await sendVerified(ctx, body, undefined, 'PutObject', (contentMd5) =>
    ctx.client.putObject({
      ...ctx.settings,
      bucket: ctx.bucket,
      key: ctx.key,
      body,
      contentMd5,
      signal,
      onUploadProgress: (sent) => ctx.tracker.partProgress(1, sent, size),
    }),
  );
  return { etag: normalizeEtag(output.etag), crc64: output.crc64 ?? sums.crc64 };
}
