import { invalidArgument, noSuchKey, preconditionFailed } from '../error-codes.ts';
import { OssError } from '../errors.ts';
import { type BodyDigest, BodyHasher } from '../hash/body-hasher.ts';
import { PercentDecodeError, percentDecode } from '../http/url-encode.ts';
import type { RequestContext } from '../server/context.ts';
import type { ServerState } from '../server/state.ts';
import type { DataFileWriter } from '../storage/data-file.ts';
import type { ObjectRecord } from '../storage/records.ts';
import { readObjectRange } from './read-object.ts';

/** The object named by `x-oss-copy-source`. */
export interface CopySource {
  readonly bucket: string;
  readonly object: ObjectRecord;
}

/**
 * Resolves `x-oss-copy-source: /<bucket>/<percent-encoded key>[?versionId=…]` (§4.3) and
 * checks the `x-oss-copy-source-if-*` conditions.
 */
export function resolveCopySource(state: ServerState, ctx: RequestContext): CopySource {
  const raw = (ctx.headers['x-oss-copy-source'] ?? '').trim();
  const value = raw.startsWith('/') ? raw.slice(1) : raw;
  const q = value.indexOf('?');
  const path = q >= 0 ? value.slice(0, q) : value;
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) {
    throw invalidArgument(
      'Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.',
      'x-oss-copy-source',
      raw,
    );
  }
  let bucket: string;
  let key: string;
  try {
    bucket = percentDecode(path.slice(0, slash));
    key = percentDecode(path.slice(slash + 1));
  } catch (err) {
    if (err instanceof PercentDecodeError) {
      throw invalidArgument('The copy source is not correctly encoded.', 'x-oss-copy-source', raw);
    }
    throw err;
  }
  const b = state.store.requireBucket(bucket);
  const object = b.objects.get(key);
  if (object === undefined) throw noSuchKey(key);
  const h = ctx.headers;
  const etag = object.etag.toUpperCase();
  const unq = (s: string) =>
    s
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toUpperCase();
  const ifMatch = h['x-oss-copy-source-if-match'];
  if (ifMatch !== undefined && unq(ifMatch) !== etag)
    throw preconditionFailed('x-oss-copy-source-if-match');
  const ifUnmod = h['x-oss-copy-source-if-unmodified-since'];
  if (ifUnmod !== undefined && object.lastModified > Date.parse(ifUnmod)) {
    throw preconditionFailed('x-oss-copy-source-if-unmodified-since');
  }
  const ifNone = h['x-oss-copy-source-if-none-match'];
  if (ifNone !== undefined && unq(ifNone) === etag) throw notModified();
  const ifMod = h['x-oss-copy-source-if-modified-since'];
  if (ifMod !== undefined && object.lastModified <= Date.parse(ifMod)) throw notModified();
  return { bucket, object };
}

function notModified(): OssError {
  return new OssError(304, 'NotModified', 'The source object has not been modified.');
}

/**
 * Parses `x-oss-copy-source-range: bytes=first-last` (inclusive). Assumption (UNVERIFIED,
 * following the protocol reference §4.3): a malformed or unsatisfiable range is
 * InvalidArgument, not "copy the whole object".
 */
export function copyRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } {
  if (header === undefined) return { start: 0, end: size };
  const m = /^\s*bytes\s*=\s*(\d+)\s*-\s*(\d*)\s*$/i.exec(header);
  const first = m ? Number(m[1]) : Number.NaN;
  const last = m && m[2] !== '' ? Number(m[2]) : size - 1;
  if (!m || first > last || first >= size || last >= size) {
    throw invalidArgument(
      'The x-oss-copy-source-range is not valid for the source object.',
      'x-oss-copy-source-range',
      header,
    );
  }
  return { start: first, end: last + 1 };
}

/**
 * Copies bytes [start, end) of the source into a new committed data file of `destBucket`,
 * hashing on the way. The caller commits metadata naming it or discards it.
 */
export async function copyObjectBytes(
  state: ServerState,
  source: CopySource,
  start: number,
  end: number,
  destBucket: string,
): Promise<{ writer: DataFileWriter; digest: BodyDigest }> {
  // Pinned before the first await: the source was resolved (and its copy-source-if-*
  // conditions checked) synchronously, and a DeleteObject or overwrite landing while the new
  // file is created must leave the source's data files for this copy.
  const release = state.store.pin(
    source.bucket,
    source.object.segments.map((s) => s.id),
  );
  try {
    const writer = await state.store.createDataFile(destBucket);
    try {
      const hasher = new BodyHasher();
      for await (const chunk of readObjectRange(
        (id) => state.store.dataPath(source.bucket, id),
        source.object.segments,
        start,
        end,
      )) {
        hasher.update(chunk);
        await writer.write([chunk]);
      }
      await writer.commit();
      return { writer, digest: hasher.digest() };
    } catch (err) {
      await writer.discard();
      throw err;
    }
  } finally {
    release();
  }
}
