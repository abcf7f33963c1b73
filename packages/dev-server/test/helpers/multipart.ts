import type { OssRequest, OssResponse } from './oss-client.ts';
import { xmlValue } from './oss-client.ts';

type Oss = (r: OssRequest) => Promise<OssResponse>;

/** InitiateMultipartUpload; returns the upload id. */
export async function initiate(
  oss: Oss,
  bucket: string,
  key: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const res = await oss({ method: 'POST', bucket, key, query: [['uploads', '']], headers });
  if (res.status !== 200) throw new Error(`initiate failed: ${res.status} ${res.text}`);
  return xmlValue(res.text, 'UploadId')!;
}

/** UploadPart. */
export function uploadPart(
  oss: Oss,
  bucket: string,
  key: string,
  uploadId: string,
  partNumber: number | string,
  body: Buffer | string,
  headers: Record<string, string> = {},
): Promise<OssResponse> {
  return oss({
    method: 'PUT',
    bucket,
    key,
    query: [
      ['partNumber', String(partNumber)],
      ['uploadId', uploadId],
    ],
    body,
    headers,
  });
}

/** The CompleteMultipartUpload body for parts given as [number, etag]. */
export function completeBody(parts: Array<[number, string]>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload>\n${parts
    .map(
      ([n, e]) => `  <Part>\n    <PartNumber>${n}</PartNumber>\n    <ETag>${e}</ETag>\n  </Part>\n`,
    )
    .join('')}</CompleteMultipartUpload>`;
}

/** CompleteMultipartUpload. */
export function complete(
  oss: Oss,
  bucket: string,
  key: string,
  uploadId: string,
  body: string | undefined,
  headers: Record<string, string> = {},
  query: Array<[string, string]> = [],
): Promise<OssResponse> {
  return oss({
    method: 'POST',
    bucket,
    key,
    query: [['uploadId', uploadId], ...query],
    ...(body === undefined ? { body: Buffer.alloc(0) } : { body }),
    headers: body === undefined ? headers : { 'content-type': 'application/xml', ...headers },
  });
}
