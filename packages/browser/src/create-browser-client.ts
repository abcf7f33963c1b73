import { type ClientOptions, createClient, type OssClient } from '@ossup/client';
import { type XhrTransportOptions, xhrTransport } from './xhr-transport.ts';

/** Options of {@link createBrowserClient}: those of `createClient`, plus the transport's. */
export interface BrowserClientOptions extends ClientOptions {
  /** Settings of the default {@link xhrTransport}. Ignored when `transport` is given. */
  xhr?: XhrTransportOptions;
}

/**
 * `createClient` for browser pages and workers: the same client, with {@link xhrTransport}
 * as the default transport instead of `fetch`, so that `upload()`'s `onProgress` moves as the
 * bytes of each part leave instead of once per part. Downloads and other bodiless requests
 * still go through `fetch` and stream. Pass `transport` to use another.
 *
 * @example
 * ```ts
 * const client = createBrowserClient({
 *   endpoint: 'https://oss-cn-hangzhou.aliyuncs.com',
 *   region: 'cn-hangzhou',
 *   credentialsProvider: () => fetch('/api/sts').then((r) => r.json()),
 * });
 * ```
 */
export function createBrowserClient(options: BrowserClientOptions): OssClient {
  const { xhr, ...clientOptions } = options;
  return createClient({
    ...clientOptions,
    transport: clientOptions.transport ?? xhrTransport(xhr),
  });
}
