// Ordering and race details of upload(), with a scripted transport standing in for OSS. All
// behaviour against a real server is covered by the integration tests in test/upload*.ts.
import { combineCrc64Parts, crc64, md5, toHex } from '@ossup/checksum';
import { describe, expect, it } from 'vitest';
import { createClient } from '../create-client.ts';
import { fromBytes } from '../sources/from-bytes.ts';
import type { Transport, TransportRequest } from '../transport.ts';
import type { UploadProgress } from './progress.ts';
import { upload } from './upload.ts';

interface Script {
  /** Called for each UploadPart attempt; may report partial progress and throw. */
  onPart?: (partNumber: number, attempt: number, report: (n: number) => void, size: number) => void;
}

/** A tiny in-memory OSS: enough of Initiate, UploadPart, Complete and Abort for upload(). */
function scriptedOss(script: Script = {}) {
  const parts = new Map<number, Uint8Array>();
  const attempts = new Map<number, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const xml = (body: string) =>
    new Response(`<?xml version="1.0" encoding="UTF-8"?>${body}`, {
      status: 200,
      headers: { 'content-type': 'application/xml', 'x-oss-request-id': 'REQ' },
    });
  const transport: Transport = async (request: TransportRequest, options) => {
    const url = new URL(request.url);
    const q = url.searchParams;
    if (request.method === 'POST' && q.has('uploads')) {
      return xml(
        '<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>U1</UploadId></InitiateMultipartUploadResult>',
      );
    }
    if (request.method === 'PUT' && q.has('partNumber')) {
      const n = Number(q.get('partNumber'));
      const body = request.body as Uint8Array;
      const attempt = (attempts.get(n) ?? 0) + 1;
      attempts.set(n, attempt);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (options.signal?.aborted) throw options.signal.reason;
        script.onPart?.(n, attempt, (sent) => options.onUploadProgress?.(sent), body.length);
        options.onUploadProgress?.(body.length);
        parts.set(n, new Uint8Array(body));
        return new Response(null, {
          status: 200,
          headers: {
            etag: `"${toHex(await md5(body), { upperCase: true })}"`,
            'x-oss-hash-crc64ecma': crc64(body).toString(),
            'x-oss-request-id': 'REQ',
          },
        });
      } finally {
        inFlight--;
      }
    }
    if (request.method === 'POST' && q.has('uploadId')) {
      const sorted = [...parts.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p);
      const crc = combineCrc64Parts(sorted.map((p) => ({ crc64: crc64(p), size: p.length })));
      return new Response(
        `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><ETag>"0123456789ABCDEF0123456789ABCDEF-${sorted.length}"</ETag></CompleteMultipartUploadResult>`,
        {
          status: 200,
          headers: { 'content-type': 'application/xml', 'x-oss-hash-crc64ecma': crc.toString() },
        },
      );
    }
    if (request.method === 'DELETE') return new Response(null, { status: 204 });
    return new Response('unexpected', { status: 500 });
  };
  const client = createClient({
    endpoint: 'http://127.0.0.1:9',
    region: 'cn-hangzhou',
    credentials: { accessKeyId: 'id', accessKeySecret: 'secret' },
    transport,
    retry: { attempts: 3, baseDelayMs: 0, maxDelayMs: 0 },
  });
  return { client, parts, attempts, maxInFlight: () => maxInFlight };
}

const PART = 2048;
const limits = { minPartSize: 1024 };

describe('upload() with a scripted transport', () => {
  it('byte progress stays monotonic when a part fails half-way and is sent again', async () => {
    const oss = scriptedOss({
      onPart: (n, attempt, report, size) => {
        report(size / 4);
        report(size / 2);
        // Part 2's first attempt dies after 70 % was on the wire.
        if (n === 2 && attempt === 1) {
          report(Math.floor(size * 0.7));
          throw new TypeError('fetch failed: socket hang up');
        }
      },
    });
    const data = new Uint8Array(5 * PART).map((_, i) => i % 251);
    const events: UploadProgress[] = [];
    const result = await upload(oss.client, {
      source: fromBytes(data),
      bucket: 'bkt',
      key: 'k',
      partSize: PART,
      limits,
      parallel: 2,
      progressIntervalMs: 0,
      onProgress: (p) => events.push({ ...p }),
    });
    expect(oss.attempts.get(2)).toBe(2);
    // Byte-level events were delivered, including the failed attempt's 70 %.
    expect(events.some((e) => e.loaded % PART !== 0)).toBe(true);
    expect(result.crc64).toBe(crc64(data));
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.loaded).toBeGreaterThanOrEqual(events[i - 1]!.loaded);
    }
    // Counted once: had the retry's bytes been added to the failed attempt's, this would exceed.
    expect(Math.max(...events.map((e) => e.loaded))).toBe(data.length);
    expect(events[events.length - 1]!.phase).toBe('done');
  });

  it('keeps at most `parallel` UploadPart requests in flight', async () => {
    const oss = scriptedOss();
    const data = new Uint8Array(12 * PART);
    await upload(oss.client, {
      source: fromBytes(data),
      bucket: 'bkt',
      key: 'k',
      partSize: PART,
      limits,
      parallel: 3,
    });
    expect(oss.maxInFlight()).toBe(3);
    expect(oss.parts.size).toBe(12);
  });

  it('hands parts out in order, so a sequential source is read in order', async () => {
    const oss = scriptedOss();
    const data = new Uint8Array(9 * PART);
    const starts: number[] = [];
    const inner = fromBytes(data);
    await upload(oss.client, {
      source: {
        size: inner.size,
        fingerprint: undefined,
        read(start, end, options) {
          starts.push(start);
          return inner.read(start, end, options);
        },
      },
      bucket: 'bkt',
      key: 'k',
      partSize: PART,
      limits,
      parallel: 4,
    });
    expect(starts).toEqual(Array.from({ length: 9 }, (_, i) => i * PART));
  });
});
