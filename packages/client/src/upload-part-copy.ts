import { encodeRfc3986Path } from '@ossup/signer';
import { parseCopyPartResult } from '@ossup/xml-protocol';
import { validateBucketName, validateObjectKey } from './addressing.ts';
import { OssArgumentError } from './errors.ts';
import type { UploadPartCopyInput, UploadPartCopyOutput } from './operation-types.ts';
import { parseResponse } from './parse-response.ts';
import type { RequestExecutor } from './request-executor.ts';
import { checkPartNumber, checkTarget, checkUploadId, httpDate } from './request-fields.ts';
import { bareEtag, crc64Header } from './response-fields.ts';

/** UploadPartCopy: `PUT /key?partNumber=N&uploadId=…` with `x-oss-copy-source`. */
export async function uploadPartCopy(
  exec: RequestExecutor,
  input: UploadPartCopyInput,
): Promise<UploadPartCopyOutput> {
  checkTarget(input);
  checkUploadId(input.uploadId, input);
  checkPartNumber(input.partNumber, input);
  const sourceBucket = input.sourceBucket ?? input.bucket;
  validateBucketName(sourceBucket);
  validateObjectKey(input.sourceKey, sourceBucket);
  // The source key travels percent-encoded with '/' kept (as go-v2 sends it); the server
  // decodes it once. The encoded form is what gets signed.
  let source = `/${sourceBucket}/${encodeRfc3986Path(input.sourceKey)}`;
  if (input.sourceVersionId !== undefined)
    source += `?versionId=${encodeURIComponent(input.sourceVersionId)}`;
  const headers: Record<string, string | undefined> = { 'x-oss-copy-source': source };
  const range = input.sourceRange;
  if (range !== undefined) {
    if (
      !Number.isSafeInteger(range.start) ||
      !Number.isSafeInteger(range.end) ||
      range.start < 0 ||
      range.end <= range.start
    ) {
      throw new OssArgumentError(
        'sourceRange',
        `Invalid sourceRange {start: ${range.start}, end: ${range.end}}: need whole numbers with 0 <= start < end (end exclusive).`,
        input,
      );
    }
    headers['x-oss-copy-source-range'] = `bytes=${range.start}-${range.end - 1}`;
  }
  if (input.sourceIfMatch !== undefined)
    headers['x-oss-copy-source-if-match'] = `"${bareEtag(input.sourceIfMatch)}"`;
  if (input.sourceIfNoneMatch !== undefined)
    headers['x-oss-copy-source-if-none-match'] = `"${bareEtag(input.sourceIfNoneMatch)}"`;
  if (input.sourceIfModifiedSince !== undefined)
    headers['x-oss-copy-source-if-modified-since'] = httpDate(input.sourceIfModifiedSince);
  if (input.sourceIfUnmodifiedSince !== undefined)
    headers['x-oss-copy-source-if-unmodified-since'] = httpDate(input.sourceIfUnmodifiedSince);
  const operation = 'UploadPartCopy';
  const response = await exec.send({
    operation,
    method: 'PUT',
    bucket: input.bucket,
    key: input.key,
    query: [
      ['partNumber', String(input.partNumber)],
      ['uploadId', input.uploadId],
    ],
    headers,
    signal: input.signal,
  });
  const result = parseResponse(operation, response, input, 'PUT', () =>
    parseCopyPartResult(response.text),
  );
  return {
    etag: bareEtag(result.etag),
    lastModified: result.lastModified,
    crc64: crc64Header(response.headers),
    sourceVersionId: response.headers.get('x-oss-copy-source-version-id') ?? undefined,
    requestId: response.requestId,
  };
}
