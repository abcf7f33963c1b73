import type { Transport } from '@ossup/client';
import { describe, expect, it } from 'vitest';
import { xhrTransport } from './xhr-transport.ts';

// A scripted XMLHttpRequest: records what the transport does with it, and lets the test play
// the browser's part (progress events, the response, a failure). Chromium runs the real one
// against the dev server in test-browser/xhr-transport.browser.test.ts.
class FakeXhr {
  static last: FakeXhr | undefined;
  method = '';
  url = '';
  headers: [string, string][] = [];
  responseType = '';
  sent: unknown;
  aborted = false;
  status = 0;
  statusText = '';
  response: unknown = null;
  responseHeaders = '';
  readonly upload: { onprogress: ((e: { loaded: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;

  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers.push([name, value]);
  }
  send(body: unknown) {
    this.sent = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  getAllResponseHeaders() {
    return this.responseHeaders;
  }
  // The browser's side.
  progress(loaded: number) {
    this.upload.onprogress?.({ loaded });
  }
  answer(status: number, body: string | null, headers = '') {
    this.status = status;
    this.statusText = status === 200 ? 'OK' : 'Error';
    this.response = body === null ? null : new TextEncoder().encode(body).buffer;
    this.responseHeaders = headers;
    this.onload?.();
  }
}

const Xhr = FakeXhr as unknown as typeof XMLHttpRequest;

function fallbackRecorder() {
  const calls: string[] = [];
  const fallback: Transport = async (request) => {
    calls.push(`${request.method} ${request.url}`);
    return new Response('from fallback');
  };
  return { calls, fallback };
}

const PUT = {
  method: 'PUT',
  url: 'http://127.0.0.1:9000/b/k?partNumber=1&uploadId=u',
  headers: {
    Authorization: 'OSS4-HMAC-SHA256 ...',
    'Content-Length': '5',
    Host: '127.0.0.1:9000',
    'x-oss-date': '20261126T000000Z',
  },
  body: new TextEncoder().encode('hello'),
};

describe('xhrTransport', () => {
  it('sends a body through XHR as a Blob, with the signed headers but those the browser sets', async () => {
    const transport = xhrTransport({ XMLHttpRequest: Xhr, fallback: fallbackRecorder().fallback });
    const pending = transport(PUT, {});
    const xhr = FakeXhr.last!;
    expect({ method: xhr.method, url: xhr.url, responseType: xhr.responseType }).toEqual({
      method: 'PUT',
      url: PUT.url,
      responseType: 'arraybuffer',
    });
    expect(xhr.headers).toEqual([
      ['Authorization', 'OSS4-HMAC-SHA256 ...'],
      ['x-oss-date', '20261126T000000Z'],
    ]);
    expect(xhr.sent).toBeInstanceOf(Blob);
    expect(await (xhr.sent as Blob).text()).toBe('hello');
    xhr.answer(200, '', 'ETag: "ABC"\r\nx-oss-request-id: R1\r\nX-Multi: a: b\r\n');
    const response = await pending;
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"ABC"');
    expect(response.headers.get('x-oss-request-id')).toBe('R1');
    expect(response.headers.get('x-multi')).toBe('a: b');
  });

  it('reports progress as the browser does, never backwards, ending at the body length', async () => {
    const transport = xhrTransport({ XMLHttpRequest: Xhr });
    const seen: number[] = [];
    const pending = transport(PUT, { onUploadProgress: (n) => seen.push(n) });
    const xhr = FakeXhr.last!;
    xhr.progress(2);
    xhr.progress(2);
    xhr.progress(1); // a browser that counts oddly must not move the bar back
    xhr.progress(9); // nor past the body
    xhr.answer(200, '');
    await pending;
    expect(seen).toEqual([2, 5]);
  });

  it('without a listener, does not ask the browser to count', async () => {
    const transport = xhrTransport({ XMLHttpRequest: Xhr });
    const pending = transport(PUT, {});
    expect(FakeXhr.last!.upload.onprogress).toBeNull();
    FakeXhr.last!.answer(200, '');
    await pending;
  });

  it('resolves with error statuses and their body; no body for 204', async () => {
    const transport = xhrTransport({ XMLHttpRequest: Xhr });
    const failed = transport(PUT, {});
    FakeXhr.last!.answer(403, '<Error><Code>AccessDenied</Code></Error>');
    const response = await failed;
    expect(response.status).toBe(403);
    expect(await response.text()).toBe('<Error><Code>AccessDenied</Code></Error>');

    const noContent = transport({ ...PUT, method: 'POST' }, {});
    FakeXhr.last!.answer(204, 'ignored');
    expect(await (await noContent).text()).toBe('');
  });

  it('rejects with a TypeError when no response came, saying offline when the browser is', async () => {
    const transport = xhrTransport({ XMLHttpRequest: Xhr });
    const pending = transport(PUT, {});
    FakeXhr.last!.onerror?.();
    await expect(pending).rejects.toThrow(TypeError);
    await expect(pending).rejects.toThrow(/connection failed, or CORS/);

    const had = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    Object.defineProperty(globalThis, 'navigator', {
      value: { onLine: false },
      configurable: true,
    });
    try {
      const offline = transport(PUT, {});
      FakeXhr.last!.onerror?.();
      await expect(offline).rejects.toThrow('Network error: the browser is offline');
    } finally {
      if (had === undefined) Reflect.deleteProperty(globalThis, 'navigator');
      else Object.defineProperty(globalThis, 'navigator', had);
    }
  });

  it('fails the request, instead of leaving it pending, when the progress listener throws', async () => {
    const transport = xhrTransport({ XMLHttpRequest: Xhr });
    const oops = new Error('listener bug');
    const pending = transport(PUT, {
      onUploadProgress: () => {
        throw oops;
      },
    });
    FakeXhr.last!.answer(200, '');
    await expect(pending).rejects.toBe(oops);
  });

  it('lets go of the signal once the request is over', async () => {
    const transport = xhrTransport({ XMLHttpRequest: Xhr });
    const listeners = new Set<unknown>();
    const signal = {
      aborted: false,
      reason: undefined,
      addEventListener: (_t: string, f: unknown) => listeners.add(f),
      removeEventListener: (_t: string, f: unknown) => listeners.delete(f),
    } as unknown as AbortSignal;
    const ok = transport(PUT, { signal });
    expect(listeners.size).toBe(1);
    FakeXhr.last!.answer(200, '');
    await ok;
    expect(listeners.size).toBe(0);
    const failed = transport(PUT, { signal });
    FakeXhr.last!.onerror?.();
    await expect(failed).rejects.toThrow(TypeError);
    expect(listeners.size).toBe(0);
  });

  it('cancels the request at once on abort and rejects with the reason; late events are ignored', async () => {
    const transport = xhrTransport({ XMLHttpRequest: Xhr });
    const controller = new AbortController();
    const seen: number[] = [];
    const pending = transport(PUT, {
      signal: controller.signal,
      onUploadProgress: (n) => seen.push(n),
    });
    const xhr = FakeXhr.last!;
    xhr.progress(3);
    const reason = new Error('paused');
    controller.abort(reason);
    expect(xhr.aborted).toBe(true);
    await expect(pending).rejects.toBe(reason);
    xhr.progress(4);
    xhr.answer(200, '');
    expect(seen).toEqual([3]);

    // Already aborted: nothing is sent.
    FakeXhr.last = undefined;
    await expect(transport(PUT, { signal: controller.signal })).rejects.toBe(reason);
    expect(FakeXhr.last).toBeUndefined();
  });

  it('leaves bodiless and empty-bodied requests, stream bodies, and runtimes without XHR to the fallback', async () => {
    const { calls, fallback } = fallbackRecorder();
    const transport = xhrTransport({ XMLHttpRequest: Xhr, fallback });
    FakeXhr.last = undefined;
    const get = await transport({ method: 'GET', url: 'http://h/b/k', headers: {} }, {});
    expect(await get.text()).toBe('from fallback');
    await transport(
      { method: 'PUT', url: 'http://h/b/s', headers: {}, body: new Blob(['x']).stream() },
      {},
    );
    // An empty body: InitiateMultipartUpload, say.
    await transport(
      { method: 'POST', url: 'http://h/b/k?uploads', headers: {}, body: new Uint8Array(0) },
      {},
    );
    expect(FakeXhr.last).toBeUndefined();

    // No XMLHttpRequest here (Node, as in a service worker): every request falls back.
    const noXhr = xhrTransport({ fallback });
    await noXhr(PUT, {});
    expect(calls).toEqual([
      'GET http://h/b/k',
      'PUT http://h/b/s',
      'POST http://h/b/k?uploads',
      `PUT ${PUT.url}`,
    ]);
  });
});
