// Shared set-up of the upload integration tests: a real dev server on a loopback socket, a
// client for it, deterministic test data and a way to read an object back.
import { crc64 } from '@ossup/checksum';
import { type DevServer, startDevServer } from '@ossup/dev-server';
import { fetchTransport } from '../../src/fetch-transport.ts';
import {
  type ClientOptions,
  createClient,
  type OssClient,
  type Transport,
} from '../../src/index.ts';

export const BUCKET = 'upload-test';
/** Small parts keep multi-part tests fast; the server is told to accept them. */
export const SMALL_PART = 4096;
export const SMALL_LIMITS = { minPartSize: 1024 };

export async function startServer(): Promise<DevServer> {
  return startDevServer({ buckets: [BUCKET], limits: { minPartSize: 1024 }, onWarning: () => {} });
}

/** A client for the server with fast retries (the back-off would only slow the tests). */
export function clientFor(server: DevServer, options: Partial<ClientOptions> = {}): OssClient {
  return createClient({
    endpoint: server.endpoint,
    region: server.region,
    credentials: server.credentials,
    retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
}

/** Deterministic pseudo-random bytes (xorshift32), different for each seed. */
export function testBytes(size: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let x = seed * 2654435761 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Reads a whole object back with GetObject. */
export async function readObject(client: OssClient, key: string): Promise<Uint8Array> {
  const res = await client.getObject({ bucket: BUCKET, key });
  return new Uint8Array(await new Response(res.body).arrayBuffer());
}

/** Asserts-by-value helper: the stored object equals `expected` (size, CRC-64, bytes). */
export async function storedObject(
  client: OssClient,
  key: string,
): Promise<{ size: number; crc64: bigint | undefined; bytesCrc: bigint; bytes: Uint8Array }> {
  const head = await client.headObject({ bucket: BUCKET, key });
  const bytes = await readObject(client, key);
  return { size: head.size, crc64: head.crc64, bytesCrc: crc64(bytes), bytes };
}

/** Whether two byte arrays are equal (compared without building huge assertion diffs). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A fetch transport that can tamper with part bodies after signing: `corrupt(partNumber)`
 * returns how many of the next attempts of that part get one byte flipped. Models data
 * damaged on the wire (the signature does not cover the body, so the server accepts the
 * request and stores the damaged bytes, reporting their CRC-64).
 */
export function corruptingTransport(
  corrupt: (partNumber: number | undefined) => boolean,
): Transport {
  const inner = fetchTransport();
  return (request, options) => {
    const url = new URL(request.url);
    const partParam = url.searchParams.get('partNumber');
    const isBodyPut =
      request.method === 'PUT' && request.body instanceof Uint8Array && request.body.length > 0;
    if (isBodyPut && corrupt(partParam === null ? undefined : Number(partParam))) {
      const body = new Uint8Array(request.body as Uint8Array);
      body[body.length >> 1]! ^= 0x40;
      return inner({ ...request, body }, options);
    }
    return inner(request, options);
  };
}

/** Counts UploadPart requests the server stored (2xx), per part number. */
export function storedPartCounts(server: DevServer, key: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (const e of server.requests.entries({ operation: 'UploadPart', key })) {
    if (e.status >= 200 && e.status < 300 && e.partNumber !== undefined) {
      counts.set(e.partNumber, (counts.get(e.partNumber) ?? 0) + 1);
    }
  }
  return counts;
}

/** Multipart uploads still open for a key. */
export async function openUploads(client: OssClient, key: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const u of client.listUploadsForKey({ bucket: BUCKET, key })) ids.push(u.uploadId);
  return ids;
}

/**
 * A client that aborts `controller` (with `reason`) as soon as the answer to the
 * `afterParts`-th successful UploadPart arrives: a user pressing "pause" mid-upload, at a
 * deterministic point. `wrap` changes what the client sees of the server's answers.
 */
export function pausingClient(
  server: DevServer,
  afterParts: number,
  controller: AbortController,
  reason: unknown,
  wrap: (transport: Transport) => Transport = (transport) => transport,
): OssClient {
  const inner = fetchTransport();
  let done = 0;
  return clientFor(server, {
    transport: wrap(async (request, options) => {
      const response = await inner(request, options);
      if (request.url.includes('partNumber=') && response.ok && ++done === afterParts) {
        controller.abort(reason);
      }
      return response;
    }),
  });
}
