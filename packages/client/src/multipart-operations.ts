// The multipart operations upload() sends. UploadPartCopy, which it does not, is in
// upload-part-copy.ts and loads on first use (see on-demand.ts), as do the XML bodies.

import { OssArgumentError, OssServiceError } from './errors.ts';
import { loadOnDemand } from './load-on-demand.ts';
import type {
  AbortMultipartUploadInput,
  AbortMultipartUploadOutput,
  CompleteMultipartUploadInput,
  CompleteMultipartUploadOutput,
  InitiateMultipartUploadInput,
  InitiateMultipartUploadOutput,
  UploadPartInput,
  UploadPartOutput,
} from './operation-types.ts';
import type { OperationResponse, RequestExecutor } from './request-executor.ts';
import {
  checkBody,
  checkHeader,
  checkPartNumber,
  checkTarget,
  checkUploadId,
  settingsHeaders,
} from './request-fields.ts';
import { bareEtag, crc64Header, storedBodyFields } from './response-fields.ts';

/** InitiateMultipartUpload: `POST /key?uploads` with the final object's settings. */
export async function initiateMultipartUpload(
  exec: RequestExecutor,
  input: InitiateMultipartUploadInput,
): Promise<InitiateMultipartUploadOutput> {
  checkTarget(input);
  const headers = settingsHeaders(input, input);
  // The XML reader loads on first use (see on-demand.ts), before anything is sent: an upload
  // must not be initiated when its id could not be read.
  const xml = await loadOnDemand();
  const operation = 'InitiateMultipartUpload';
  const response = await exec.send({
    operation,
    method: 'POST',
    bucket: input.bucket,
    key: input.key,
    query: [
      ['uploads', ''],
      ['encoding-type', 'url'],
    ],
    headers,
    signal: input.signal,
  });
  const result = xml.parseResponse(operation, response, input, 'POST', () =>
    xml.parseInitiateMultipartUploadResult(response.text),
  );
  return {
    bucket: input.bucket,
    key: input.key,
    uploadId: result.uploadId,
    requestId: response.requestId,
  };
}

/** UploadPart: `PUT /key?partNumber=N&uploadId=…` with the part bytes. */
export async function uploadPart(
  exec: RequestExecutor,
  input: UploadPartInput,
): Promise<UploadPartOutput> {
  checkTarget(input);
  checkUploadId(input.uploadId, input);
  checkPartNumber(input.partNumber, input);
  checkBody(input.body, input);
  if (input.contentMd5 !== undefined) checkHeader('content-md5', input.contentMd5, input);
  const operation = 'UploadPart';
  const response = await exec.send({
    operation,
    method: 'PUT',
    bucket: input.bucket,
    key: input.key,
    query: [
      ['partNumber', String(input.partNumber)],
      ['uploadId', input.uploadId],
    ],
    headers: { 'content-type': 'application/octet-stream', 'content-md5': input.contentMd5 },
    body: input.body,
    signal: input.signal,
    onUploadProgress: input.onUploadProgress,
    responseBody: 'discard',
  });
  return storedBodyFields(response, { operation, method: 'PUT', ...input });
}

/**
 * CompleteMultipartUpload. Parts must be strictly ascending. When a retried Complete
 * answers NoSuchUpload (the first attempt completed but its answer was lost), the object is
 * checked with HeadObject: if its ETag is the multipart ETag of exactly these parts, the
 * call succeeds with the object's ETag and CRC-64.
 */
export async function completeMultipartUpload(
  exec: RequestExecutor,
  input: CompleteMultipartUploadInput,
): Promise<CompleteMultipartUploadOutput> {
  checkTarget(input);
  checkUploadId(input.uploadId, input);
  const parts = input.parts;
  if (input.completeAll && parts !== undefined) {
    throw new OssArgumentError(
      'parts',
      'Give either parts or completeAll: true, not both (OSS rejects a body with x-oss-complete-all).',
      input,
    );
  }
  if (!input.completeAll) {
    if (!Array.isArray(parts) || parts.length === 0) {
      throw new OssArgumentError(
        'parts',
        'CompleteMultipartUpload needs the list of parts (or completeAll: true).',
        input,
      );
    }
    let previous = 0;
    for (const part of parts) {
      checkPartNumber(part.partNumber, input);
      if (part.partNumber <= previous) {
        throw new OssArgumentError(
          'parts',
          `Parts must be listed in strictly ascending part-number order; part ${part.partNumber} follows part ${previous}.`,
          input,
        );
      }
      if (typeof part.etag !== 'string' || bareEtag(part.etag) === '') {
        throw new OssArgumentError('parts', `Part ${part.partNumber} has no ETag.`, input);
      }
      previous = part.partNumber;
    }
  }
  // The XML writer and reader load on first use (see on-demand.ts).
  const xml = await loadOnDemand();
  const operation = 'CompleteMultipartUpload';
  let attempts = 0;
  let response: OperationResponse;
  try {
    response = await exec.send({
      operation,
      method: 'POST',
      bucket: input.bucket,
      key: input.key,
      query: [
        ['uploadId', input.uploadId],
        ['encoding-type', 'url'],
      ],
      headers: {
        'content-type': input.completeAll ? undefined : 'application/xml',
        'x-oss-complete-all': input.completeAll ? 'yes' : undefined,
        'x-oss-object-acl': input.acl,
        'x-oss-forbid-overwrite':
          input.forbidOverwrite === undefined ? undefined : String(input.forbidOverwrite),
      },
      body: input.completeAll
        ? undefined
        : new TextEncoder().encode(
            xml.buildCompleteMultipartUpload({
              parts: (parts ?? []).map((p) => ({
                partNumber: p.partNumber,
                etag: bareEtag(p.etag),
              })),
            }),
          ),
      signal: input.signal,
      onAttempt: (attempt) => {
        attempts = attempt;
      },
    });
  } catch (error) {
    if (
      error instanceof OssServiceError &&
      error.code === 'NoSuchUpload' &&
      attempts > 1 &&
      parts !== undefined
    ) {
      const done = await completedEarlier(exec, input, parts);
      if (done !== undefined) return done;
    }
    throw error;
  }
  const result = xml.parseResponse(operation, response, input, 'POST', () =>
    xml.parseCompleteMultipartUploadResult(response.text),
  );
  return {
    bucket: input.bucket,
    key: input.key,
    etag: bareEtag(result.etag),
    crc64: crc64Header(response.headers),
    location: result.location === '' ? undefined : result.location,
    requestId: response.requestId,
  };
}

async function completedEarlier(
  exec: RequestExecutor,
  input: CompleteMultipartUploadInput,
  parts: NonNullable<CompleteMultipartUploadInput['parts']>,
): Promise<CompleteMultipartUploadOutput | undefined> {
  const { headObject, multipartEtag } = await loadOnDemand();
  let expected: string;
  try {
    expected = bareEtag(await multipartEtag(parts.map((p) => bareEtag(p.etag))));
  } catch {
    return undefined; // ETags that are not MD5s (another store): cannot tell, report the error
  }
  try {
    const head = await headObject(exec, {
      bucket: input.bucket,
      key: input.key,
      signal: input.signal,
    });
    if (head.etag.toUpperCase() !== expected.toUpperCase()) return undefined;
    return {
      bucket: input.bucket,
      key: input.key,
      etag: head.etag,
      crc64: head.crc64,
      location: undefined,
      requestId: head.requestId,
    };
  } catch {
    if (input.signal?.aborted) throw input.signal.reason;
    return undefined;
  }
}

/** AbortMultipartUpload: `DELETE /key?uploadId=…` (204). */
export async function abortMultipartUpload(
  exec: RequestExecutor,
  input: AbortMultipartUploadInput,
): Promise<AbortMultipartUploadOutput> {
  checkTarget(input);
  checkUploadId(input.uploadId, input);
  const response = await exec.send({
    operation: 'AbortMultipartUpload',
    method: 'DELETE',
    bucket: input.bucket,
    key: input.key,
    query: [['uploadId', input.uploadId]],
    signal: input.signal,
    responseBody: 'discard',
  });
  return { requestId: response.requestId };
}
