import type { DevServer } from '@ossup/dev-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ByteSource, fetchTransport, type Transport, upload } from '../src/index.ts';
import {
  BUCKET,
  clientFor,
  sameBytes,
  startServer,
  storedObject,
  testBytes,
} from './support/upload-fixtures.ts';

let server: DevServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

const MiB = 1024 * 1024;

/** A source over bytes in memory that reads into given memory, as `fromFile` does. */
function sliceSource(data: Uint8Array): ByteSource {
  return {
    size: data.length,
    fingerprint: undefined,
    read: async (start, end) => data.slice(start, end),
    readInto: async (start, end, target) => {
      const out = target.subarray(0, end - start);
      out.set(data.subarray(start, end));
      // A real read returns later: let the stream machinery run in between.
      await new Promise((resolve) => setTimeout(resolve, 1));
      return out;
    },
  };
}

/**
 * A transport that streams bodies (`streamsBodies`) and, like a socket with a deep queue,
 * reports each chunk sent only some time after it arrived. When it reports a chunk it checks
 * that the chunk still holds the bytes it arrived with: the uploader must not reuse a slice's
 * memory before the transport said its bytes were sent.
 */
function lateReportingTransport(): { transport: Transport; chunks: number; reused: number } {
  const inner = fetchTransport();
  const state = { chunks: 0, reused: 0 };
  const transport: Transport = Object.assign(
    async (request: Parameters<Transport>[0], options: Parameters<Transport>[1]) => {
      if (!(request.body instanceof ReadableStream)) return inner(request, options);
      const reader = request.body.getReader();
      const received: Uint8Array[] = [];
      let sent = 0;
      const reportLater = (chunk: Uint8Array, copy: Uint8Array) =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            if (!sameBytes(chunk, copy)) state.reused++;
            sent += chunk.length;
            options.onUploadProgress?.(sent);
            resolve();
          }, 5),
        );
      const reports: Promise<void>[] = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        state.chunks++;
        const copy = value.slice();
        received.push(copy);
        reports.push(reportLater(value, copy));
      }
      await Promise.all(reports);
      const body = new Uint8Array(received.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of received) {
        body.set(c, at);
        at += c.length;
      }
      return inner({ ...request, body }, options);
    },
    { streamsBodies: true },
  );
  return {
    transport,
    get chunks() {
      return state.chunks;
    },
    get reused() {
      return state.reused;
    },
  };
}

describe('parts streamed in slices', () => {
  it('reuses no slice before the transport reported its bytes sent', async () => {
    const data = testBytes(3 * 5 * MiB + 12345, 77);
    const probe = lateReportingTransport();
    const client = clientFor(server, { transport: probe.transport });
    const result = await upload(client, {
      source: sliceSource(data),
      bucket: BUCKET,
      key: 'streamed-slices.bin',
      partSize: 5 * MiB,
      parallel: 2,
      // No CRC-64: nothing else would notice bytes overwritten before they were sent.
      crc64: false,
    });
    expect(result.parts.length).toBe(4);
    // 5 MiB parts in 2 MiB slices: 2 + 2 + 1 MiB, three slices each, and one for the rest.
    expect(probe.chunks).toBe(3 * 3 + 1);
    expect(probe.reused).toBe(0);
    const stored = await storedObject(client, 'streamed-slices.bin');
    expect(sameBytes(stored.bytes, data)).toBe(true);
  });
});
