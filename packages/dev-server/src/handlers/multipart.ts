import { combineCrc64Parts, multipartEtag } from '@ossup/checksum';
import {
  buildCompleteMultipartUploadResult,
  buildCopyPartResult,
  buildInitiateMultipartUploadResult,
  buildListMultipartUploadsResult,
  buildListPartsResult,
  type CompletePart,
  type MultipartUploadSummary,
  parseCompleteMultipartUpload,
} from '@ossup/xml-protocol';
import {
  entityTooLarge,
  entityTooSmall,
  invalidArgument,
  invalidPart,
  invalidPartNumber,
  invalidPartOrder,
  malformedXml,
  noSuchUpload,
} from '../error-codes.ts';
import { readSmallBody } from '../http/receive-body.ts';
import { ossUrlEncode } from '../http/url-encode.ts';
import { paginate, partsPage, uploadsAfter } from '../listing.ts';
import { allowBody, type RequestContext, send, sendXml } from '../server/context.ts';
import type { ServerState } from '../server/state.ts';
import type { UploadState } from '../storage/disk-store.ts';
import type { ObjectRecord, PartRecord } from '../storage/records.ts';
import { buildWithUrlFallback } from '../xml/documents.ts';
import { checkBodyFraming } from './body-checks.ts';
import {
  encodingTypeOf,
  forbidOverwrite,
  intParam,
  isoDate,
  nowSeconds,
  objectAclOf,
  storageClassOf,
  storedHeadersFrom,
} from './common.ts';
import { copyObjectBytes, copyRange, resolveCopySource } from './copy.ts';
import { receiveBodyFile } from './store-body.ts';

function encOpt(enc: 'url' | undefined): { encodingType?: 'url' } {
  return enc === undefined ? {} : { encodingType: enc };
}

/** POST /bucket/key?uploads */
export async function initiateMultipartUpload(
  state: ServerState,
  ctx: RequestContext,
): Promise<void> {
  const bucket = ctx.bucket!;
  const key = ctx.key!;
  state.store.requireBucket(bucket); // NoSuchBucket before anything else
  const encodingType = encodingTypeOf(ctx.query);
  const headers = storedHeadersFrom(ctx.headers);
  // x-oss-forbid-overwrite is not checked here: §4.1 lists no FileAlreadyExists for Initiate
  // (which "does not touch an existing object"), and OSS documents the 409 (EC 0042-00000214)
  // for CompleteMultipartUpload only, so a client must not learn of it earlier here either.
  allowBody(ctx);
  await readSmallBody(ctx.req, 64 * 1024);
  const upload = await state.store.initiateUpload(bucket, key, headers);
  sendXml(
    ctx,
    buildWithUrlFallback(
      (enc) =>
        buildInitiateMultipartUploadResult({
          bucket,
          key,
          uploadId: upload.uploadId,
          ...encOpt(enc),
        }),
      encodingType,
    ),
  );
}

function requireUpload(state: ServerState, ctx: RequestContext, ec: string): UploadState {
  state.store.requireBucket(ctx.bucket!);
  const uploadId = ctx.query.get('uploadId') ?? '';
  const upload = state.store.upload(ctx.bucket!, uploadId, ctx.key!);
  if (upload === undefined) throw noSuchUpload(uploadId, ec);
  return upload;
}

function partNumberOf(state: ServerState, ctx: RequestContext): number {
  const raw = ctx.query.get('partNumber');
  if (raw === undefined) {
    throw invalidArgument('Unexpected query string parameter', 'partNumber', '', '0017-00000219');
  }
  if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1 || Number(raw) > state.limits.maxPartNumber) {
    throw invalidPartNumber(raw, state.limits.maxPartNumber);
  }
  return Number(raw);
}

/** PUT /bucket/key?partNumber=N&uploadId=ID */
export async function uploadPart(state: ServerState, ctx: RequestContext): Promise<void> {
  const bucket = ctx.bucket!;
  const partNumber = partNumberOf(state, ctx);
  const upload = requireUpload(state, ctx, '0042-00000104');
  checkBodyFraming(ctx, state.limits.maxPartSize);
  const { writer, digest } = await receiveBodyFile(state, ctx, bucket, state.limits.maxPartSize);
  const part: PartRecord = {
    partNumber,
    size: digest.size,
    etag: digest.md5.toString('hex').toUpperCase(),
    crc64: digest.crc64.toString(),
    lastModified: nowSeconds(state.now()),
    dataId: writer.id,
  };
  try {
    // The data file's fsync and the part record's run at the same time.
    await state.store.commitPart(
      bucket,
      upload.record.uploadId,
      ctx.key!,
      part,
      '0042-00000104',
      writer.commit(),
    );
  } catch (err) {
    await writer.discard();
    throw err;
  }
  send(ctx, 200, {
    ETag: `"${part.etag}"`,
    'Content-MD5': digest.md5.toString('base64'),
    'x-oss-hash-crc64ecma': part.crc64,
  });
}

/** PUT /bucket/key?partNumber=N&uploadId=ID with x-oss-copy-source */
export async function uploadPartCopy(state: ServerState, ctx: RequestContext): Promise<void> {
  const bucket = ctx.bucket!;
  const partNumber = partNumberOf(state, ctx);
  const upload = requireUpload(state, ctx, '0042-00000311');
  const source = resolveCopySource(state, ctx);
  const { start, end } = copyRange(ctx.headers['x-oss-copy-source-range'], source.object.size);
  if (end - start > state.limits.maxPartSize) throw entityTooLarge(state.limits.maxPartSize);
  const { writer, digest } = await copyObjectBytes(state, source, start, end, bucket);
  const part: PartRecord = {
    partNumber,
    size: digest.size,
    etag: digest.md5.toString('hex').toUpperCase(),
    crc64: digest.crc64.toString(),
    lastModified: nowSeconds(state.now()),
    dataId: writer.id,
  };
  try {
    await state.store.commitPart(bucket, upload.record.uploadId, ctx.key!, part, '0042-00000311');
  } catch (err) {
    await writer.discard();
    throw err;
  }
  const headers: Record<string, string> = {
    ETag: `"${part.etag}"`,
    'x-oss-hash-crc64ecma': part.crc64,
  };
  if (ctx.headers['x-oss-copy-source-range'] !== undefined) {
    headers['Content-Range'] = `bytes ${start}-${end - 1}/${source.object.size}`;
  }
  sendXml(
    ctx,
    buildCopyPartResult({ lastModified: isoDate(part.lastModified), etag: part.etag }),
    headers,
  );
}

/**
 * The checks of §4.4, steps 2-6, in order, against the upload's parts. Returns the parts the
 * object is made of, in order.
 */
function selectParts(
  state: ServerState,
  upload: UploadState,
  completeAll: boolean,
  listed: readonly CompletePart[] | undefined,
): PartRecord[] {
  if (completeAll) {
    const all = [...upload.parts.values()].sort((a, b) => a.partNumber - b.partNumber);
    // Assumption (UNVERIFIED): completing an upload without any part is InvalidPart.
    if (all.length === 0) throw invalidPart();
    checkSizes(state, all);
    return all;
  }
  const parts = listed ?? [];
  if (parts.length === 0) throw malformedXml();
  let previous = 0;
  for (const p of parts) {
    if (p.partNumber < 1 || p.partNumber > state.limits.maxPartNumber || p.partNumber <= previous) {
      throw invalidPartOrder();
    }
    previous = p.partNumber;
  }
  const chosen: PartRecord[] = [];
  for (const p of parts) {
    const stored = upload.parts.get(p.partNumber);
    // ETags compare case-insensitively (UNVERIFIED; clients send upper case anyway).
    if (stored === undefined || stored.etag.toUpperCase() !== p.etag.trim().toUpperCase()) {
      throw invalidPart();
    }
    chosen.push(stored);
  }
  checkSizes(state, chosen);
  return chosen;
}

function checkSizes(state: ServerState, parts: readonly PartRecord[]): void {
  for (let i = 0; i < parts.length - 1; i++) {
    if (parts[i]!.size < state.limits.minPartSize) throw entityTooSmall();
  }
}

/** POST /bucket/key?uploadId=ID */
export async function completeMultipartUpload(
  state: ServerState,
  ctx: RequestContext,
): Promise<void> {
  const bucket = ctx.bucket!;
  const key = ctx.key!;
  const encodingType = encodingTypeOf(ctx.query);
  const upload = requireUpload(state, ctx, '0042-00000104');
  const uploadId = upload.record.uploadId;
  const completeAll = ctx.headers['x-oss-complete-all']?.trim().toLowerCase() === 'yes';
  allowBody(ctx);
  let body: Buffer;
  try {
    body = await readSmallBody(ctx.req, state.limits.maxCompleteBodyBytes);
  } catch (err) {
    if (err instanceof Error && (err as { code?: string }).code === 'EntityTooLarge')
      throw malformedXml();
    throw err;
  }
  let listed: CompletePart[] | undefined;
  if (completeAll) {
    if (body.byteLength > 0) {
      throw invalidArgument(
        'Should not speficy both complete all header and http body.',
        'x-oss-complete-all',
        'yes',
        '0042-00000216',
      );
    }
  } else {
    try {
      listed = parseCompleteMultipartUpload(body.toString('utf8'), {
        maxBytes: state.limits.maxCompleteBodyBytes,
      }).parts;
    } catch {
      throw malformedXml();
    }
  }
  const acl = objectAclOf(ctx.headers);
  const forbid = forbidOverwrite(ctx.headers);
  const record = await state.store.completeUpload(
    bucket,
    uploadId,
    key,
    async (current): Promise<ObjectRecord> => {
      const parts = selectParts(state, current, completeAll, listed);
      const etag = await multipartEtag(parts.map((p) => p.etag));
      const crc = combineCrc64Parts(parts.map((p) => ({ crc64: BigInt(p.crc64), size: p.size })));
      const headers = { ...current.record.headers };
      if (acl !== undefined) headers['x-oss-object-acl'] = acl;
      return {
        key,
        size: parts.reduce((n, p) => n + p.size, 0),
        etag: etag.replace(/^"|"$/g, ''),
        crc64: crc.toString(),
        contentMd5: undefined,
        type: 'Multipart',
        lastModified: nowSeconds(state.now()),
        headers,
        segments: parts.map((p) => ({ id: p.dataId, size: p.size })),
        uploadId,
      };
    },
    forbid,
  );
  const path = ctx.style === 'virtual' ? '' : `/${bucket}`;
  const location = `http://${ctx.host}${path}/${ossUrlEncode(key).replace(/%2F/g, '/')}`;
  sendXml(
    ctx,
    buildWithUrlFallback(
      (enc) =>
        buildCompleteMultipartUploadResult({
          location,
          bucket,
          key,
          etag: record.etag,
          ...encOpt(enc),
        }),
      encodingType,
    ),
    { ETag: `"${record.etag}"`, 'x-oss-hash-crc64ecma': record.crc64 },
  );
}

/** DELETE /bucket/key?uploadId=ID */
export async function abortMultipartUpload(state: ServerState, ctx: RequestContext): Promise<void> {
  const upload = requireUpload(state, ctx, '0042-00000002');
  await state.store.abortUpload(ctx.bucket!, upload.record.uploadId, ctx.key!);
  send(ctx, 204, {});
}

/** GET /bucket/key?uploadId=ID */
export async function listParts(state: ServerState, ctx: RequestContext): Promise<void> {
  const encodingType = encodingTypeOf(ctx.query);
  const upload = requireUpload(state, ctx, '0042-00000104');
  const maxParts = intParam(ctx.query, 'max-parts', 1000, 1, 1000);
  const marker = intParam(ctx.query, 'part-number-marker', 0, 0, Number.MAX_SAFE_INTEGER);
  const page = partsPage(upload.parts.values(), marker, maxParts);
  const last = page.parts[page.parts.length - 1];
  sendXml(
    ctx,
    buildWithUrlFallback(
      (enc) =>
        buildListPartsResult({
          bucket: ctx.bucket!,
          key: upload.record.key,
          uploadId: upload.record.uploadId,
          storageClass: storageClassOf(upload.record.headers),
          partNumberMarker: marker,
          ...(last === undefined ? {} : { nextPartNumberMarker: last.partNumber }),
          maxParts,
          isTruncated: page.isTruncated,
          parts: page.parts.map((p) => ({
            partNumber: p.partNumber,
            lastModified: isoDate(p.lastModified),
            etag: p.etag,
            hashCrc64ecma: BigInt(p.crc64),
            size: p.size,
          })),
          ...encOpt(enc),
        }),
      encodingType,
    ),
  );
}

/** GET /bucket?uploads */
export async function listMultipartUploads(state: ServerState, ctx: RequestContext): Promise<void> {
  const b = state.store.requireBucket(ctx.bucket!);
  const q = ctx.query;
  const encodingType = encodingTypeOf(q);
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const keyMarker = q.get('key-marker') ?? '';
  // As in S3, an upload-id-marker without a key-marker is ignored.
  const uploadIdMarker = keyMarker === '' ? '' : (q.get('upload-id-marker') ?? '');
  const maxUploads = intParam(q, 'max-uploads', 1000, 1, 1000);
  const sorted = uploadsAfter(
    [...b.uploads.values()].map((u) => u.record),
    keyMarker,
    uploadIdMarker,
  );
  const page = paginate(sorted, (u) => u.key, prefix, delimiter, maxUploads, keyMarker);
  const uploads: MultipartUploadSummary[] = [];
  const commonPrefixes: string[] = [];
  let nextKeyMarker = '';
  let nextUploadIdMarker = '';
  for (const e of page.entries) {
    if (e.kind === 'item') {
      uploads.push({
        key: e.item.key,
        uploadId: e.item.uploadId,
        storageClass: storageClassOf(e.item.headers),
        initiated: isoDate(e.item.initiated),
      });
      nextKeyMarker = e.item.key;
      nextUploadIdMarker = e.item.uploadId;
    } else {
      commonPrefixes.push(e.prefix);
      nextKeyMarker = e.prefix;
      nextUploadIdMarker = '';
    }
  }
  sendXml(
    ctx,
    buildWithUrlFallback(
      (enc) =>
        buildListMultipartUploadsResult({
          bucket: b.record.name,
          keyMarker,
          uploadIdMarker: q.get('upload-id-marker') ?? '',
          nextKeyMarker,
          nextUploadIdMarker,
          delimiter,
          prefix,
          maxUploads,
          isTruncated: page.isTruncated,
          uploads,
          commonPrefixes,
          ...encOpt(enc),
        }),
      encodingType,
    ),
  );
}
