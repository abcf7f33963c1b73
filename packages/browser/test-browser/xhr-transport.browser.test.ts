import { crc64 } from '@ossup/checksum';
import { fromBlob, type RetryInfo, type UploadProgress, upload } from '@ossup/client';
import { describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { createBrowserClient } from '../src/index.ts';

// createBrowserClient (XHR for bodies, fetch for the rest) in real Chromium against the real
// dev server, which the Node side of the test runs (server-commands.ts).

interface FaultSpecLike {
  match: { operation?: string; key?: string; partNumber?: number };
  action:
    | { kind: 'delay'; ms: number }
    | { kind: 'status'; status: number; code?: string }
    | { kind: 'reset'; afterBodyBytes?: number };
  times?: number | 'always';
}

declare module 'vitest/browser' {
  interface BrowserCommands {
    devServerInfo: () => Promise<{
      endpoint: string;
      region: string;
      credentials: { accessKeyId: string; accessKeySecret: string };
    }>;
    devServerFault: (spec: FaultSpecLike) => Promise<string>;
    devServerClearFault: (id: string) => Promise<void>;
    devServerObject: (
      bucket: string,
      key: string,
    ) => Promise<{ size: number; crc64: string; openUploads: number }>;
  }
}

const MIB = 1024 * 1024;

function randomBlob(size: number): { blob: Blob; bytes: Uint8Array } {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return { blob: new Blob([bytes]), bytes };
}

async function browserClient(retries: RetryInfo[] = []) {
  const { endpoint, region, credentials } = await commands.devServerInfo();
  return createBrowserClient({
    endpoint,
    region,
    credentials,
    retry: { baseDelayMs: 10 },
    onRetry: (info) => retries.push(info),
  });
}

describe('createBrowserClient in Chromium against the dev server', () => {
  it('reports progress while a part is on the wire, not only when it completes', async () => {
    const client = await browserClient();
    const key = `xhr/progress-${Date.now()}.bin`;
    const { blob, bytes } = randomBlob(48 * MIB);
    // The server reads part 1 only after 1.5 s: meanwhile the browser can only hand the
    // socket what its buffers take, and must say so.
    const hold = await commands.devServerFault({
      match: { operation: 'UploadPart', key, partNumber: 1 },
      action: { kind: 'delay', ms: 1500 },
    });
    const events: UploadProgress[] = [];
    try {
      const result = await upload(client, {
        source: fromBlob(blob),
        bucket: 'browser',
        key,
        partSize: 16 * MIB,
        parallel: 1,
        onProgress: (p) => events.push({ ...p }),
      });
      expect(result.size).toBe(bytes.length);
    } finally {
      await commands.devServerClearFault(hold);
    }
    const uploading = events.filter((e) => e.phase === 'uploading');
    // Byte-level: some report falls strictly inside the first part, before it completed.
    const insidePart1 = uploading.filter(
      (e) => e.partsDone === 0 && e.loaded > 0 && e.loaded < 16 * MIB,
    );
    expect(insidePart1.length).toBeGreaterThan(0);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.loaded).toBeGreaterThanOrEqual(events[i - 1]!.loaded);
    }
    expect(events.at(-1)).toMatchObject({ phase: 'done', loaded: bytes.length });
    expect(await commands.devServerObject('browser', key)).toEqual({
      size: bytes.length,
      crc64: crc64(bytes).toString(),
      openUploads: 0,
    });
  });

  it('retries a part answered 503 and a part whose connection is reset mid-body', async () => {
    const retries: RetryInfo[] = [];
    const client = await browserClient(retries);
    const key = `xhr/faults-${Date.now()}.bin`;
    const { blob, bytes } = randomBlob(20 * MIB);
    const faults = [
      await commands.devServerFault({
        match: { operation: 'UploadPart', key, partNumber: 2 },
        action: { kind: 'status', status: 503, code: 'ServiceUnavailable' },
        times: 2,
      }),
      await commands.devServerFault({
        match: { operation: 'UploadPart', key, partNumber: 3 },
        action: { kind: 'reset', afterBodyBytes: MIB },
        times: 1,
      }),
    ];
    try {
      const result = await upload(client, {
        source: fromBlob(blob),
        bucket: 'browser',
        key,
        partSize: 5 * MIB,
      });
      expect(result.crc64).toBe(crc64(bytes));
    } finally {
      for (const id of faults) await commands.devServerClearFault(id);
    }
    // The 503s reached the client as answers (Chromium may itself resend a request whose
    // reused connection was reset, so the reset's retry is not counted here).
    const status = retries.map((r) => (r.error as { status?: number }).status);
    expect(status.filter((s) => s === 503)).toHaveLength(2);
    expect(await commands.devServerObject('browser', key)).toMatchObject({
      size: bytes.length,
      crc64: crc64(bytes).toString(),
    });
    // Downloads go through fetch and stream: a range read back matches.
    const got = await client.getObject({
      bucket: 'browser',
      key,
      range: { start: 5 * MIB, end: 5 * MIB + 100 },
    });
    expect(new Uint8Array(await new Response(got.body).arrayBuffer())).toEqual(
      bytes.subarray(5 * MIB, 5 * MIB + 100),
    );
  });

  it('cancels the part on the wire at once when the upload is aborted', async () => {
    const client = await browserClient();
    const key = `xhr/abort-${Date.now()}.bin`;
    const { blob } = randomBlob(16 * MIB);
    const hold = await commands.devServerFault({
      match: { operation: 'UploadPart', key },
      action: { kind: 'delay', ms: 30_000 },
      times: 'always',
    });
    const controller = new AbortController();
    const reason = new Error('paused by the user');
    let abortedAt = 0;
    let partsDoneAtAbort = -1;
    const startedAt = performance.now();
    try {
      const pending = upload(client, {
        source: fromBlob(blob),
        bucket: 'browser',
        key,
        partSize: 8 * MIB,
        signal: controller.signal,
        onProgress: (p) => {
          // The first bytes of a part that the server does not read: on the wire.
          if (p.phase === 'uploading' && p.loaded > 0 && abortedAt === 0) {
            abortedAt = performance.now();
            partsDoneAtAbort = p.partsDone;
            controller.abort(reason);
          }
        },
      });
      await expect(pending).rejects.toBe(reason);
      // Bytes were reported while the server held every part, and the rejection came long
      // before its 30 s delay ended: the parts were cancelled on the wire, not waited out.
      expect(partsDoneAtAbort).toBe(0);
      expect(performance.now() - startedAt).toBeLessThan(15_000);
    } finally {
      await commands.devServerClearFault(hold);
    }
  });
});
