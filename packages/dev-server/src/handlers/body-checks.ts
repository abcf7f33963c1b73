import { entityTooLarge, invalidDigest, missingContentLength } from '../error-codes.ts';
import type { RequestContext } from '../server/context.ts';

/**
 * Checks the framing headers of an upload body: Content-Length or chunked encoding is
 * required (411 MissingContentLength), and a declared length over `max` is refused before
 * a byte is read.
 */
export function checkBodyFraming(ctx: RequestContext, max: number): void {
  const cl = ctx.headers['content-length'];
  const te = ctx.headers['transfer-encoding'];
  if (cl === undefined && te === undefined) throw missingContentLength();
  if (cl !== undefined && Number(cl) > max) throw entityTooLarge(max);
}

/** The Content-MD5 header as 16 raw bytes; InvalidDigest when it is not a Base64 MD5. */
export function expectedMd5(ctx: RequestContext): Buffer | undefined {
  const v = ctx.headers['content-md5'];
  if (v === undefined) return undefined;
  const t = v.trim();
  if (!/^[A-Za-z0-9+/]{22}==$/.test(t)) throw invalidDigest(false);
  return Buffer.from(t, 'base64');
}
