import type { BodyHasher } from '../body-hasher.ts';
import { createPartStreamer, type PartStreamer } from './part-stream.ts';
import { createSendSlots } from './send-slots.ts';
import type { UploadContext } from './upload-context.ts';

/** How the parts of a multipart upload are read and sent: see {@link partSending}. */
export interface PartSending {
  /**
   * Set when parts are read in slices as the socket takes them (see part-stream.ts), which
   * needs a transport that streams bodies, a source that reads into given memory (a file),
   * and no Content-MD5, which must be known before the first byte goes out. Otherwise parts
   * are read whole.
   */
  readonly streamed: PartStreamer | undefined;
  /** How many more parts than `parallel` may be read and hashed at once (0: none ahead). */
  readonly ahead: number;
}

/**
 * Chooses how the parts are read and sent. Parts read whole with Content-MD5, where the
 * hasher computes several MD5s together for less CPU ({@link BodyHasher.md5Batch}), are read
 * and hashed up to `min(parallel, md5Batch)` ahead of the sends, so that the next parts' MD5s
 * are asked for together while earlier parts are on the wire; `ctx.sendSlot` then holds the
 * sends to `parallel`.
 */
export function partSending(ctx: UploadContext, parallel: number): PartSending {
  const source = ctx.source;
  if (ctx.client.streamsBodies === true && source.readInto !== undefined && !ctx.contentMd5) {
    return { streamed: createPartStreamer(ctx, source), ahead: 0 };
  }
  if (!ctx.contentMd5) return { streamed: undefined, ahead: 0 };
  const batch = ctx.hasher.md5Batch ?? 1;
  if (batch <= 1) return { streamed: undefined, ahead: 0 };
  ctx.sendSlot = createSendSlots(parallel);
  return { streamed: undefined, ahead: Math.min(parallel, batch) };
}
