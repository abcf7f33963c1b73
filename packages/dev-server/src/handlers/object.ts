import { fileAlreadyExists, noSuchKey, preconditionFailed } from '../error-codes.ts';
import { OssError } from '../errors.ts';
import { dropIfFaulted, type RequestContext, send, sendXml } from '../server/context.ts';
import type { ServerState } from '../server/state.ts';
import type { ObjectRecord } from '../storage/records.ts';
import { renderDocument } from '../xml/local-xml.ts';
import { checkBodyFraming } from './body-checks.ts';
import {
  forbidOverwrite,
  isoDate,
  nowSeconds,
  objectHeaders,
  storedHeadersFrom,
} from './common.ts';
import { copyObjectBytes, resolveCopySource } from './copy.ts';
import { type ByteRange, resolveRange } from './range.ts';
import { readObjectRange } from './read-object.ts';
import { storeBody } from './store-body.ts';

/** PUT /bucket/key */
export async function putObject(state: ServerState, ctx: RequestContext): Promise<void> {
  const bucket = ctx.bucket!;
  const key = ctx.key!;
  const b = state.store.requireBucket(bucket);
  const headers = storedHeadersFrom(ctx.headers);
  const forbid = forbidOverwrite(ctx.headers);
  checkBodyFraming(ctx, state.limits.maxObjectSize);
  if (forbid && b.objects.has(key)) throw fileAlreadyExists();
  const { writer, digest } = await storeBody(state, ctx, bucket, state.limits.maxObjectSize);
  const etag = digest.md5.toString('hex').toUpperCase();
  const contentMd5 = digest.md5.toString('base64');
  const record: ObjectRecord = {
    key,
    size: digest.size,
    etag,
    crc64: digest.crc64.toString(),
    contentMd5,
    type: 'Normal',
    lastModified: nowSeconds(state.now()),
    headers,
    segments: [{ id: writer.id, size: digest.size }],
    uploadId: undefined,
  };
  try {
    await state.store.commitObject(bucket, record, forbid);
  } catch (err) {
    await writer.discard();
    throw err;
  }
  send(ctx, 200, {
    ETag: `"${etag}"`,
    'Content-MD5': contentMd5,
    'x-oss-hash-crc64ecma': record.crc64,
  });
}

/** PUT /bucket/key with x-oss-copy-source (CopyObject). */
export async function copyObject(state: ServerState, ctx: RequestContext): Promise<void> {
  const bucket = ctx.bucket!;
  const key = ctx.key!;
  const b = state.store.requireBucket(bucket);
  const source = resolveCopySource(state, ctx);
  const directive = (ctx.headers['x-oss-metadata-directive'] ?? 'COPY').toUpperCase();
  const headers = directive === 'REPLACE' ? storedHeadersFrom(ctx.headers) : source.object.headers;
  const forbid = forbidOverwrite(ctx.headers);
  if (forbid && b.objects.has(key)) throw fileAlreadyExists();
  const { writer, digest } = await copyObjectBytes(state, source, 0, source.object.size, bucket);
  const etag = digest.md5.toString('hex').toUpperCase();
  const record: ObjectRecord = {
    key,
    size: digest.size,
    etag,
    crc64: digest.crc64.toString(),
    contentMd5: digest.md5.toString('base64'),
    type: 'Normal',
    lastModified: nowSeconds(state.now()),
    headers,
    segments: [{ id: writer.id, size: digest.size }],
    uploadId: undefined,
  };
  try {
    await state.store.commitObject(bucket, record, forbid);
  } catch (err) {
    await writer.discard();
    throw err;
  }
  sendXml(
    ctx,
    renderDocument([
      'CopyObjectResult',
      [
        ['ETag', `"${etag}"`],
        ['LastModified', isoDate(record.lastModified)],
      ],
    ]),
    { ETag: `"${etag}"`, 'x-oss-hash-crc64ecma': record.crc64 },
  );
}

/** DELETE /bucket/key: 204 whether or not the object existed. */
export async function deleteObject(state: ServerState, ctx: RequestContext): Promise<void> {
  state.store.requireBucket(ctx.bucket!);
  await state.store.deleteObject(ctx.bucket!, ctx.key!);
  send(ctx, 204, {});
}

function stripQuotes(etag: string): string {
  const t = etag.trim();
  return t.startsWith('W/') ? stripQuotes(t.slice(2)) : t.replace(/^"(.*)"$/, '$1');
}

function etagListMatches(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((s) => s.trim())
    .some((s) => s === '*' || stripQuotes(s).toUpperCase() === etag.toUpperCase());
}

/**
 * Conditional request headers (RFC 7232 order). Returns 304 when the client's copy is
 * current; throws PreconditionFailed (412).
 */
function checkConditions(ctx: RequestContext, obj: ObjectRecord): 304 | undefined {
  const h = ctx.headers;
  const ifMatch = h['if-match'];
  if (ifMatch !== undefined) {
    if (!etagListMatches(ifMatch, obj.etag)) throw preconditionFailed('If-Match');
  } else {
    const ius = h['if-unmodified-since'];
    const t = ius === undefined ? Number.NaN : Date.parse(ius);
    if (!Number.isNaN(t) && obj.lastModified > t) throw preconditionFailed('If-Unmodified-Since');
  }
  const inm = h['if-none-match'];
  if (inm !== undefined) {
    if (etagListMatches(inm, obj.etag)) return 304;
  } else {
    const ims = h['if-modified-since'];
    const t = ims === undefined ? Number.NaN : Date.parse(ims);
    if (!Number.isNaN(t) && obj.lastModified <= t) return 304;
  }
  return undefined;
}

const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'Content-Type',
  'response-content-language': 'Content-Language',
  'response-expires': 'Expires',
  'response-cache-control': 'Cache-Control',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
};

/** GET and HEAD /bucket/key */
export async function getObject(state: ServerState, ctx: RequestContext): Promise<void> {
  const bucket = ctx.bucket!;
  const b = state.store.requireBucket(bucket);
  const obj = b.objects.get(ctx.key!);
  if (obj === undefined) throw noSuchKey(ctx.key!);
  const headers = objectHeaders(obj);
  if (checkConditions(ctx, obj) === 304) {
    send(ctx, 304, { ETag: headers['ETag']!, 'Last-Modified': headers['Last-Modified']! });
    return;
  }
  const standard = ctx.headers['x-oss-range-behavior']?.toLowerCase() === 'standard';
  let range: ByteRange | undefined;
  try {
    range = resolveRange(ctx.headers['range'], obj.size, standard);
  } catch (err) {
    if (err instanceof OssError) {
      ctx.res.setHeader('Content-Range', `bytes */${obj.size}`);
    }
    throw err;
  }
  for (const [param, header] of Object.entries(RESPONSE_OVERRIDES)) {
    const v = ctx.query.get(param);
    if (v !== undefined) {
      for (const existing of Object.keys(headers)) {
        if (existing.toLowerCase() === header.toLowerCase()) delete headers[existing];
      }
      headers[header] = v;
    }
  }
  const start = range?.first ?? 0;
  const end = range === undefined ? obj.size : range.last + 1;
  if (range !== undefined)
    headers['Content-Range'] = `bytes ${range.first}-${range.last}/${obj.size}`;
  const status = range === undefined ? 200 : 206;

  if (ctx.method === 'HEAD') {
    send(ctx, status, { ...headers, 'Content-Length': end - start });
    return;
  }
  if (dropIfFaulted(ctx)) return;
  const res = ctx.res;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader('Content-Length', end - start);
  res.statusCode = status;
  ctx.log.status = status;
  const resetAfter = ctx.fault?.kind === 'reset' ? (ctx.fault.afterBodyBytes ?? 0) : undefined;
  const release = state.store.pin(
    bucket,
    obj.segments.map((s) => s.id),
  );
  try {
    let sent = 0;
    for await (const chunk of readObjectRange(
      (id) => state.store.dataPath(bucket, id),
      obj.segments,
      start,
      end,
    )) {
      if (res.destroyed) return;
      let piece = chunk;
      if (resetAfter !== undefined && sent + piece.byteLength >= resetAfter) {
        piece = piece.subarray(0, resetAfter - sent);
        if (piece.byteLength > 0) res.write(piece);
        ctx.log.status = 0;
        // Let the partial body reach the socket, then cut the connection.
        setImmediate(() => res.socket?.destroy());
        return;
      }
      sent += piece.byteLength;
      if (!res.write(piece)) {
        // Compat-suite fix: `Promise.race([once(res, 'drain'), once(res, 'close')])` left the
        // losing 'close'/'error' listeners attached after every drain, piling up on a large
        // GET (MaxListenersExceededWarning on a 50 MiB ali-oss get). Remove both each time.
        await new Promise<void>((resolve) => {
          const wake = () => {
            res.off('drain', wake);
            res.off('close', wake);
            resolve();
          };
          res.on('drain', wake);
          res.on('close', wake);
        });
      }
    }
    if (resetAfter !== undefined) {
      ctx.log.status = 0;
      res.socket?.destroy();
      return;
    }
    res.end();
  } finally {
    release();
  }
}
