// GetObject, HeadObject and DeleteObject, loaded on first use (see on-demand.ts). PutObject,
// which upload() sends for small sources, is in put-object.ts with the code loaded up front.

import { OssArgumentError } from './errors.ts';
import { objectHeaders } from './object-headers.ts';
import type {
  DeleteObjectInput,
  DeleteObjectOutput,
  GetObjectInput,
  GetObjectOutput,
  HeadObjectInput,
  HeadObjectOutput,
} from './operation-types.ts';
import type { RequestExecutor } from './request-executor.ts';
import { checkHeader, checkTarget } from './request-fields.ts';
import { bareEtag } from './response-fields.ts';

const RESPONSE_OVERRIDES = new Set([
  'content-type',
  'content-language',
  'expires',
  'cache-control',
  'content-disposition',
  'content-encoding',
]);

/**
 * GetObject: `GET /key`, optionally ranged. The body is returned as a stream and is not
 * covered by the per-attempt timeout; the response headers are.
 */
export async function getObject(
  exec: RequestExecutor,
  input: GetObjectInput,
): Promise<GetObjectOutput> {
  checkTarget(input);
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    checkHeader(name, value, input);
    headers[name.toLowerCase()] = value;
  }
  const range = input.range;
  if (range !== undefined) {
    const { start, end } = range;
    if (
      !Number.isSafeInteger(start) ||
      start < 0 ||
      (end !== undefined && (!Number.isSafeInteger(end) || end <= start))
    ) {
      throw new OssArgumentError(
        'range',
        `Invalid range {start: ${start}, end: ${String(end)}}: need whole numbers with 0 <= start < end (end exclusive, optional).`,
        input,
      );
    }
    headers['range'] = `bytes=${start}-${end === undefined ? '' : end - 1}`;
    if (input.strictRange ?? true) headers['x-oss-range-behavior'] = 'standard';
  }
  if (input.ifMatch !== undefined) headers['if-match'] = `"${bareEtag(input.ifMatch)}"`;
  if (input.ifNoneMatch !== undefined)
    headers['if-none-match'] = `"${bareEtag(input.ifNoneMatch)}"`;
  const query: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(input.responseHeaders ?? {})) {
    const lower = name.toLowerCase().replace(/^response-/, '');
    if (!RESPONSE_OVERRIDES.has(lower)) {
      throw new OssArgumentError(
        'responseHeaders',
        `OSS can override only ${[...RESPONSE_OVERRIDES].join(', ')} in a GetObject response, not ${JSON.stringify(name)}.`,
        input,
      );
    }
    query.push([`response-${lower}`, value]);
  }
  const response = await exec.send({
    operation: 'GetObject',
    method: 'GET',
    bucket: input.bucket,
    key: input.key,
    query,
    headers,
    signal: input.signal,
    responseBody: 'stream',
  });
  const body = response.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  const head = objectHeaders(response.headers, response.requestId);
  const contentRange = response.headers.get('content-range') ?? undefined;
  const total = contentRange === undefined ? undefined : /\/(\d+)\s*$/.exec(contentRange)?.[1];
  return {
    ...head,
    size: total === undefined ? head.size : Number(total),
    contentLength: head.size,
    status: response.status,
    contentRange,
    body,
  };
}

/** HeadObject: `HEAD /key`. A missing object rejects with an OssServiceError of status 404. */
export async function headObject(
  exec: RequestExecutor,
  input: HeadObjectInput,
): Promise<HeadObjectOutput> {
  checkTarget(input);
  const response = await exec.send({
    operation: 'HeadObject',
    method: 'HEAD',
    bucket: input.bucket,
    key: input.key,
    signal: input.signal,
    responseBody: 'discard',
  });
  return objectHeaders(response.headers, response.requestId);
}

/** DeleteObject: `DELETE /key` (204, also for a missing key). */
export async function deleteObject(
  exec: RequestExecutor,
  input: DeleteObjectInput,
): Promise<DeleteObjectOutput> {
  checkTarget(input);
  const response = await exec.send({
    operation: 'DeleteObject',
    method: 'DELETE',
    bucket: input.bucket,
    key: input.key,
    query: input.versionId === undefined ? [] : [['versionId', input.versionId]],
    signal: input.signal,
    responseBody: 'discard',
  });
  return { requestId: response.requestId };
}
