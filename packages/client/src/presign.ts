import { presignV1, presignV4, type SigningKeyCache } from '@ossup/signer';
import { buildRequestUrl, validateBucketName, validateObjectKey } from './addressing.ts';
import { OssArgumentError } from './errors.ts';
import type { PresignInput, PresignOutput } from './operation-types.ts';
import type { ExecutorConfig, PresignRequest, RequestExecutor } from './request-executor.ts';
import { checkHeader } from './request-fields.ts';

/** What presigning borrows from the request executor: its settings, key cache and clock. */
export interface PresignContext {
  config: ExecutorConfig;
  keyCache: SigningKeyCache;
  /** Now, corrected by the clock offset learnt from the server. */
  signingDate: () => Date;
}

/** `OssClient.presign`: checks the input, then has the executor presign it. */
export async function presign(exec: RequestExecutor, input: PresignInput): Promise<PresignOutput> {
  validateBucketName(input.bucket);
  if (input.key !== undefined) validateObjectKey(input.key, input.bucket);
  const method = (input.method ?? 'GET').toUpperCase();
  if (!/^(GET|PUT|POST|DELETE|HEAD)$/.test(method)) {
    throw new OssArgumentError(
      'method',
      `Cannot presign method ${JSON.stringify(input.method)}; use GET, PUT, POST, DELETE or HEAD.`,
      input,
    );
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    checkHeader(name, value, input);
    headers[name.toLowerCase()] = value;
  }
  const result = await exec.presign({
    method,
    bucket: input.bucket,
    key: input.key,
    query: Object.entries(input.query ?? {}).map(([name, value]) => [name, value]),
    headers,
    expires: input.expires ?? 900,
  });
  return { url: result.url, method, headers: result.headers, expiresAt: result.expiresAt };
}

/** `RequestExecutor.presign`: signs the request into a URL with the client's credentials. */
export async function presignRequest(
  { config, keyCache, signingDate }: PresignContext,
  request: PresignRequest,
): Promise<{ url: string; headers: Record<string, string>; expiresAt: Date }> {
  if (config.credentials === undefined) {
    throw new OssArgumentError(
      'signer',
      'presign needs local credentials (credentials or credentialsProvider); with a remote signer, have your backend presign the URL.',
      { bucket: request.bucket, key: request.key },
    );
  }
  const credentials = await config.credentials.get();
  const signable = {
    method: request.method,
    bucket: request.bucket,
    key: request.key,
    query: request.query,
    headers: request.headers,
  };
  const date = signingDate();
  let presigned: Awaited<ReturnType<typeof presignV4>>;
  try {
    presigned =
      config.signatureVersion === 'v4'
        ? await presignV4(signable, {
            credentials,
            date,
            region: config.region,
            product: config.product,
            keyCache,
            expires: request.expires,
          })
        : await presignV1(signable, { credentials, date, keyCache, expires: request.expires });
  } catch (cause) {
    if (cause instanceof RangeError || cause instanceof TypeError) {
      throw new OssArgumentError('expires', cause.message, {
        bucket: request.bucket,
        key: request.key,
        cause,
      });
    }
    throw cause;
  }
  return {
    url: buildRequestUrl(config.endpoint, request.bucket, request.key, presigned.query),
    headers: presigned.headers,
    expiresAt: presigned.expiresAt,
  };
}
