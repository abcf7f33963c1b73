import { regionFromEndpoint, resolveEndpoint } from './addressing.ts';
import { inlineHasher } from './body-hasher.ts';
import { CLIENT_VERSION, type ClientOptions } from './client-options.ts';
import { createCredentialsSource } from './credentials-source.ts';
import { OssArgumentError } from './errors.ts';
import { fetchTransport } from './fetch-transport.ts';
import { loadOnDemand } from './load-on-demand.ts';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  initiateMultipartUpload,
  uploadPart,
} from './multipart-operations.ts';
import type { OssClient } from './oss-client.ts';
import { putObject } from './put-object.ts';
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
  // Expiry is judged on the server's clock once a RequestTimeTooSkewed answer taught the
  // executor the offset (the executor is made below; requests only start after).
  let clockOffsetMs = () => 0;
  const credentials =
    options.signer === undefined
      ? createCredentialsSource({
          credentials: options.credentials,
          provider: options.credentialsProvider,
          refreshMarginMs: options.refreshMarginMs,
          now: () => now() + clockOffsetMs(),
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

  const transport = options.transport ?? fetchTransport();
  const exec: RequestExecutor = createRequestExecutor({
    endpoint,
    region: region ?? '',
    product,
    signatureVersion,
    credentials,
    remoteSigner: options.signer,
    transport,
    retry: resolveRetryPolicy(options.retry),
    timeoutMs,
    userAgent,
    onRetry: options.onRetry,
    onResponse: options.onResponse,
    now,
    sleep: options.sleep,
    random: options.random ?? Math.random,
  });
  clockOffsetMs = exec.clockOffsetMs;

  // The operations a plain upload never calls load on first use (see on-demand.ts); they
  // are async anyway, so callers cannot tell. The paginators start loading on the first
  // `next()`, as they would start listing.
  const later = loadOnDemand;
  return {
    endpoint: endpoint.origin,
    region: region ?? '',
    signatureVersion,
    hasher: options.hasher ?? inlineHasher(),
    streamsBodies: transport.streamsBodies === true,
    initiateMultipartUpload: (input) => initiateMultipartUpload(exec, input),
    uploadPart: (input) => uploadPart(exec, input),
    uploadPartCopy: async (input) => (await later()).uploadPartCopy(exec, input),
    completeMultipartUpload: (input) => completeMultipartUpload(exec, input),
    abortMultipartUpload: (input) => abortMultipartUpload(exec, input),
    listParts: async (input) => (await later()).listParts(exec, input),
    listAllParts: async function* (input) {
      yield* (await later()).listAllParts(exec, input);
    },
    listMultipartUploads: async (input) => (await later()).listMultipartUploads(exec, input),
    listAllMultipartUploads: async function* (input) {
      yield* (await later()).listAllMultipartUploads(exec, input);
    },
    listUploadsForKey: async function* (input) {
      yield* (await later()).listUploadsForKey(exec, input);
    },
    listUploadsAndPrefixes: async function* (input) {
      yield* (await later()).listUploadsAndPrefixes(exec, input);
    },
    putObject: (input) => putObject(exec, input),
    getObject: async (input) => (await later()).getObject(exec, input),
    headObject: async (input) => (await later()).headObject(exec, input),
    deleteObject: async (input) => (await later()).deleteObject(exec, input),
    presign: async (input) => (await later()).presign(exec, input),
  };
}
