import { type ClientOptions, createClient, type OssClient } from '@ossup/client';
import { type NodeHttpTransportOptions, nodeHttpTransport } from './node-http-transport.ts';

/** Options of {@link createNodeClient}: those of `createClient`, plus the transport's. */
export interface NodeClientOptions extends ClientOptions {
  /**
   * Settings of the default {@link nodeHttpTransport} (sockets per origin, write slice
   * size, custom agents). Ignored when `transport` is given. Default: its defaults
   * (16 keep-alive sockets per origin, 256 KiB slices).
   */
  http?: NodeHttpTransportOptions;
}

/**
 * `createClient` for Node: the same client, with {@link nodeHttpTransport} as the default
 * transport instead of `fetch` (several times faster and leaner for large part uploads, with
 * byte-accurate upload progress). Pass `transport` to use another one. The transport's
 * idle keep-alive sockets never hold the process open.
 *
 * @example
 * ```ts
 * const client = createNodeClient({
 *   endpoint: 'https://oss-cn-hangzhou.aliyuncs.com',
 *   credentials: { accessKeyId, accessKeySecret },
 * });
 * ```
 */
export function createNodeClient(options: NodeClientOptions): OssClient {
  const { http, ...clientOptions } = options;
  return createClient({
    ...clientOptions,
    transport: clientOptions.transport ?? nodeHttpTransport(http),
  });
}
