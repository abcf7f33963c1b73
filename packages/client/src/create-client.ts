import {
  regionFromEndpoint,
  resolveEndpoint,
  validateBucketName,
  validateObjectKey,
} from './addressing.ts';
import { inlineHasher } from './body-hasher.ts';
import { CLIENT_VERSION, type ClientOptions } from './client-options.ts';
import { createCredentialsSource } from './credentials-source.ts';
import { OssArgumentError } from './errors.ts';
import { fetchTransport } from './fetch-transport.ts';
import {
  listAllMultipartUploads,
  listAllParts,
  listMultipartUploads,
  listParts,
  listUploadsAndPrefixes,
  listUploadsForKey,
} from './listing-operations.ts';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  initiateMultipartUpload,
  uploadPart,
  uploadPartCopy,
} from './multipart-operations.ts';
import { deleteObject, getObject, headObject, putObject } from './object-operations.ts';
import type { PresignInput, PresignOutput } from './operation-types.ts';
import type { OssClient } from './oss-client.ts';
import { createRequestExecutor, type RequestExecutor } from './request-executor.ts';
import { checkHeader } from './request-fields.ts';
import { resolveRetryPolicy } from './retry.ts';

export type { OssClient } from './oss-client.ts';

/** Default per-attempt timeout, ms. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Creates an {@link OssClient}.
 *
 * ```ts
 * const client = createClient({
 *   endpoint: 'https://oss-cn-hangzhou.aliyuncs.com',
 *   credentials: { accessKeyId, accessKeySecret },
 * });
 * const { uploadId } = await client.initiateMultipartUpload({ bucket: 'photos', key: '2024/a.jpg' });
 * ```
 *
 * Addressing: virtual-hosted (`https://bucket.endpoint/key`) by default; path style for IP
 * and `localhost` endpoints or with `pathStyle: true`; `cname: true` for a custom domain.
 * Signing: V4 by default (`signatureVersion: 'v1'` available). Each call retries network
 * errors, timeouts, 5xx, 429 and clock skew (see {@link RetryOptions}).
 *
 * @throws OssArgumentError for invalid options: a malformed endpoint, a missing region for
 *   V4 that cannot be read from the endpoint, no or several credential sources, bad retry or
 *   timeout values.
 */
export function createClient(options: ClientOptions): OssClient {
  if (typeof options !== 'object' || options === null) {
    throw new OssArgumentError(
      'options',
      'createClient needs an options object with at least endpoint and credentials.',
    );
  }
  const endpoint = resolveEndpoint(options.endpoint, {
    pathStyle: options.pathStyle,
    cname: options.cname,
  });
  const signatureVersion = options.signatureVersion ?? 'v4';
  if (signatureVersion !== 'v4' && signatureVersion !== 'v1') {
    throw new OssArgumentError(
      'signatureVersion',
      `Unknown signatureVersion ${JSON.stringify(signatureVersion)}; use 'v4' (default) or 'v1'.`,
    );
  }
  const regionOption = options.region?.trim();
  const region = (
    regionOption === undefined || regionOption === ''
      ? regionFromEndpoint(endpoint.hostname)
      : regionOption
  )?.replace(/^oss-/, '');
  if (region === undefined || region === '') {
    if (signatureVersion === 'v4') {
      throw new OssArgumentError(
        'region',
        `V4 signing needs the region: pass region (e.g. 'cn-hangzhou'); it cannot be read from the endpoint ${endpoint.host}.`,
      );
    }
  } else if (!/^[a-z0-9-]+$/.test(region)) {
    throw new OssArgumentError(
      'region',
      `Invalid region ${JSON.stringify(options.region)}: use a region id such as 'cn-hangzhou'.`,
    );
  }
  const product = options.product ?? 'oss';
  if (typeof product !== 'string' || !/^[a-z0-9-]+$/.test(product)) {
    throw new OssArgumentError(
      'product',
      `Invalid product ${JSON.stringify(product)}: use 'oss' (default) or 'oss-cloudbox'.`,
    );
  }

  const sources = [options.credentials, options.credentialsProvider, options.signer].filter(
    (s) => s !== undefined,
  ).length;
  if (sources > 1) {
    throw new OssArgumentError(
      'credentials',
      'Give exactly one of credentials, credentialsProvider and signer: they are alternative ways to sign.',
    );
  }
  if (options.signer !== undefined && typeof options.signer !== 'function') {
    throw new OssArgumentError(
      'signer',
      'signer must be a function (request) => Promise<{ headers }>.',
    );
  }
  const now = options.now ?? Date.now;
  const credentials =
    options.signer === undefined
      ? createCredentialsSource({
          credentials: options.credentials,
          provider: options.credentialsProvider,
          refreshMarginMs: options.refreshMarginMs,
          now,
        })
      : undefined;

  const timeoutOption = options.timeout;
  const timeoutMs =
    typeof timeoutOption === 'number'
      ? timeoutOption
      : (timeoutOption?.requestMs ?? DEFAULT_TIMEOUT_MS);
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new OssArgumentError(
      'timeout',
      `timeout must be a number of milliseconds >= 0 (0 disables it), got ${String(timeoutMs)}.`,
    );
  }
  const userAgent = options.userAgent ?? `ossup/${CLIENT_VERSION}`;
  checkHeader('user-agent', userAgent, {});

  const exec: RequestExecutor = createRequestExecutor({
    endpoint,
    region: region ?? '',
    product,
    signatureVersion,
    credentials,
    remoteSigner: options.signer,
    transport: options.transport ?? fetchTransport(),
    retry: resolveRetryPolicy(options.retry),
    timeoutMs,
    userAgent,
    onRetry: options.onRetry,
    onResponse: options.onResponse,
    now,
    sleep: options.sleep,
    random: options.random ?? Math.random,
  });

  return {
    endpoint: endpoint.origin,
    region: region ?? '',
    signatureVersion,
    hasher: options.hasher ?? inlineHasher(),
    initiateMultipartUpload: (input) => initiateMultipartUpload(exec, input),
    uploadPart: (input) => uploadPart(exec, input),
    uploadPartCopy: (input) => uploadPartCopy(exec, input),
    completeMultipartUpload: (input) => completeMultipartUpload(exec, input),
    abortMultipartUpload: (input) => abortMultipartUpload(exec, input),
    listParts: (input) => listParts(exec, input),
    listAllParts: (input) => listAllParts(exec, input),
    listMultipartUploads: (input) => listMultipartUploads(exec, input),
    listAllMultipartUploads: (input) => listAllMultipartUploads(exec, input),
    listUploadsForKey: (input) => listUploadsForKey(exec, input),
    listUploadsAndPrefixes: (input) => listUploadsAndPrefixes(exec, input),
    putObject: (input) => putObject(exec, input),
    getObject: (input) => getObject(exec, input),
    headObject: (input) => headObject(exec, input),
    deleteObject: (input) => deleteObject(exec, input),
    presign: (input) => presign(exec, input),
  };
}

async function presign(exec: RequestExecutor, input: PresignInput): Promise<PresignOutput> {
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
