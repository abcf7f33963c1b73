import type { OssClient } from '@ossup/client';
import { createNodeClient, nodeHttpTransport } from '@ossup/node';
import type { ResolvedConfig } from './config.ts';
import type { Output } from './output.ts';
import { rateLimitedTransport } from './rate-limit.ts';
import { VERSION } from './version.ts';

/**
 * The Node client for a command: the `node:http` transport, and `--verbose` wiring that
 * prints request ids and retries (through the redacting output, so no secret or signature
 * can reach the terminal).
 */
export function makeClient(
  config: ResolvedConfig,
  out: Output,
  options: { maxRate?: number } = {},
): OssClient {
  return createNodeClient({
    ...(options.maxRate
      ? { transport: rateLimitedTransport(nodeHttpTransport(), options.maxRate) }
      : {}),
    endpoint: config.endpoint,
    region: config.region,
    credentials: {
      accessKeyId: config.accessKeyId,
      accessKeySecret: config.accessKeySecret,
      ...(config.securityToken ? { securityToken: config.securityToken } : {}),
    },
    signatureVersion: config.signatureVersion,
    ...(config.pathStyle === undefined ? {} : { pathStyle: config.pathStyle }),
    userAgent: `ossup-cli/${VERSION}`,
    onRetry: (info) => {
      out.debug(
        `retry ${info.operation} attempt ${info.attempt + 1} in ${Math.round(info.delayMs)} ms: ${info.error.message}`,
      );
    },
    onResponse: (info) => {
      out.debug(
        `${info.method} ${info.operation} → ${info.status} request-id ${info.requestId ?? '-'}`,
      );
    },
  });
}
