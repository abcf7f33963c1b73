import {
  type Checkpoint,
  CheckpointError,
  type CheckpointPart,
  type CheckpointStore,
} from '@ossup/checkpoint-store';
import { crc64 as computeCrc64, md5, parseCrc64, partEtag } from '@ossup/checksum';
import { type OssLimits, type PartPlan, planParts, reconcileParts } from '@ossup/part-planner';
import type { ListedPart } from '../operation-types.ts';
import { abortQuietly, deleteQuietly } from './cleanup.ts';
import { combinedCrc64 } from './complete.ts';
import { isServiceCode, normalizeEtag, type UploadContext } from './upload-context.ts';
import type { UploadedPart } from './upload-options.ts';

/** A part the server has with the planned size, whose bytes must be checked before trusting it. */
export interface PartToVerify {
  partNumber: number;
  etag: string;
  /**
   * The server's CRC-64 for it (from its listing, or recorded in the checkpoint); `undefined`
   * when neither has one: then the part's MD5 is compared with its ETag instead.
   */
  serverCrc64: bigint | undefined;
}

/** An upload to continue, as reconciled with the server's part listing. */
export interface ResumePoint {
  checkpoint: Checkpoint;
  plan: PartPlan;
  /** Parts kept as they are (server listing agrees with the checkpoint). */
  kept: UploadedPart[];
  /** Parts to read locally and compare before keeping; re-uploaded on mismatch. */
  verify: PartToVerify[];
  /** The checkpoint's records of parts in `verify`: still claimed until they are compared. */
  pending: CheckpointPart[];
  /**
   * Set when the checkpoint's upload was already completed into an object that holds this
   * very source (a crash after Complete, before the checkpoint was deleted): nothing is left
   * to send, and the checkpoint has been deleted.
   */
  completed?: { etag: string; crc64: bigint; parts: UploadedPart[] } | undefined;
}

/** What {@link findResumePoint} needs to know. */
export interface ResumeInput {
  store: CheckpointStore;
  id: string;
  endpoint: string;
  fingerprint: string;
  size: number;
  limits: Partial<OssLimits> | undefined;
  onCheckpointError: 'restart' | 'throw';
  /** Read back and compare even the parts the checkpoint and the listing agree on. */
  verifyKept: boolean;
  /** The source's {@link ByteSource.identity}, compared with the checkpoint's. */
  identity: string | undefined;
  signal: AbortSignal | undefined;
}

/**
 * Reads the checkpoint and, when it describes an upload of this very source that still
 * exists, reconciles it with the server (the source of truth): returns the parts to keep and
 * the parts to verify. Returns `undefined` to start afresh, after reporting why and cleaning
 * up what cannot be used (the stale upload is aborted, the entry deleted).
 *
 * @throws CheckpointError when the checkpoint is unreadable and `onCheckpointError` is `'throw'`.
 */
export async function findResumePoint(
  ctx: UploadContext,
  input: ResumeInput,
): Promise<ResumePoint | undefined> {
  const { store, id } = input;
  let checkpoint: Checkpoint | undefined;
  try {
    checkpoint = await input.store.get(id);
  } catch (error) {
    if (!(error instanceof CheckpointError)) throw error;
    if (input.onCheckpointError === 'throw') throw error;
    ctx.warn({
      code: 'checkpoint-unreadable',
      message: `${error.message} Starting a new upload; the entry will be overwritten.`,
      checkpointId: id,
      cause: error,
    });
    return undefined;
  }
  if (checkpoint === undefined) {
    await abortStaleUploads(ctx, input);
    return undefined;
  }
  const problem = mismatch(ctx, checkpoint, input);
  let plan: PartPlan | undefined;
  if (problem === undefined) {
    try {
      plan = planParts({ size: input.size, partSize: checkpoint.partSize, limits: input.limits });
    } catch {
      // The stored part size is outside the limits now in force.
    }
  }
  if (plan === undefined || plan.partSize !== checkpoint.partSize) {
    ctx.warn({
      code: 'checkpoint-mismatch',
      message: `Checkpoint ${id} ${problem ?? `has part size ${checkpoint.partSize}, which the current limits do not allow`}; aborting its upload ${checkpoint.uploadId} and starting a new one, so old and new bytes are never mixed.`,
      checkpointId: id,
      uploadId: checkpoint.uploadId,
    });
    await discard(ctx, store, checkpoint, input.signal);
    return undefined;
  }

  // Same fingerprint, other identity: most likely harmless metadata (a chmod, a file put back
  // with its timestamps), possibly other bytes. Reading the parts back tells which, and keeps
  // the parts that still match instead of throwing the whole upload away.
  const recordedIdentity = checkpoint.source.identity;
  const identityChanged =
    recordedIdentity !== undefined &&
    input.identity !== undefined &&
    recordedIdentity !== input.identity;
  if (identityChanged && !input.verifyKept) {
    ctx.warn({
      code: 'source-identity-changed',
      message: `The source's identity (${recordedIdentity} → ${input.identity}) changed since checkpoint ${id} was written, though its fingerprint did not; the uploaded parts are read back and compared before they are kept.`,
      checkpointId: id,
      uploadId: checkpoint.uploadId,
    });
  }
  const verifyKept = input.verifyKept || identityChanged;

  const listed: ListedPart[] = [];
  try {
    for await (const part of ctx.client.listAllParts({
      bucket: ctx.bucket,
      key: ctx.key,
      uploadId: checkpoint.uploadId,
      signal: input.signal,
    })) {
      listed.push(part);
    }
  } catch (error) {
    if (!isServiceCode(error, 'NoSuchUpload')) throw error;
    // Fix (apps/reliability crash matrix, test/resume-completed.test.ts): a process killed
    // after CompleteMultipartUpload succeeded but before it deleted the checkpoint leaves
    // exactly this state, and starting afresh re-sent the whole object. If the object at the
    // key has this source's size and CRC-64, the upload is done: keep it, send nothing.
    const completed = await findCompletedObject(ctx, checkpoint, plan, input.signal, verifyKept);
    if (completed !== undefined) {
      await deleteQuietly(ctx, store, id, checkpoint.uploadId);
      return { checkpoint, plan, kept: completed.parts, verify: [], pending: [], completed };
    }
    ctx.warn({
      code: 'upload-missing',
      message: `The upload ${checkpoint.uploadId} of checkpoint ${id} no longer exists on the server (completed, aborted or expired); starting a new one.`,
      checkpointId: id,
      uploadId: checkpoint.uploadId,
      cause: error,
    });
    await deleteQuietly(ctx, store, id, checkpoint.uploadId);
    return undefined;
  }

  const reconciliation = reconcileParts(plan, listed, { knownParts: checkpoint.parts });
  const recorded = new Map(checkpoint.parts.map((p) => [p.partNumber, p]));
  const kept: UploadedPart[] = [];
  const verify: PartToVerify[] = [];
  const pending: CheckpointPart[] = [];
  for (const part of reconciliation.keep) {
    const etag = normalizeEtag(part.etag);
    const listedCrc = toCrc(part.crc64);
    const recordedCrc = toCrc(recorded.get(part.partNumber)?.crc64);
    const crc = listedCrc ?? recordedCrc;
    if (part.checkpointMatched && !verifyKept && (crc !== undefined || !ctx.crc64)) {
      kept.push({ partNumber: part.partNumber, etag, size: part.size, crc64: crc });
    } else {
      // Unknown to the checkpoint (stored just before a crash), without a CRC to combine, or
      // verification asked for: read our bytes and compare (the CRC-64, else the MD5 with the
      // ETag), which costs a read but no upload. A part that differs is uploaded again.
      verify.push({
        partNumber: part.partNumber,
        etag,
        serverCrc64: part.checkpointMatched ? crc : listedCrc,
      });
      const record = recorded.get(part.partNumber);
      if (record !== undefined) pending.push(record);
    }
  }
  return { checkpoint, plan, kept, verify, pending };
}

/**
 * The object at the key, when it is the one this checkpoint's upload would make: same size and
 * the same CRC-64 as the source (parts the checkpoint recorded contribute their CRC; parts it
 * missed are read back and hashed, never uploaded). `undefined` when there is no such object,
 * it differs, or the server sends no CRC-64 to compare (then the caller starts afresh).
 */
async function findCompletedObject(
  ctx: UploadContext,
  checkpoint: Checkpoint,
  plan: PartPlan,
  signal: AbortSignal | undefined,
  verifyKept: boolean,
): Promise<{ etag: string; crc64: bigint; parts: UploadedPart[] } | undefined> {
  let head: Awaited<ReturnType<typeof ctx.client.headObject>>;
  try {
    head = await ctx.client.headObject({ bucket: ctx.bucket, key: ctx.key, signal });
  } catch (error) {
    if (isServiceCode(error, 'NoSuchKey')) return undefined;
    throw error;
  }
  if (head.size !== plan.size || head.crc64 === undefined) return undefined;
  // Cheap signs that it is some other object, checked before reading any of the source: this
  // upload makes a Multipart object whose ETag ends in `-<part count>` (oss-protocol §5.2).
  if (head.objectType !== undefined && head.objectType !== 'Multipart') return undefined;
  const count = /-(\d+)"?$/.exec(head.etag)?.[1];
  if (count !== undefined && Number(count) !== plan.partCount) return undefined;
  const recorded = new Map(checkpoint.parts.map((p) => [p.partNumber, p]));
  const parts: UploadedPart[] = [];
  for (const range of plan.parts) {
    const size = range.end - range.start;
    const known = recorded.get(range.partNumber);
    const knownCrc = toCrc(known?.crc64);
    if (!verifyKept && known !== undefined && known.size === size && knownCrc !== undefined) {
      parts.push({
        partNumber: range.partNumber,
        etag: normalizeEtag(known.etag),
        size,
        crc64: knownCrc,
      });
      continue;
    }
    const body = await ctx.source.read(range.start, range.end, { signal });
    if (body.length !== size) return undefined;
    parts.push({
      partNumber: range.partNumber,
      etag: normalizeEtag(partEtag(await md5(body))),
      size,
      crc64: computeCrc64(body),
    });
  }
  if (combinedCrc64(parts) !== head.crc64) return undefined;
  return { etag: normalizeEtag(head.etag), crc64: head.crc64, parts };
}

/**
 * Compares the bytes read for a part to verify with the server's copy: its CRC-64 where one is
 * known, else the MD5 against the part's ETag. Returns the part's CRC-64 (for the object
 * check) when they match, `undefined` when the part must be sent again.
 */
export async function matchesServerPart(
  ctx: UploadContext,
  body: Uint8Array,
  part: PartToVerify,
): Promise<{ crc64: bigint } | undefined> {
  const byMd5 = part.serverCrc64 === undefined;
  const digest = await ctx.hasher.digest(body, { crc64: true, md5: byMd5 });
  const local = digest.crc64 ?? computeCrc64(body);
  if (byMd5) {
    const md5Hex = digest.md5 === undefined ? undefined : normalizeEtag(partEtag(digest.md5));
    return md5Hex === part.etag ? { crc64: local } : undefined;
  }
  return part.serverCrc64 === local ? { crc64: local } : undefined;
}

function mismatch(
  ctx: UploadContext,
  checkpoint: Checkpoint,
  input: ResumeInput,
): string | undefined {
  const t = checkpoint.target;
  if (t.endpoint !== input.endpoint || t.bucket !== ctx.bucket || t.key !== ctx.key) {
    return 'was written for another target';
  }
  if (checkpoint.source.fingerprint !== input.fingerprint)
    return 'was written for another version of the source';
  if (checkpoint.source.size !== input.size) {
    return `was written for a source of ${checkpoint.source.size} bytes, but the source now has ${input.size}`;
  }
  return undefined;
}

function toCrc(value: string | bigint | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'bigint') return value;
  try {
    return parseCrc64(value);
  } catch {
    return undefined;
  }
}

/** Aborts the checkpoint's upload (best effort) and deletes the entry. */
async function discard(
  ctx: UploadContext,
  store: CheckpointStore,
  checkpoint: Checkpoint,
  signal: AbortSignal | undefined,
): Promise<void> {
  await abortQuietly(
    ctx,
    checkpoint.target.bucket,
    checkpoint.target.key,
    checkpoint.uploadId,
    checkpoint.id,
    signal,
  );
  await deleteQuietly(ctx, store, checkpoint.id, checkpoint.uploadId);
}

/**
 * Another checkpoint for the same endpoint, bucket and key means the source changed since
 * that upload started (its fingerprint, hence its id, differs): its parts can never complete
 * this object correctly, so its upload is aborted and the entry deleted, unless another
 * process holds its lock (then it is live and left alone).
 */
async function abortStaleUploads(ctx: UploadContext, input: ResumeInput): Promise<void> {
  const { store } = input;
  let summaries: Awaited<ReturnType<CheckpointStore['list']>>;
  try {
    summaries = await store.list();
  } catch {
    return;
  }
  for (const summary of summaries) {
    if (summary.id === input.id) continue;
    const t = summary.target;
    if (t.endpoint !== input.endpoint || t.bucket !== ctx.bucket || t.key !== ctx.key) continue;
    let unlock: (() => Promise<void>) | undefined;
    if (store.lock !== undefined) {
      try {
        unlock = await store.lock(summary.id);
      } catch {
        continue;
      }
    }
    try {
      // The entry is the only record of that upload id: it goes only once the upload is gone
      // (abortQuietly has warned otherwise, and the next run tries again).
      if (await abortQuietly(ctx, t.bucket, t.key, summary.uploadId, summary.id, input.signal)) {
        ctx.warn({
          code: 'stale-upload-aborted',
          message: `Found checkpoint ${summary.id} for ${ctx.bucket}/${ctx.key} made from another version of the source; aborted its upload ${summary.uploadId} and deleted the checkpoint.`,
          checkpointId: summary.id,
          uploadId: summary.uploadId,
        });
        await deleteQuietly(ctx, store, summary.id, summary.uploadId);
      }
    } finally {
      await unlock?.().catch(() => {});
    }
  }
}
