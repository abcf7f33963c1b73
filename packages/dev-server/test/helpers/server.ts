import { createHash } from 'node:crypto';
import type { DevServer, DevServerOptions } from '../../src/index.ts';
import { startDevServer } from '../../src/index.ts';
import { type OssRequest, type OssResponse, ossRequest } from './oss-client.ts';

/** Starts a server for a test file; call the returned `stop` in afterAll. */
export async function testServer(options: DevServerOptions = {}): Promise<DevServer> {
  return startDevServer({ onWarning: () => {}, ...options });
}

/** Request helper bound to a server. */
export function clientFor(server: DevServer): (r: OssRequest) => Promise<OssResponse> {
  return (r) => ossRequest(server, r);
}

/** Upper-case hex MD5. */
export function md5Hex(data: Buffer | string): string {
  return createHash('md5').update(data).digest('hex').toUpperCase();
}

/** Base64 MD5 (Content-MD5 header). */
export function md5B64(data: Buffer | string): string {
  return createHash('md5').update(data).digest('base64');
}

/** Deterministic pseudo-random bytes. */
export function bytes(size: number, seed = 1): Buffer {
  const b = Buffer.alloc(size);
  let x = seed * 2654435761;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}
