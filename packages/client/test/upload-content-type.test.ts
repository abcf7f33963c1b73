import type { DevServer } from '@ossup/dev-server';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fromBlob, fromBytes, fromStream, upload } from '../src/index.ts';
import {
  BUCKET,
  clientFor,
  SMALL_LIMITS,
  startServer,
  testBytes,
} from './support/upload-fixtures.ts';

let server: DevServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

const small = testBytes(3000, 5);
// Three parts of 1 KiB and a bit: the multipart path, which sends the type on Initiate.
const multi = testBytes(3 * 1024 + 7, 6);

async function storedType(
  key: string,
  options: Partial<Parameters<typeof upload>[1]> & Pick<Parameters<typeof upload>[1], 'source'>,
): Promise<string | undefined> {
  const client = clientFor(server);
  await upload(client, { bucket: BUCKET, key, partSize: 1024, limits: SMALL_LIMITS, ...options });
  return (await client.headObject({ bucket: BUCKET, key })).contentType;
}

describe('the Content-Type upload() gives an object', () => {
  it("takes it from the key's extension when nothing else says, in one request or in parts", async () => {
    expect(await storedType('ct/report.PDF', { source: fromBytes(small) })).toBe('application/pdf');
    expect(await storedType('ct/clip.mp4', { source: fromBytes(multi) })).toBe('video/mp4');
  });

  it("prefers the source's own type (a File's) to the key's extension", async () => {
    const blob = new Blob([multi], { type: 'image/png' });
    expect(await storedType('ct/picture.pdf', { source: fromBlob(blob) })).toBe('image/png');
    // A Blob without a type leaves the choice to the key.
    expect(await storedType('ct/notes.txt', { source: fromBlob(new Blob([small])) })).toBe(
      'text/plain',
    );
  });

  it('keeps what the caller asked for, as contentType or as a header', async () => {
    const blob = new Blob([small], { type: 'image/png' });
    expect(
      await storedType('ct/a.pdf', { source: fromBlob(blob), contentType: 'application/x-mine' }),
    ).toBe('application/x-mine');
    expect(
      await storedType('ct/b.pdf', {
        source: fromBytes(multi),
        headers: { 'Content-Type': 'text/x-header' },
      }),
    ).toBe('text/x-header');
  });

  it('falls back to application/octet-stream for a key without a known extension', async () => {
    expect(await storedType('ct/backup', { source: fromBytes(small) })).toBe(
      'application/octet-stream',
    );
    expect(await storedType('ct/data.bin', { source: fromBytes(multi) })).toBe(
      'application/octet-stream',
    );
  });
});

describe('the Content-Type of a stream, and without the on-demand code', () => {
  afterEach(() => {
    vi.doUnmock('../src/on-demand.ts');
    vi.resetModules();
  });

  it('picks the type for a stream of unknown size too, in one request or in parts', async () => {
    const stream = (bytes: Uint8Array<ArrayBuffer>) => fromStream(new Blob([bytes]).stream());
    expect(await storedType('ct/s-small.mp4', { source: stream(small) })).toBe('video/mp4');
    expect(await storedType('ct/s-multi.mp4', { source: stream(multi) })).toBe('video/mp4');
  });

  it("uploads with OSS's default type when the table cannot be loaded (a browser after a redeploy)", async () => {
    vi.resetModules();
    vi.doMock('../src/on-demand.ts', () => {
      throw new Error('the chunk could not be fetched');
    });
    const lazy = await import('../src/index.ts');
    const client = lazy.createClient({
      endpoint: server.endpoint,
      region: server.region,
      credentials: server.credentials,
    });
    // One PutObject each, which needs nothing else from that code when it succeeds.
    for (const key of ['ct/offline.pdf', 'ct/offline']) {
      await lazy.upload(client, { source: lazy.fromBytes(small), bucket: BUCKET, key });
    }
    vi.doUnmock('../src/on-demand.ts');
    const check = clientFor(server);
    for (const key of ['ct/offline.pdf', 'ct/offline']) {
      expect((await check.headObject({ bucket: BUCKET, key })).contentType).toBe(
        'application/octet-stream',
      );
    }
  });
});
