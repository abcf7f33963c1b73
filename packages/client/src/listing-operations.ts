import { parseListMultipartUploadsResult, parseListPartsResult } from '@ossup/xml-protocol';
import { validateBucketName, validateObjectKey } from './addressing.ts';
import { malformedResponseError } from './error-mapping.ts';
import { OssArgumentError, OssError } from './errors.ts';
import type {
  ListedPart,
  ListMultipartUploadsInput,
  ListMultipartUploadsOutput,
  ListPartsInput,
  ListPartsOutput,
  MultipartUploadEntry,
  MultipartUploadInfo,
} from './operation-types.ts';
import type {
  ListAllMultipartUploadsInput,
  ListAllPartsInput,
  ListUploadsAndPrefixesInput,
  ListUploadsForKeyInput,
} from './oss-client.ts';
import type { RequestExecutor } from './request-executor.ts';
import { checkPageSize, checkTarget, checkUploadId } from './request-fields.ts';
import { bareEtag } from './response-fields.ts';

/** ListParts: one page of the parts of an upload. */
export async function listParts(
  exec: RequestExecutor,
  input: ListPartsInput,
): Promise<ListPartsOutput> {
  checkTarget(input);
  checkUploadId(input.uploadId, input);
  checkPageSize('maxParts', input.maxParts, input);
  if (
    input.partNumberMarker !== undefined &&
    (!Number.isInteger(input.partNumberMarker) || input.partNumberMarker < 0)
  ) {
    throw new OssArgumentError(
      'partNumberMarker',
      `partNumberMarker must be a whole number >= 0, got ${String(input.partNumberMarker)}.`,
      input,
    );
  }
  const query: Array<[string, string]> = [['uploadId', input.uploadId]];
  if (input.maxParts !== undefined) query.push(['max-parts', String(input.maxParts)]);
  if (input.partNumberMarker !== undefined)
    query.push(['part-number-marker', String(input.partNumberMarker)]);
  query.push(['encoding-type', 'url']);
  const operation = 'ListParts';
  const response = await exec.send({
    operation,
    method: 'GET',
    bucket: input.bucket,
    key: input.key,
    query,
    signal: input.signal,
  });
  let page: ReturnType<typeof parseListPartsResult>;
  try {
    page = parseListPartsResult(response.text);
  } catch (cause) {
    throw malformedResponseError(
      response.status,
      response.headers,
      { operation, method: 'GET', url: response.url, bucket: input.bucket, key: input.key },
      cause,
    );
  }
  return {
    bucket: input.bucket,
    key: input.key,
    uploadId: input.uploadId,
    parts: page.parts.map(
      (part): ListedPart => ({
        partNumber: part.partNumber,
        etag: bareEtag(part.etag),
        size: part.size,
        lastModified: part.lastModified,
        crc64: part.hashCrc64ecma,
      }),
    ),
    isTruncated: page.isTruncated,
    nextPartNumberMarker: page.nextPartNumberMarker,
    storageClass: page.storageClass,
    requestId: response.requestId,
  };
}

/** Every part of an upload, page after page (ascending part numbers). */
export async function* listAllParts(
  exec: RequestExecutor,
  input: ListAllPartsInput,
): AsyncGenerator<ListedPart, void, undefined> {
  checkPageSize('pageSize', input.pageSize, input);
  let marker: number | undefined;
  for (;;) {
    const page = await listParts(exec, {
      bucket: input.bucket,
      key: input.key,
      uploadId: input.uploadId,
      ...(input.pageSize === undefined ? {} : { maxParts: input.pageSize }),
      ...(marker === undefined ? {} : { partNumberMarker: marker }),
      ...(input.signal === undefined ? {} : { signal: input.signal }),
    });
    yield* page.parts;
    if (!page.isTruncated) return;
    // A truncated page must move the cursor forward, or the loop would never end.
    const next = page.nextPartNumberMarker ?? page.parts.at(-1)?.partNumber;
    if (next === undefined || (marker !== undefined && next <= marker)) {
      throw stuckPaginator('ListParts', input.bucket, input.key);
    }
    marker = next;
  }
}

/** ListMultipartUploads: one page of the in-progress uploads of a bucket. */
export async function listMultipartUploads(
  exec: RequestExecutor,
  input: ListMultipartUploadsInput,
): Promise<ListMultipartUploadsOutput> {
  validateBucketName(input.bucket);
  checkPageSize('maxUploads', input.maxUploads, { bucket: input.bucket });
  if (input.uploadIdMarker !== undefined && input.keyMarker === undefined) {
    throw new OssArgumentError(
      'uploadIdMarker',
      'uploadIdMarker only makes sense together with keyMarker.',
      { bucket: input.bucket },
    );
  }
  const query: Array<[string, string]> = [['uploads', '']];
  if (input.delimiter !== undefined) query.push(['delimiter', input.delimiter]);
  if (input.keyMarker !== undefined) query.push(['key-marker', input.keyMarker]);
  if (input.maxUploads !== undefined) query.push(['max-uploads', String(input.maxUploads)]);
  if (input.prefix !== undefined) query.push(['prefix', input.prefix]);
  if (input.uploadIdMarker !== undefined) query.push(['upload-id-marker', input.uploadIdMarker]);
  query.push(['encoding-type', 'url']);
  const operation = 'ListMultipartUploads';
  const response = await exec.send({
    operation,
    method: 'GET',
    bucket: input.bucket,
    query,
    signal: input.signal,
  });
  let page: ReturnType<typeof parseListMultipartUploadsResult>;
  try {
    page = parseListMultipartUploadsResult(response.text);
  } catch (cause) {
    throw malformedResponseError(
      response.status,
      response.headers,
      { operation, method: 'GET', url: response.url, bucket: input.bucket },
      cause,
    );
  }
  return {
    bucket: input.bucket,
    uploads: page.uploads.map((u) => ({
      key: u.key,
      uploadId: u.uploadId,
      initiated: u.initiated,
      storageClass: u.storageClass,
    })),
    commonPrefixes: page.commonPrefixes,
    isTruncated: page.isTruncated,
    nextKeyMarker: page.nextKeyMarker === '' ? undefined : page.nextKeyMarker,
    nextUploadIdMarker: page.nextUploadIdMarker === '' ? undefined : page.nextUploadIdMarker,
    requestId: response.requestId,
  };
}

async function* uploadPages(
  exec: RequestExecutor,
  input: ListAllMultipartUploadsInput & { delimiter?: string | undefined },
): AsyncGenerator<ListMultipartUploadsOutput, void, undefined> {
  checkPageSize('pageSize', input.pageSize, { bucket: input.bucket });
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await listMultipartUploads(exec, {
      bucket: input.bucket,
      ...(input.prefix === undefined ? {} : { prefix: input.prefix }),
      ...(input.delimiter === undefined ? {} : { delimiter: input.delimiter }),
      ...(input.pageSize === undefined ? {} : { maxUploads: input.pageSize }),
      ...(keyMarker === undefined ? {} : { keyMarker }),
      ...(uploadIdMarker === undefined ? {} : { uploadIdMarker }),
      ...(input.signal === undefined ? {} : { signal: input.signal }),
    });
    yield page;
    if (!page.isTruncated) return;
    const nextKey = page.nextKeyMarker;
    const nextId = page.nextUploadIdMarker;
    if (nextKey === undefined || (nextKey === keyMarker && nextId === uploadIdMarker)) {
      throw stuckPaginator('ListMultipartUploads', input.bucket, undefined);
    }
    keyMarker = nextKey;
    uploadIdMarker = nextId;
  }
}

/** Every in-progress upload of a bucket, optionally under a prefix. */
export async function* listAllMultipartUploads(
  exec: RequestExecutor,
  input: ListAllMultipartUploadsInput,
): AsyncGenerator<MultipartUploadInfo, void, undefined> {
  validateBucketName(input.bucket);
  for await (const page of uploadPages(exec, input)) yield* page.uploads;
}

/** Every in-progress upload of exactly `key` (OSS lists them by key, then upload id). */
export async function* listUploadsForKey(
  exec: RequestExecutor,
  input: ListUploadsForKeyInput,
): AsyncGenerator<MultipartUploadInfo, void, undefined> {
  validateBucketName(input.bucket);
  validateObjectKey(input.key, input.bucket);
  for await (const page of uploadPages(exec, { ...input, prefix: input.key })) {
    for (const upload of page.uploads) {
      // Keys that merely start with `key` sort after it: once one shows up, we are done.
      if (upload.key !== input.key) return;
      yield upload;
    }
  }
}

/** Uploads directly under a prefix plus rolled-up common prefixes, in key order. */
export async function* listUploadsAndPrefixes(
  exec: RequestExecutor,
  input: ListUploadsAndPrefixesInput,
): AsyncGenerator<MultipartUploadEntry, void, undefined> {
  validateBucketName(input.bucket);
  const delimiter = input.delimiter ?? '/';
  if (delimiter === '')
    throw new OssArgumentError('delimiter', 'The delimiter must not be empty.', {
      bucket: input.bucket,
    });
  for await (const page of uploadPages(exec, { ...input, delimiter })) {
    const entries: MultipartUploadEntry[] = [
      ...page.uploads.map((u): MultipartUploadEntry => ({ kind: 'upload', ...u })),
      ...page.commonPrefixes.map((prefix): MultipartUploadEntry => ({ kind: 'prefix', prefix })),
    ];
    entries.sort((a, b) =>
      compare(a.kind === 'upload' ? a.key : a.prefix, b.kind === 'upload' ? b.key : b.prefix),
    );
    yield* entries;
  }
}

// Code-point order, which is the UTF-8 byte order OSS lists in (plain `<` compares UTF-16
// units and misplaces astral characters).
function compare(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function stuckPaginator(operation: string, bucket: string, key: string | undefined): OssError {
  return new OssError(
    `${operation} said the listing is truncated but gave no next marker that moves forward; stopped to avoid an endless loop. The server is not OSS-compatible here.`,
    { operation, bucket, key },
  );
}
