import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultAction } from '../faults.ts';
import type { ParsedQuery } from '../http/query.ts';
import { drainBody } from '../http/receive-body.ts';
import type { OperationName } from '../operations.ts';
import type { RequestLogEntry } from '../request-log.ts';

/** Everything a handler needs about one request. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly requestId: string;
  readonly method: string;
  /** The Host header as sent (for `HostId` and `Location`). */
  readonly host: string;
  /** `virtual` when the bucket came from the Host header. */
  readonly style: 'path' | 'virtual';
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  readonly query: ParsedQuery;
  readonly operation: OperationName;
  /** Lower-cased header names; repeated headers joined with `,`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The client sent `Expect: 100-continue` and is waiting for our go-ahead. */
  expectContinue: boolean;
  /** The request body was consumed (or will be, by a handler that started reading it). */
  bodyConsumed: boolean;
  /** The injected fault for this request, if any. */
  fault: FaultAction | undefined;
  readonly log: RequestLogEntry;
}

/** Lets the client send its body if it waits for `100 Continue`. Call before reading. */
export function allowBody(ctx: RequestContext): void {
  ctx.bodyConsumed = true;
  if (ctx.expectContinue) {
    ctx.expectContinue = false;
    ctx.res.writeContinue();
  }
}

/**
 * Prepares the connection for an answer sent before the body was read: a client waiting for
 * `100 Continue` will not send it (close the connection after answering); otherwise the body
 * is read and thrown away so the client sees the answer, not a reset.
 */
export async function settleUnreadBody(ctx: RequestContext): Promise<void> {
  if (ctx.bodyConsumed) return;
  ctx.bodyConsumed = true;
  if (ctx.expectContinue) {
    ctx.res.shouldKeepAlive = false;
    ctx.res.setHeader('Connection', 'close');
    return;
  }
  await drainBody(ctx.req);
}

/**
 * Cuts the connection instead of answering (the `drop-after-store` and `reset` faults).
 * Returns true when it did.
 */
export function dropIfFaulted(ctx: RequestContext): boolean {
  if (ctx.fault?.kind !== 'drop-after-store') return false;
  ctx.log.status = 0;
  ctx.req.socket.destroy();
  return true;
}

/** Sends a complete response (small body or none). Honours `drop-after-store`. */
export function send(
  ctx: RequestContext,
  status: number,
  headers: Record<string, string | number>,
  body?: string | Buffer,
): void {
  if (dropIfFaulted(ctx)) return;
  if (ctx.res.headersSent || ctx.res.destroyed) return;
  const buf = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
  for (const [k, v] of Object.entries(headers)) ctx.res.setHeader(k, v);
  // HEAD answers carry the entity's length without the entity.
  if (!(ctx.method === 'HEAD' && 'Content-Length' in headers)) {
    ctx.res.setHeader('Content-Length', buf?.byteLength ?? 0);
  }
  ctx.res.statusCode = status;
  ctx.log.status = status;
  if (ctx.method === 'HEAD' || buf === undefined) ctx.res.end();
  else ctx.res.end(buf);
}

/** Sends an XML document. */
export function sendXml(
  ctx: RequestContext,
  xml: string,
  headers: Record<string, string | number> = {},
  status = 200,
): void {
  send(ctx, status, { 'Content-Type': 'application/xml', ...headers }, xml);
}
