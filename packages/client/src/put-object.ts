import type { PutObjectInput, PutObjectOutput } from './operation-types.ts';
import type { RequestExecutor } from './request-executor.ts';
import { checkBody, checkHeader, checkTarget, settingsHeaders } from './request-fields.ts';
import { storedBodyFields } from './response-fields.ts';

/** PutObject: `PUT /key` with the whole body. */
export async function putObject(
  exec: RequestExecutor,
  input: PutObjectInput,
): Promise<PutObjectOutput> {
  checkTarget(input);
  checkBody(input.body, input);
  const headers = settingsHeaders(input, input);
  if (input.contentMd5 !== undefined) {
    checkHeader('content-md5', input.contentMd5, input);
    headers['content-md5'] = input.contentMd5;
  }
  const operation = 'PutObject';
  const response = await exec.send({
    operation,
    method: 'PUT',
    bucket: input.bucket,
    key: input.key,
    headers,
    body: input.body,
    signal: input.signal,
    onUploadProgress: input.onUploadProgress,
    responseBody: 'discard',
  });
  return {
    ...storedBodyFields(response, { operation, method: 'PUT', ...input }),
    versionId: response.headers.get('x-oss-version-id') ?? undefined,
  };
}
