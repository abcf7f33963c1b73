import { invalidDigest } from '../error-codes.ts';
import type { BodyDigest } from '../hash/body-hasher.ts';
import { InlineSink, WorkerSink } from '../http/body-sink.ts';
import { receiveBody } from '../http/receive-body.ts';
import { allowBody, type RequestContext } from '../server/context.ts';
import type { ServerState } from '../server/state.ts';
import type { DataFileWriter } from '../storage/data-file.ts';
import { expectedMd5 } from './body-checks.ts';

/**
 * A request body in a data file no metadata names yet: durable once `writer.commit()`
 * resolved (as it has when {@link storeBody} returns it).
 */
export interface StoredBody {
  readonly writer: DataFileWriter;
  readonly digest: BodyDigest;
}

/**
 * Streams the request body into a new data file of the bucket and checks Content-MD5; the
 * file is not committed yet. On any failure the file is removed. The caller must commit it
 * (`writer.commit()`) and then metadata naming `writer.id`, or call `writer.discard()`.
 */
export async function receiveBodyFile(
  state: ServerState,
  ctx: RequestContext,
  bucket: string,
  maxBytes: number,
): Promise<StoredBody> {
  const md5 = expectedMd5(ctx);
  const writer = await state.store.createDataFile(bucket);
  try {
    allowBody(ctx);
    const reset = ctx.fault?.kind === 'reset' ? (ctx.fault.afterBodyBytes ?? 0) : undefined;
    const sink =
      (state.hashPool && WorkerSink.create(state.hashPool, writer.tmpPath)) ??
      new InlineSink(writer);
    const digest = await receiveBody(ctx.req, sink, { maxBytes, resetAfterBytes: reset });
    if (md5 !== undefined && !md5.equals(digest.md5)) throw invalidDigest(true);
    return { writer, digest };
  } catch (err) {
    await writer.discard();
    throw err;
  }
}

/**
 * {@link receiveBodyFile}, then fsyncs and renames the file into place. The caller must
 * commit metadata naming `writer.id`, or call `writer.discard()`.
 */
export async function storeBody(
  state: ServerState,
  ctx: RequestContext,
  bucket: string,
  maxBytes: number,
): Promise<StoredBody> {
  const stored = await receiveBodyFile(state, ctx, bucket, maxBytes);
  try {
    await stored.writer.commit();
  } catch (err) {
    await stored.writer.discard();
    throw err;
  }
  return stored;
}
