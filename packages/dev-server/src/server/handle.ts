import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildOssErrHeader, buildOssError } from '@ossup/xml-protocol';
import { internalError, invalidBucketName, serviceUnavailable } from '../error-codes.ts';
import { OssError } from '../errors.ts';
import {
  BUCKET_NAME_RULE,
  deleteBucket,
  getBucketInfo,
  getBucketLocation,
  listBuckets,
  listObjects,
  putBucket,
} from '../handlers/bucket.ts';
import { validateKey } from '../handlers/common.ts';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  initiateMultipartUpload,
  listMultipartUploads,
  listParts,
  uploadPart,
  uploadPartCopy,
} from '../handlers/multipart.ts';
import { copyObject, deleteObject, getObject, putObject } from '../handlers/object.ts';
import { resolveAddress } from '../http/addressing.ts';
import { ALLOWED_METHODS, EXPOSED_HEADERS } from '../http/cors.ts';
import { ParsedQuery } from '../http/query.ts';
import { ConnectionResetByFault } from '../http/receive-body.ts';
import { PercentDecodeError, percentDecode } from '../http/url-encode.ts';
import type { OperationName } from '../operations.ts';
import { newRequestId } from '../request-id.ts';
import type { RequestLogEntry } from '../request-log.ts';
import { errorDocument } from '../xml/documents.ts';
import { ADMIN_PREFIX, handleAdmin } from './admin.ts';
import { authenticate } from './auth.ts';
import { type RequestContext, settleUnreadBody } from './context.ts';
import { routeRequest } from './route.ts';
import type { ServerState } from './state.ts';

type Handler = (state: ServerState, ctx: RequestContext) => Promise<void>;

const HANDLERS: Partial<Record<OperationName, Handler>> = {
  ListBuckets: listBuckets,
  PutBucket: putBucket,
  DeleteBucket: deleteBucket,
  GetBucketInfo: getBucketInfo,
  GetBucketLocation: getBucketLocation,
  ListObjects: listObjects,
  ListObjectsV2: listObjects,
  ListMultipartUploads: listMultipartUploads,
  PutObject: putObject,
  CopyObject: copyObject,
  GetObject: getObject,
  HeadObject: getObject,
  DeleteObject: deleteObject,
  InitiateMultipartUpload: initiateMultipartUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
};

/** Header map with names lower-cased and repeated headers joined by `,` (as signers expect). */
function joinedHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (values !== undefined) out[name] = values.join(',');
  }
  return out;
}

function invalidUri(): OssError {
  return new OssError(400, 'InvalidURI', "Couldn't parse the specified URI.", {}, '0016-00000001');
}

/** Writes the OSS error response (XML body, or `x-oss-err` for HEAD). */
function sendError(
  ctx: Pick<RequestContext, 'res' | 'method' | 'requestId' | 'host' | 'log'>,
  err: OssError,
): void {
  const { res } = ctx;
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  ctx.log.status = err.status;
  ctx.log.errorCode = err.code;
  res.statusCode = err.status;
  if (err.ec !== undefined) res.setHeader('x-oss-ec', err.ec);
  if (err.status === 304) {
    res.setHeader('Content-Length', 0);
    res.end();
    return;
  }
  const doc = errorDocument(err, ctx.requestId, ctx.host);
  if (ctx.method === 'HEAD') {
    res.setHeader('x-oss-err', buildOssErrHeader(doc));
    res.setHeader('Content-Length', 0);
    res.end();
    return;
  }
  const body = Buffer.from(buildOssError(doc));
  res.setHeader('Content-Type', 'application/xml');
  res.setHeader('Content-Length', body.byteLength);
  res.end(body);
}

/** Adds CORS response headers for an allowed Origin. Returns whether the origin is allowed. */
function applyCors(state: ServerState, req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  res.setHeader('Vary', 'Origin');
  if (!state.cors.allows(origin)) return false;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  return true;
}

/** Handles one HTTP request end to end; never throws. */
export async function handleRequest(
  state: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
  expectContinue: boolean,
): Promise<void> {
  const requestId = newRequestId();
  const method = (req.method ?? 'GET').toUpperCase();
  const host = req.headers.host ?? '';
  res.setHeader('x-oss-request-id', requestId);
  res.setHeader('Server', 'AliyunOSS');
  res.setHeader('Date', new Date(state.now()).toUTCString());

  const log: RequestLogEntry = {
    requestId,
    time: state.now(),
    method,
    operation: 'Unsupported',
    bucket: undefined,
    key: undefined,
    partNumber: undefined,
    uploadId: undefined,
    status: 0,
    errorCode: undefined,
    fault: undefined,
  };
  const early = { res, method, requestId, host, log };

  // Absolute-form targets (`PUT http://host/path`) are legal HTTP; keep only path + query.
  const target = (req.url ?? '/').replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const hashAt = target.indexOf('#');
  const noHash = hashAt >= 0 ? target.slice(0, hashAt) : target;
  const q = noHash.indexOf('?');
  const rawPath = (q >= 0 ? noHash.slice(0, q) : noHash) || '/';
  const rawQuery = q >= 0 ? noHash.slice(q + 1) : '';

  const corsAllowed = applyCors(state, req, res);
  const address = resolveAddress(req.headers.host, rawPath, state.baseHosts);

  if (method === 'OPTIONS') {
    log.operation = 'Preflight';
    state.requests.record(log);
    const requested = req.headers['access-control-request-method']?.toUpperCase();
    req.resume();
    if (!corsAllowed || requested === undefined || !ALLOWED_METHODS.includes(requested)) {
      res.removeHeader('Access-Control-Allow-Origin');
      res.removeHeader('Access-Control-Expose-Headers');
      sendError(
        early,
        new OssError(
          403,
          'AccessForbidden',
          "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
          {},
          '0003-00000001',
        ),
      );
      return;
    }
    res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
    const reqHeaders = req.headers['access-control-request-headers'];
    if (reqHeaders !== undefined) res.setHeader('Access-Control-Allow-Headers', reqHeaders);
    res.setHeader('Access-Control-Max-Age', '600');
    res.statusCode = 200;
    log.status = 200;
    res.setHeader('Content-Length', 0);
    res.end();
    return;
  }

  if (address.style === 'path' && rawPath.startsWith(ADMIN_PREFIX)) {
    try {
      await handleAdmin(state, req, res, rawPath, rawQuery);
    } catch (err) {
      state.warn(`admin request failed: ${(err as Error).message}`);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      }
    }
    return;
  }

  let ctx: RequestContext | undefined;
  try {
    let bucket: string | undefined;
    let key: string | undefined;
    let query: ParsedQuery;
    try {
      bucket = address.bucket === undefined ? undefined : percentDecode(address.bucket);
      key = address.rawKey === undefined ? undefined : percentDecode(address.rawKey);
      query = new ParsedQuery(rawQuery);
    } catch (err) {
      if (err instanceof PercentDecodeError) throw invalidUri();
      throw err;
    }
    const headers = joinedHeaders(req);
    const route = routeRequest(method, bucket, key, query, headers['x-oss-copy-source']);
    log.operation = route.operation;
    log.bucket = bucket;
    log.key = key;
    const pn = query.get('partNumber');
    log.partNumber = pn !== undefined && /^\d{1,6}$/.test(pn) ? Number(pn) : undefined;
    log.uploadId = query.get('uploadId');
    state.requests.record(log);
    ctx = {
      req,
      res,
      requestId,
      method,
      host,
      style: address.style,
      bucket,
      key,
      query,
      operation: route.operation,
      headers,
      expectContinue,
      bodyConsumed: false,
      fault: undefined,
      log,
    };
    if (bucket !== undefined && route.operation !== 'PutBucket' && !BUCKET_NAME_RULE.test(bucket)) {
      throw invalidBucketName(bucket);
    }
    if (key !== undefined) validateKey(key);
    if (route.error) throw route.error;
    await authenticate(state, ctx);

    const fault = state.faults.take({
      method,
      operation: route.operation,
      bucket,
      key,
      partNumber: log.partNumber,
    });
    if (fault !== undefined) {
      ctx.fault = fault;
      log.fault = fault.kind;
      if (fault.kind === 'delay') {
        // Compat-suite fix: wake early when the connection closes (client timed out, or
        // close() cut it); close() awaits in-flight requests and otherwise sat out the delay.
        // The connection may have closed before this listener exists ('close' never fires
        // again): check first, or the wait would last the whole delay.
        if (!req.socket.destroyed) {
          await new Promise<void>((resolve) => {
            let timer: ReturnType<typeof setTimeout> | undefined;
            const wake = () => {
              clearTimeout(timer);
              res.off('close', wake);
              resolve();
            };
            timer = setTimeout(wake, fault.ms);
            res.once('close', wake);
          });
        }
        // The client is gone: nobody would see the answer.
        if (req.socket.destroyed) return;
      }
      if (fault.kind === 'status') {
        const e = serviceUnavailable(fault.code ?? 'ServiceUnavailable', fault.status);
        throw fault.message === undefined ? e : new OssError(e.status, e.code, fault.message);
      }
      if (
        fault.kind === 'reset' &&
        !['PutObject', 'UploadPart', 'GetObject'].includes(route.operation)
      ) {
        log.status = 0;
        req.socket.destroy();
        return;
      }
    }
    await HANDLERS[route.operation]!(state, ctx);
  } catch (err) {
    if (err instanceof ConnectionResetByFault) return;
    const ossErr = err instanceof OssError ? err : undefined;
    if (ossErr === undefined) {
      state.warn(
        `internal error handling ${method} ${rawPath}: ${(err as Error)?.stack ?? String(err)}`,
      );
    }
    if (req.socket.destroyed) return;
    if (ctx !== undefined) await settleUnreadBody(ctx);
    if (!req.complete && !res.headersSent) {
      // Part of the body is still unread (e.g. EntityTooLarge mid-stream): do not reuse.
      res.shouldKeepAlive = false;
      res.setHeader('Connection', 'close');
    }
    sendError(ctx ?? early, ossErr ?? internalError());
  }
}
