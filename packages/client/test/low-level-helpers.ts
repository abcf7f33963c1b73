import { type DevServer, startDevServer } from '@ossup/dev-server';
import type { ClientOptions } from '../src/client-options.ts';
import { createClient } from '../src/create-client.ts';
import type { OssClient } from '../src/oss-client.ts';

/** Both signature versions, for `describe.each`. */
export const VERSIONS = ['v4', 'v1'] as const;

/** A client for the dev server; fast retries so fault tests do not sit in back-off. */
export function clientFor(server: DevServer, options: Partial<ClientOptions> = {}): OssClient {
  return createClient({
    endpoint: server.endpoint,
    region: server.region,
    ...(options.credentialsProvider || options.signer ? {} : { credentials: server.credentials }),
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 50 },
    ...options,
  });
}

/** Starts a dev server with the given buckets and a lowered minimum part size. */
export function startServer(
  buckets: string[],
  extra: Parameters<typeof startDevServer>[0] = {},
): Promise<DevServer> {
  return startDevServer({
    buckets,
    limits: { minPartSize: 1024 },
    onWarning: () => undefined,
    ...extra,
  });
}

/** Deterministic test bytes. */
export function bytes(length: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let x = seed * 2654435761;
  for (let i = 0; i < length; i += 1) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Reads a stream to the end. */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    total += chunk.byteLength;
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Collects an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Keys that stress encoding: unicode, spaces, reserved and sub-delim characters, emoji. */
export const TRICKY_KEYS = [
  'plain.txt',
  'dir/sub dir/file with spaces.bin',
  'ü-ñ-中文-日本語.dat',
  '1+1=2&x;y,z.txt',
  '100%/%41%2F.txt',
  "~tilde/*star*/(paren)!'quote'.txt",
  'emoji/😀🚀.bin',
  'a//double//slash',
  'ends-with-slash-then-name/.hidden',
  'tab\tand\nnewline',
  'q?uestion#hash',
];
