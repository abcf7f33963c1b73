import { describe, expect, it } from 'vitest';
import { fetchTransport } from './fetch-transport.ts';

function capturingFetch(seen: { body?: unknown; headers?: Headers }[]): typeof fetch {
  return (async (_url: string | URL | Request, init?: RequestInit) => {
    seen.push({ body: init?.body, headers: init?.headers as Headers });
    return new Response('ok', { status: 200 });
  }) as typeof fetch;
}

describe('fetchTransport', () => {
  const request = {
    method: 'PUT',
    url: 'http://127.0.0.1:1/b/k',
    headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': '3', Host: 'x' },
    body: new Uint8Array([1, 2, 3]),
  };

  it('wraps byte bodies in an untyped Blob when asked (the browser fast path)', async () => {
    const seen: { body?: unknown; headers?: Headers }[] = [];
    let progress = 0;
    await fetchTransport({ fetch: capturingFetch(seen), blobBodies: true })(request, {
      onUploadProgress: (n) => {
        progress = n;
      },
    });
    const body = seen[0]!.body as Blob;
    expect(body).toBeInstanceOf(Blob);
    expect(body.type).toBe('');
    expect(Array.from(new Uint8Array(await body.arrayBuffer()))).toEqual([1, 2, 3]);
    expect(progress).toBe(3);
  });

  it('sends the bytes as they are otherwise, and leaves managed headers to fetch', async () => {
    const seen: { body?: unknown; headers?: Headers }[] = [];
    await fetchTransport({ fetch: capturingFetch(seen), blobBodies: false })(request, {});
    expect(seen[0]!.body).toBe(request.body);
    expect(seen[0]!.headers!.get('content-type')).toBe('application/octet-stream');
    expect(seen[0]!.headers!.get('host')).toBeNull();
    expect(seen[0]!.headers!.get('content-length')).toBeNull();
  });

  it('does not use Blob bodies by default outside a browser', async () => {
    const seen: { body?: unknown; headers?: Headers }[] = [];
    await fetchTransport({ fetch: capturingFetch(seen) })(request, {});
    expect(seen[0]!.body).toBe(request.body);
  });
});
