import { combineCrc64 } from '@ossup/checksum/crc64';
import type { PartRange } from '@ossup/part-planner/plan';
import type { BodyHasher } from '../body-hasher.ts';
import type { ByteSource } from '../byte-source.ts';
import { type SelfWatchingBody, streamWatched } from '../replayable-body.ts';
import { type BodySums, sendChecked, uploadedPart, uploadPartAttempt } from './part-sender.ts';
import type { UploadContext } from './upload-context.ts';
import type { UploadedPart } from './upload-options.ts';

/**
 * Bytes read from the source at a time. Per slice an upload pays a read through the file
 * system's thread pool, a turn of the body stream and a socket write; at 1 MiB those cost
 * about a fifth more client CPU than at 2 MiB, and with it about a tenth of the throughput on
 * a fast link (`pnpm bench upload`, integrity off; see bench/README.md). Larger slices saved
 * little more and cost memory.
 */
const SLICE_BYTES = 2 * 1024 * 1024;
/**
 * Slices one part may hold at once: one the socket is taking, one being read. A slice goes
 * back as soon as the kernel took its bytes, so the socket's own buffer is the queue behind
 * it; a third slice measured no faster.
 */
const SLICES_PER_PART = 2;

/**
 * The slice buffers of one upload, shared by its parts. A slice goes back once the transport
 * reported its bytes sent (see `Transport.streamsBodies`), so an upload holds about
 * `parallel × 4` MiB whatever its part size. Slices of an attempt that failed are left to
 * the garbage collector: the transport might still hold them.
 */
class SlicePool {
  readonly #free: Uint8Array[] = [];
  readonly #allocate: () => Uint8Array;

  constructor(hasher: BodyHasher, crc64: boolean) {
    // Memory the hasher reads without copying, when it hashes off this thread.
    this.#allocate = () => hasher.allocate?.(SLICE_BYTES, { crc64 }) ?? new Uint8Array(SLICE_BYTES);
  }

  take(): Uint8Array {
    return this.#free.pop() ?? this.#allocate();
  }

  give(slice: Uint8Array): void {
    this.#free.push(slice);
  }
}

/** Sends the parts of one upload, each read in slices as it goes out. */
export interface PartStreamer {
  send(uploadId: string, range: PartRange, signal: AbortSignal): Promise<UploadedPart>;
}

/** The {@link PartStreamer} of an upload whose source reads into given memory. */
export function createPartStreamer(ctx: UploadContext, source: ByteSource): PartStreamer {
  if (source.readInto === undefined) throw new Error('Internal error: the source cannot readInto.');
  const pool = new SlicePool(ctx.hasher, ctx.crc64);
  const hasher = ctx.crc64 ? ctx.hasher : undefined;
  return {
    send: (uploadId, { partNumber, start, end }, signal) =>
      sendPartStreamed(
        ctx,
        uploadId,
        partNumber,
        new PartStream({ source: source as SliceSource, start, end, pool, hasher, signal }),
        signal,
      ),
  };
}

/**
 * Uploads one part read from the source in slices as it is sent (a {@link PartStream}): the
 * part is never whole in memory, and every attempt, including those after a corrupted
 * arrival, reads it again.
 */
async function sendPartStreamed(
  ctx: UploadContext,
  uploadId: string,
  partNumber: number,
  body: PartStream,
  signal: AbortSignal,
): Promise<UploadedPart> {
  const size = body.size;
  const sums: BodySums = { contentMd5: undefined, crc64: undefined };
  let succeeded = false;
  try {
    const { output } = await sendChecked(
      ctx,
      partNumber,
      'UploadPart',
      sums,
      ctx.crc64 ? async () => body.crc64() : undefined,
      () =>
        uploadPartAttempt(ctx, uploadId, partNumber, body, undefined, signal, (sent) =>
          body.sent(sent),
        ),
    );
    succeeded = true;
    return uploadedPart(partNumber, size, output, sums);
  } finally {
    body.finish(succeeded);
  }
}

/** A source that can read into given memory. */
type SliceSource = ByteSource & Required<Pick<ByteSource, 'readInto'>>;

/** What a {@link PartStream} needs from the upload. */
interface PartStreamOptions {
  source: SliceSource;
  start: number;
  end: number;
  pool: SlicePool;
  /** Hashes each slice's CRC-64 as it is read; absent when the upload checks none. */
  hasher: BodyHasher | undefined;
  signal: AbortSignal;
}

/**
 * One part of a file as a {@link ReplayableBody}: each attempt reads the part again, a slice
 * at a time, as the socket takes it. Each slice is hashed before it is handed to the
 * transport, while the slice before it is on the wire; slice CRCs are combined, so a
 * worker-thread hasher still hashes off this thread. The CRC-64 of what the last attempt sent
 * is {@link PartStream.crc64}.
 */
class PartStream implements SelfWatchingBody {
  readonly size: number;
  readonly #options: PartStreamOptions;
  #attempt: PartAttempt | undefined;

  constructor(options: PartStreamOptions) {
    this.#options = options;
    this.size = options.end - options.start;
  }

  stream(): ReadableStream<Uint8Array> {
    return this.#start(undefined);
  }

  [streamWatched](onError: (error: unknown) => void): ReadableStream<Uint8Array> {
    return this.#start(onError);
  }

  #start(onError: ((error: unknown) => void) | undefined): ReadableStream<Uint8Array> {
    this.#attempt?.abandon();
    const attempt = new PartAttempt(this.#options, onError);
    this.#attempt = attempt;
    return attempt.readable;
  }

  /** The transport reported `sent` bytes of the current attempt handed to the network. */
  sent(sent: number): void {
    this.#attempt?.release(sent);
  }

  /**
   * CRC-64 of the bytes the last attempt produced. Throws if it did not produce them all,
   * which a server that acknowledged the part cannot have seen.
   */
  crc64(): bigint | undefined {
    const attempt = this.#attempt;
    if (attempt === undefined || attempt.produced !== this.size) {
      throw new Error(
        `Internal error: the part was acknowledged after ${attempt?.produced ?? 0} of its ${this.size} bytes were read.`,
      );
    }
    return attempt.crc;
  }

  /**
   * Ends the part: after a success the last attempt's slices go back to the pool (the server
   * has every byte, so the transport is done with them); after a failure they are left to the
   * garbage collector, since a transport may still be flushing a request the server already
   * answered.
   */
  finish(succeeded: boolean): void {
    const attempt = this.#attempt;
    this.#attempt = undefined;
    if (succeeded && attempt !== undefined && attempt.produced === this.size) {
      attempt.release(this.size);
    }
    attempt?.abandon();
  }
}

/** One attempt's stream over the part. */
class PartAttempt {
  readonly readable: ReadableStream<Uint8Array>;
  produced = 0;
  crc: bigint | undefined;
  readonly #o: PartStreamOptions;
  /** Slices handed out and not yet reported sent, in order, with their end offsets. */
  #held: { slice: Uint8Array; end: number }[] = [];
  #dead = false;
  #wake: (() => void) | undefined;
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;

  constructor(options: PartStreamOptions, onError: ((error: unknown) => void) | undefined) {
    this.#o = options;
    // One slice read ahead, so reading from disk overlaps the socket taking the previous one.
    this.readable = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.#controller = controller;
        },
        pull: (controller) =>
          this.#pull(controller).catch((error: unknown) => {
            onError?.(error);
            throw error;
          }),
        cancel: () => this.abandon(),
      },
      { highWaterMark: 1 },
    );
  }

  async #pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    const { source, start, pool, hasher, signal } = this.#o;
    const size = this.#o.end - start;
    if (this.produced >= size) {
      controller.close();
      return;
    }
    while (this.#held.length >= SLICES_PER_PART && !this.#dead) {
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
    if (this.#dead) return;
    const slice = pool.take();
    const from = this.produced;
    const n = Math.min(slice.length, size - from);
    const bytes = await source.readInto(start + from, start + from + n, slice, {
      signal,
      continues: from + n < size,
    });
    if (!(bytes instanceof Uint8Array) || bytes.length !== n) {
      throw new Error(
        `The source returned ${bytes instanceof Uint8Array ? `${bytes.length} bytes` : typeof bytes} for bytes [${start + from}, ${start + from + n}); it must return exactly ${n}. Was the source changed or truncated while uploading?`,
      );
    }
    if (hasher !== undefined) {
      const { crc64 } = await hasher.digest(bytes, { crc64: true });
      if (crc64 === undefined) throw new Error('Internal error: the hasher returned no CRC-64.');
      this.crc = from === 0 ? crc64 : combineCrc64(this.crc!, crc64, n);
    }
    if (this.#dead) {
      // Nothing else saw this slice: it can serve another part.
      pool.give(slice);
      return;
    }
    this.produced = from + n;
    this.#held.push({ slice, end: this.produced });
    controller.enqueue(bytes);
    if (this.produced === size) controller.close();
  }

  /** Returns the slices whose bytes are all sent. */
  release(sent: number): void {
    if (this.#dead) return;
    // Progress beyond what was produced cannot be this attempt's: ignore it.
    if (sent > this.produced) return;
    while (this.#held.length > 0 && this.#held[0]!.end <= sent) {
      this.#o.pool.give(this.#held.shift()!.slice);
    }
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** Ends the attempt: slices still held are never reused; a waiting read stops. */
  abandon(): void {
    if (this.#dead) return;
    this.#dead = true;
    this.#held = [];
    // A reader still waiting on this stream (a superseded attempt) gets an error, not silence.
    try {
      this.#controller?.error(new Error('This attempt at sending the part has ended.'));
    } catch {
      // Already closed or cancelled.
    }
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
