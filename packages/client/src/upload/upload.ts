import type { CheckpointPart, CheckpointStore } from '@ossup/checkpoint-store';
import {
  assertStreamFits,
  ObjectTooLargeError,
  type PartPlan,
  type PartRange,
  planParts,
  planStreamParts,
} from '@ossup/part-planner/plan';
import { inlineHasher } from '../body-hasher.ts';
import { OssArgumentError, UploadError, type UploadPhase } from '../errors.ts';
import { extensionOf } from '../file-extension.ts';
import { loadOnDemand, type OnDemand } from '../load-on-demand.ts';
import type { OssClient } from '../oss-client.ts';
import { abortReason } from './abort.ts';
import type { CheckpointWriter } from './checkpoint-writer.ts';
import { abortQuietly, deleteQuietly } from './cleanup.ts';
import { completeUpload } from './complete.ts';
import { PartBuffers } from './part-buffers.ts';
import { digestUses, sendObject, sendPart } from './part-sender.ts';
import type { PartStreamer } from './part-stream.ts';
import { ProgressTracker } from './progress.ts';
import type { PartToVerify } from './resume.ts';
import type { UploadContext } from './upload-context.ts';
import type { UploadedPart, UploadOptions, UploadResult, UploadWarning } from './upload-options.ts';
import { runPool } from './worker-pool.ts';

const DEFAULT_PARALLEL = 4;
const DEFAULT_INTEGRITY_ATTEMPTS = 3;
/** How long cleanup after a failure (AbortMultipartUpload) may take before it is given up. */
const CLEANUP_TIMEOUT_MS = 30_000;

/**
 * Uploads a source to `bucket/key` and resolves once the object is complete and verified.
 *
 * - A source no larger than one part goes up in one PutObject; anything larger in a multipart
 *   upload whose parts (planned by `@ossup/part-planner`, 8 MiB by default) are sent by
 *   `parallel` workers pulling from one queue. Memory stays about `parallel × partSize`
 *   whatever the size of the source (a part is read only when a worker is free to send it),
 *   or `parallel × 4 MiB` where parts stream from the source in slices (see
 *   `OssClient.streamsBodies`).
 * - Every part's CRC-64 is compared with the server's, and the CRC-64 combined from the parts
 *   with the object's after Complete; a part that arrives corrupted is sent again (see
 *   `integrityAttempts`). `contentMd5: true` adds a server-side check per part.
 * - With a `checkpoint` store and a source that has a fingerprint, progress is saved as
 *   parts complete, and calling `upload()` again after a failure, cancel or crash continues
 *   the same multipart upload: the server's part list is the truth, parts that match the plan
 *   are kept, only the rest is sent. At most about `parallel` parts are sent twice.
 * - `signal` pauses: in-flight requests are cancelled and the promise rejects with the
 *   signal's reason. Uploads are independent: cancelling or failing one never affects another
 *   on the same client.
 *
 * @example
 * const client = createClient({ endpoint, credentials });
 * const result = await upload(client, {
 *   source: fromBlob(file),
 *   bucket: 'photos',
 *   key: file.name,
 *   onProgress: (p) => console.log(`${p.phase} ${p.loaded}/${p.total}`),
 * });
 *
 * @throws UploadError with `phase`, `partNumber`, `uploadId`, `checkpointId` and the `cause`
 *   (`OssServiceError`, `OssNetworkError`, `OssTimeoutError`, `OssIntegrityError`, a source
 *   read error, a `CheckpointError`...). The signal's reason when cancelled.
 * @throws OssArgumentError for invalid options, before anything is sent.
 */
export async function upload(client: OssClient, options: UploadOptions): Promise<UploadResult> {
  validateOptions(options);
  if (options.signal?.aborted) throw abortReason(options.signal);
  return new Uploader(client, options).run();
}

/** A part's failure, carried to the top so the UploadError can name the part. */
class PartFailure {
  constructor(
    readonly partNumber: number,
    readonly cause: unknown,
  ) {}
}

class Uploader {
  readonly #client: OssClient;
  readonly #options: UploadOptions;
  #ctx: UploadContext;
  readonly #tracker: ProgressTracker;
  readonly #parallel: number;
  readonly #signal: AbortSignal | undefined;
  #phase: UploadPhase = 'preparing';
  #store: CheckpointStore | undefined;
  #checkpointId: string | undefined;
  #unlock: (() => Promise<void>) | undefined;
  #writer: CheckpointWriter | undefined;
  /** The code of checkpoints and resuming, loaded when the upload has a checkpoint store. */
  #checkpointing: OnDemand | undefined;
  #uploadId: string | undefined;
  readonly #parts = new Map<number, UploadedPart>();
  #resumed = false;
  #resumedBytes = 0;

  constructor(client: OssClient, options: UploadOptions) {
    this.#client = client;
    this.#options = options;
    this.#signal = options.signal;
    this.#parallel = options.parallel ?? DEFAULT_PARALLEL;
    const warn = (warning: UploadWarning) => {
      try {
        options.onWarning?.(warning);
      } catch {
        // A logging callback that throws must not break the upload.
      }
    };
    let listenerFailed = false;
    this.#tracker = new ProgressTracker(options.onProgress, {
      intervalMs: options.progressIntervalMs,
      onListenerError: (cause) => {
        // Once is enough: a broken progress bar would otherwise warn ten times a second.
        if (listenerFailed) return;
        listenerFailed = true;
        warn({
          code: 'progress-listener-failed',
          message: 'The onProgress callback threw; later errors from it are ignored.',
          cause,
        });
      },
    });
    const { contentType, meta, storageClass, acl, forbidOverwrite, headers } = options;
    this.#ctx = {
      client,
      bucket: options.bucket,
      key: options.key,
      source: options.source,
      settings: { contentType, meta, storageClass, acl, forbidOverwrite, headers },
      crc64: options.crc64 ?? true,
      contentMd5: options.contentMd5 ?? false,
      integrityAttempts: options.integrityAttempts ?? DEFAULT_INTEGRITY_ATTEMPTS,
      hasher: client.hasher ?? inlineHasher(),
      tracker: this.#tracker,
      warn,
    };
  }

  async run(): Promise<UploadResult> {
    try {
      await this.#chooseContentType();
      const size = this.#options.source.size;
      return size === undefined ? await this.#runStream() : await this.#runSized(size);
    } catch (error) {
      throw await this.#fail(error);
    } finally {
      this.#tracker.close();
      await this.#unlock?.().catch(() => {});
    }
  }

  /**
   * The object's Content-Type when the caller gave none: the source's own type (a File's),
   * else one picked from the key's extension, as the official SDKs do (`report.pdf` then opens
   * in a browser instead of downloading), else OSS's default, `application/octet-stream`.
   */
  async #chooseContentType(): Promise<void> {
    const settings = this.#ctx.settings;
    if (settings.contentType !== undefined) return;
    if (Object.keys(settings.headers ?? {}).some((name) => name.toLowerCase() === 'content-type')) {
      return;
    }
    const own = this.#options.source.type;
    const type = typeof own === 'string' && own !== '' ? own : await this.#typeOfKey();
    if (type !== undefined) {
      this.#ctx = { ...this.#ctx, settings: { ...settings, contentType: type } };
    }
  }

  /**
   * The type of the key's extension. The table is code loaded on first use, fetched only for
   * a key that has an extension; should a browser fail to fetch it (say, after the app was
   * redeployed), the object gets OSS's default type rather than the upload failing.
   */
  async #typeOfKey(): Promise<string | undefined> {
    const key = this.#options.key;
    if (extensionOf(key) === undefined) return undefined;
    try {
      return (await loadOnDemand()).contentTypeForName(key);
    } catch {
      return undefined;
    }
  }

  // ---- sources of known size -------------------------------------------------------------

  async #runSized(size: number): Promise<UploadResult> {
    const o = this.#options;
    const plan = asArgumentError(() => planParts({ size, partSize: o.partSize, limits: o.limits }));
    this.#tracker.setTotals(size, plan.partCount);
    this.#tracker.setPhase('preparing');
    const store = o.checkpoint;
    const fingerprint = o.source.fingerprint;
    if (store !== undefined && (fingerprint === undefined || fingerprint === '')) {
      this.#ctx.warn({
        code: 'no-fingerprint',
        message:
          'A checkpoint store was given, but the source has no fingerprint (bytes in memory, a stream, a plain Blob), so it could not be recognised later: no checkpoint is kept and this upload cannot be resumed.',
      });
    } else if (store !== undefined && fingerprint !== undefined) {
      // Only uploads with a checkpoint store need it: it loads on first use.
      const checkpointing = await loadOnDemand();
      this.#checkpointing = checkpointing;
      const id = await checkpointing.checkpointId({
        fingerprint,
        endpoint: this.#client.endpoint,
        bucket: o.bucket,
        key: o.key,
      });
      this.#store = store;
      this.#checkpointId = id;
      if (store.lock !== undefined) this.#unlock = await store.lock(id);
      const point = await checkpointing.findResumePoint(this.#ctx, {
        store,
        id,
        endpoint: this.#client.endpoint,
        fingerprint,
        size,
        limits: o.limits,
        onCheckpointError: o.onCheckpointError ?? 'restart',
        verifyKept: o.verifyResumedParts ?? false,
        identity: o.source.identity,
        signal: this.#signal,
      });
      if (point?.completed !== undefined) {
        // Fix (apps/reliability crash matrix): an earlier run completed this upload and died
        // before deleting the checkpoint; findResumePoint confirmed the object is this source.
        const done = point.completed;
        this.#tracker.addResumed(size, done.parts.length);
        this.#tracker.setPhase('done');
        return {
          bucket: o.bucket,
          key: o.key,
          etag: done.etag,
          crc64: done.crc64,
          size,
          uploadId: point.checkpoint.uploadId,
          partSize: point.plan.partSize,
          parts: done.parts,
          resumed: true,
          resumedBytes: size,
        };
      }
      if (point !== undefined) {
        this.#resumed = true;
        this.#uploadId = point.checkpoint.uploadId;
        // The writer starts with every kept part and every recorded part still to be read
        // back, so its first write cannot record less than the checkpoint knew.
        this.#writer = this.#newWriter(
          point.checkpoint.uploadId,
          point.plan,
          fingerprint,
          point.checkpoint.createdAt,
          { parts: point.kept, pending: point.pending },
        );
        for (const part of point.kept) {
          this.#parts.set(part.partNumber, part);
          this.#resumedBytes += part.size;
        }
        this.#tracker.addResumed(this.#resumedBytes, point.kept.length);
        // The server's listing may differ from what the checkpoint said: store the truth.
        this.#writer.schedule();
        return this.#multipart(point.plan, point.verify);
      }
    }
    if (plan.partCount === 1) {
      const result = await this.#single(size);
      // An unusable entry may have been left by an earlier run (see findResumePoint).
      if (this.#store !== undefined && this.#checkpointId !== undefined) {
        await deleteQuietly(this.#ctx, this.#store, this.#checkpointId, undefined);
      }
      return result;
    }
    await this.#initiate();
    if (this.#store !== undefined && fingerprint !== undefined) {
      this.#writer = this.#newWriter(this.#uploadId!, plan, fingerprint, new Date().toISOString());
      this.#writer.schedule();
      // Wait for the first write, so a crash from now on leaves a record of the upload id.
      await this.#writer.flush();
    }
    return this.#multipart(plan, []);
  }

  #newWriter(
    uploadId: string,
    plan: PartPlan,
    fingerprint: string,
    createdAt: string,
    resumed?: { parts: readonly UploadedPart[]; pending: readonly CheckpointPart[] },
  ) {
    return this.#checkpointing!.uploadCheckpointWriter(this.#ctx, {
      store: this.#store!,
      id: this.#checkpointId!,
      uploadId,
      endpoint: this.#client.endpoint,
      fingerprint,
      identity: this.#options.source.identity,
      size: plan.size,
      partSize: plan.partSize,
      createdAt,
      resumed,
    });
  }

  async #single(size: number): Promise<UploadResult> {
    this.#phase = 'uploading';
    this.#tracker.setTotals(size, 1);
    this.#tracker.setPhase('uploading');
    const source = this.#options.source;
    // Into the hasher's own memory when it has some (as parts are), so a worker hasher need
    // not copy it.
    const body =
      source.readInto === undefined
        ? await source.read(0, size, { signal: this.#signal })
        : await source.readInto(
            0,
            size,
            new PartBuffers(size, this.#ctx.hasher, digestUses(this.#ctx)).take(),
            { signal: this.#signal },
          );
    checkLength(body, 0, size);
    return this.#putBody(body);
  }

  async #putBody(body: Uint8Array): Promise<UploadResult> {
    // As before a Complete: the source's last word before the object is made.
    await this.#options.source.verifyUnchanged?.();
    const object = await sendObject(this.#ctx, body, this.#signal);
    this.#tracker.partDone(1, body.length);
    this.#tracker.setPhase('done');
    return {
      bucket: this.#options.bucket,
      key: this.#options.key,
      etag: object.etag,
      crc64: object.crc64,
      size: body.length,
      uploadId: undefined,
      partSize: body.length,
      parts: [],
      resumed: false,
      resumedBytes: 0,
    };
  }

  async #initiate(): Promise<void> {
    this.#phase = 'initiating';
    const out = await this.#client.initiateMultipartUpload({
      ...this.#ctx.settings,
      bucket: this.#options.bucket,
      key: this.#options.key,
      signal: this.#signal,
    });
    this.#uploadId = out.uploadId;
  }

  async #multipart(plan: PartPlan, verify: readonly PartToVerify[]): Promise<UploadResult> {
    this.#phase = 'uploading';
    this.#tracker.setTotals(plan.size, plan.partCount);
    this.#tracker.setPhase('uploading');
    const toVerify = new Map(verify.map((v) => [v.partNumber, v]));
    const buffers = new PartBuffers(plan.partSize, this.#ctx.hasher, digestUses(this.#ctx));
    const { streamed, ahead } = (await loadOnDemand()).partSending(this.#ctx, this.#parallel);
    let next = 1;
    await runPool<PartRange>({
      parallel: this.#parallel + ahead,
      signal: this.#signal,
      next: () => {
        while (next <= plan.partCount && this.#parts.has(next)) next++;
        return next <= plan.partCount ? plan.parts[next++ - 1] : undefined;
      },
      run: (range, signal) => {
        const verifyPart = toVerify.get(range.partNumber);
        return streamed !== undefined && verifyPart === undefined
          ? this.#streamRange(range, streamed, signal)
          : this.#sendRange(range, verifyPart, buffers, signal);
      },
    });
    return this.#complete(plan.size, plan.partSize, plan.partCount);
  }

  /** Reads one planned part and sends it (or, for a part to verify, keeps it if it matches). */
  async #sendRange(
    range: PartRange,
    verify: PartToVerify | undefined,
    buffers: PartBuffers,
    signal: AbortSignal,
  ): Promise<void> {
    const { partNumber, start, end } = range;
    const source = this.#options.source;
    // A buffer from the pool when the source can fill one: it goes back once the part is
    // acknowledged or has failed, when neither the transport nor the hasher reads it any more.
    const buffer = source.readInto === undefined ? undefined : buffers.take();
    try {
      // The read starts synchronously, so reads happen in the order the pool hands out parts.
      const body =
        buffer === undefined || source.readInto === undefined
          ? await source.read(start, end, { signal })
          : await source.readInto(start, end, buffer, { signal });
      checkLength(body, start, end);
      if (verify !== undefined) {
        const match = await this.#checkpointing!.matchesServerPart(this.#ctx, body, verify);
        if (match !== undefined) {
          this.#record({ partNumber, etag: verify.etag, size: body.length, crc64: match.crc64 });
          this.#resumedBytes += body.length;
          this.#tracker.addResumed(body.length, 1);
          return;
        }
      }
      const uploadId = this.#uploadId!;
      const part = await sendPart(this.#ctx, uploadId, partNumber, body, signal);
      this.#record(part);
      this.#tracker.partDone(partNumber, part.size);
    } catch (error) {
      throw new PartFailure(partNumber, error);
    } finally {
      if (buffer !== undefined) buffers.give(buffer);
    }
  }

  /** Sends one planned part, read from the source in slices. */
  async #streamRange(range: PartRange, streamer: PartStreamer, signal: AbortSignal): Promise<void> {
    try {
      const part = await streamer.send(this.#uploadId!, range, signal);
      this.#record(part);
      this.#tracker.partDone(range.partNumber, part.size);
    } catch (error) {
      throw new PartFailure(range.partNumber, error);
    }
  }

  #record(part: UploadedPart): void {
    this.#parts.set(part.partNumber, part);
    this.#writer?.addPart(part);
  }

  async #complete(size: number, partSize: number, partCount: number): Promise<UploadResult> {
    // The source's own last word before the object is made: a file changed between two of its
    // periodic checks (or with those turned off) fails here instead of being stored mixed.
    await this.#options.source.verifyUnchanged?.();
    this.#phase = 'completing';
    this.#tracker.setPhase('completing');
    const parts: UploadedPart[] = [];
    for (let n = 1; n <= partCount; n++) {
      const part = this.#parts.get(n);
      if (part === undefined)
        throw new Error(`Internal error: part ${n} was neither kept nor uploaded.`);
      parts.push(part);
    }
    const uploadId = this.#uploadId!;
    const object = await completeUpload(this.#ctx, uploadId, parts, size, this.#signal);
    if (this.#writer !== undefined) {
      await this.#writer.close();
      await deleteQuietly(this.#ctx, this.#store!, this.#checkpointId!, uploadId);
      this.#writer = undefined;
    }
    this.#tracker.setPhase('done');
    return {
      bucket: this.#options.bucket,
      key: this.#options.key,
      etag: object.etag,
      crc64: object.crc64,
      size,
      uploadId,
      partSize,
      parts,
      resumed: this.#resumed,
      resumedBytes: this.#resumedBytes,
    };
  }

  // ---- streams of unknown length ---------------------------------------------------------

  async #runStream(): Promise<UploadResult> {
    const o = this.#options;
    this.#tracker.setPhase('preparing');
    if (o.checkpoint !== undefined) {
      this.#ctx.warn({
        code: 'no-fingerprint',
        message:
          'A checkpoint store was given, but the source is a stream of unknown length, which cannot be read again by another process: no checkpoint is kept and this upload cannot be resumed.',
      });
    }
    const plan = asArgumentError(() => planStreamParts({ partSize: o.partSize, limits: o.limits }));
    const partSize = plan.partSize;
    // Read the first part before deciding: a stream that ends inside it is one PutObject.
    let first: Uint8Array | undefined = await o.source.read(0, partSize, { signal: this.#signal });
    if (first.length < partSize) {
      this.#phase = 'uploading';
      this.#tracker.setTotals(first.length, 1);
      this.#tracker.setPhase('uploading');
      return this.#putBody(first);
    }
    await this.#initiate();
    this.#phase = 'uploading';
    this.#tracker.setPhase('uploading');
    let next = 1;
    let lastPart = Number.POSITIVE_INFINITY;
    let total = 0;
    await runPool<number>({
      parallel: this.#parallel,
      signal: this.#signal,
      // One part number past the plan's capacity is handed out, so that a stream longer
      // than the plan is detected (assertStreamFits) before anything of it is uploaded.
      next: () => (next <= lastPart && next <= plan.maxParts + 1 ? next++ : undefined),
      run: async (partNumber, signal) => {
        const start = (partNumber - 1) * partSize;
        try {
          let body: Uint8Array;
          if (partNumber === 1 && first !== undefined) {
            body = first;
            first = undefined;
          } else {
            body = await o.source.read(start, start + partSize, { signal });
          }
          assertStreamFits(plan, start + body.length);
          if (body.length < partSize && partNumber <= lastPart) {
            lastPart = body.length === 0 ? partNumber - 1 : partNumber;
            total = start + body.length;
            this.#tracker.setTotals(total, lastPart);
          }
          if (body.length === 0) return;
          const part = await sendPart(this.#ctx, this.#uploadId!, partNumber, body, signal);
          this.#record(part);
          this.#tracker.partDone(partNumber, part.size);
        } catch (error) {
          throw new PartFailure(partNumber, error);
        }
      },
    });
    return this.#complete(total, partSize, lastPart);
  }

  // ---- failure ---------------------------------------------------------------------------

  /** Cleans up after a failure or cancel and returns what `upload()` rejects with. */
  async #fail(error: unknown): Promise<unknown> {
    const partNumber = error instanceof PartFailure ? error.partNumber : undefined;
    const cause = error instanceof PartFailure ? error.cause : error;
    const writer = this.#writer;
    if (writer !== undefined) await writer.flush();
    // Kept by default only when a checkpoint records the upload: with every checkpoint write
    // failed (a full disk, a read-only directory) nothing could resume it, and its parts
    // would stay billed with no record of the upload id.
    const resumable = writer?.persisted === true;
    const keep = this.#options.leavePartsOnError ?? resumable;
    const uploadId = this.#uploadId;
    if (!keep && uploadId !== undefined) {
      const aborted = await abortQuietly(
        this.#ctx,
        this.#options.bucket,
        this.#options.key,
        uploadId,
        this.#checkpointId,
        cleanupSignal(),
      );
      // A checkpoint is the record of the upload id: it goes only with the upload.
      if (writer !== undefined && aborted) {
        await writer.close();
        await deleteQuietly(this.#ctx, this.#store!, this.#checkpointId!, uploadId);
      }
    }
    if (this.#signal?.aborted) return abortReason(this.#signal);
    if (cause instanceof OssArgumentError) return cause;
    return new UploadError({
      phase: this.#phase,
      partNumber,
      checkpointId: keep && resumable ? this.#checkpointId : undefined,
      uploadId,
      bucket: this.#options.bucket,
      key: this.#options.key,
      cause,
    });
  }
}

/** Planner errors about the options become argument errors: nothing was sent, fix the call. */
function asArgumentError<T>(plan: () => T): T {
  try {
    return plan();
  } catch (error) {
    if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
    const argument = error instanceof ObjectTooLargeError ? 'source' : 'partSize';
    throw new OssArgumentError(argument, error.message, { cause: error });
  }
}

function cleanupSignal(): AbortSignal | undefined {
  const timeout = (AbortSignal as { timeout?: (ms: number) => AbortSignal }).timeout;
  return typeof timeout === 'function' ? timeout.call(AbortSignal, CLEANUP_TIMEOUT_MS) : undefined;
}

function checkLength(body: Uint8Array, start: number, end: number): void {
  if (!(body instanceof Uint8Array) || body.length !== end - start) {
    throw new Error(
      `The source returned ${body instanceof Uint8Array ? `${body.length} bytes` : typeof body} for bytes [${start}, ${end}); it must return exactly ${end - start}. Was the source changed or truncated while uploading?`,
    );
  }
}

function validateOptions(options: UploadOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new OssArgumentError(
      'options',
      'upload() needs an options object: { source, bucket, key }.',
    );
  }
  const { source, bucket, key } = options;
  if (typeof source !== 'object' || source === null || typeof source.read !== 'function') {
    throw new OssArgumentError(
      'source',
      'upload() needs a `source`: fromBlob(file), fromBytes(bytes), fromStream(stream) or fromFile(path) from @ossup/node.',
    );
  }
  if (typeof bucket !== 'string' || bucket === '') {
    throw new OssArgumentError('bucket', 'upload() needs a non-empty `bucket` name.');
  }
  if (typeof key !== 'string' || key === '') {
    throw new OssArgumentError('key', 'upload() needs a non-empty object `key`.');
  }
  const size = source.size;
  if (size !== undefined && (!Number.isSafeInteger(size) || size < 0)) {
    throw new OssArgumentError(
      'source',
      `The source size must be a whole number of bytes, got ${size}.`,
    );
  }
  positiveInteger('parallel', options.parallel);
  positiveInteger('integrityAttempts', options.integrityAttempts);
  const interval = options.progressIntervalMs;
  if (interval !== undefined && !(Number.isFinite(interval) && interval >= 0)) {
    throw new OssArgumentError(
      'progressIntervalMs',
      `progressIntervalMs must be a number of milliseconds >= 0, got ${interval}.`,
    );
  }
  if (
    options.onCheckpointError !== undefined &&
    options.onCheckpointError !== 'restart' &&
    options.onCheckpointError !== 'throw'
  ) {
    throw new OssArgumentError(
      'onCheckpointError',
      "onCheckpointError must be 'restart' or 'throw'.",
    );
  }
}

function positiveInteger(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
    throw new OssArgumentError(name, `${name} must be a whole number of at least 1, got ${value}.`);
  }
}
