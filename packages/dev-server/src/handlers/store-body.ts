import { invalidDigest } from '../error-codes.ts';
import type { BodyDigest } from '../hash/body-hasher.ts';
import { InlineSink, WorkerSink } from '../http/body-sink.ts';
import { receiveBody } from '../http/receive-body.ts';
import { allowBody, type RequestContext } from '../server/context.ts';
import type { ServerState } from '../server/state.ts';
import type { DataFileWriter } from '../storage/data-file.ts';
import { expectedMd5 } from './body-checks.ts';

/** A request body stored durably in a data file no metadata names yet. */
export interface StoredBody {
  readonly writer: DataFileWriter;
  readonly digest: BodyDigest;
}

/**
 * Streams the request body into a new data file of the bucket, checks Content-MD5, then
 * fsyncs and renames the file into place. On any failure the file is removed. The caller
 * must commit metadata naming `writer.id`, or call `writer.discard()`.
 */
export async function storeBody(
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
    await writer.commit();
    return { writer, digest };
  } catch (err) {
    await writer.discard();
    throw err;
  }
}
