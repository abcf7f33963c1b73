import type { Credentials } from '@ossup/signer';
import { describe, expect, it, vi } from 'vitest';
import { resolveEndpoint } from './addressing.ts';
import type { RetryInfo } from './client-options.ts';
import { createCredentialsSource } from './credentials-source.ts';
import { OssArgumentError, OssNetworkError, OssServiceError, OssTimeoutError } from './errors.ts';
import { createRequestExecutor, type ExecutorConfig } from './request-executor.ts';
import type { Transport, TransportRequest } from './transport.ts';

type Step = (
  request: TransportRequest,
  signal: AbortSignal | undefined,
) => Response | Promise<Response>;

/** A transport that plays one step per request and records what it was sent. */
function scripted(steps: Step[]) {
  const sent: TransportRequest[] = [];
  const transport: Transport = async (request, { signal }) => {
    sent.push(request);
    const step = steps[sent.length - 1];
    if (step === undefined) throw new Error(`unexpected request #${sent.length}`);
    return step(request, signal);
  };
  return { transport, sent };
}

const xmlError =
  (status: number, code: string, headers: Record<string, string> = {}) =>
  () =>
    new Response(
      `<Error><Code>${code}</Code><Message>m</Message><RequestId>RID-${code}</RequestId><HostId>h</HostId></Error>`,
      {
        status,
        headers: {
          'content-type': 'application/xml',
          'x-oss-request-id': `RID-${code}`,
          ...headers,
        },
      },
    );
const ok =
  (body = '', headers: Record<string, string> = {}) =>
  () =>
    new Response(body, { status: 200, headers });
const networkFailure = () => () => {
  throw new TypeError('fetch failed', {
    cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
  });
};

function executor(
  transport: Transport,
  overrides: Partial<ExecutorConfig> = {},
  create: typeof createRequestExecutor = createRequestExecutor,
) {
  const sleeps: number[] = [];
  const retries: RetryInfo[] = [];
  const exec = create({
    endpoint: resolveEndpoint('http://127.0.0.1:9000'),
    region: 'cn-hangzhou',
    product: 'oss',
    signatureVersion: 'v4',
    credentials: createCredentialsSource({
      credentials: { accessKeyId: 'ak', accessKeySecret: 'sk' },
    }),
    transport,
    retry: { attempts: 3, baseDelayMs: 200, maxDelayMs: 20_000 },
    timeoutMs: 0,
    now: () => Date.UTC(2024, 0, 1),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    onRetry: (info) => retries.push(info),
    ...overrides,
  });
  return { exec, sleeps, retries };
}

const put = {
  operation: 'UploadPart',
  method: 'PUT',
  bucket: 'bkt',
  key: 'k',
  body: new Uint8Array([1, 2, 3]),
};

describe('request executor: retries', () => {
  it('retries 5xx with exponential jittered back-off, then succeeds', async () => {
    const { transport, sent } = scripted([
      xmlError(503, 'ServiceUnavailable'),
      xmlError(500, 'InternalError'),
      ok('', { etag: '"E"' }),
    ]);
    const { exec, sleeps, retries } = executor(transport);
    const response = await exec.send({ ...put, responseBody: 'discard' });
    expect(response.status).toBe(200);
    expect(sent).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]);
    expect(
      retries.map((r) => [r.operation, r.attempt, r.delayMs, (r.error as OssServiceError).code]),
    ).toEqual([
      ['UploadPart', 1, 100, 'ServiceUnavailable'],
      ['UploadPart', 2, 200, 'InternalError'],
    ]);
  });

  it('gives up after the configured attempts with the last error', async () => {
    const { transport, sent } = scripted([
      xmlError(503, 'A'),
      xmlError(503, 'B'),
      xmlError(503, 'C'),
    ]);
    const { exec } = executor(transport);
    await expect(exec.send(put)).rejects.toThrow(/HTTP 503 C/);
    expect(sent).toHaveLength(3);
  });

  it('never retries a 4xx that means the request is wrong', async () => {
    for (const [status, code] of [
      [403, 'AccessDenied'],
      [403, 'SignatureDoesNotMatch'],
      [404, 'NoSuchUpload'],
      [400, 'InvalidArgument'],
    ] as const) {
      const { transport, sent } = scripted([xmlError(status, code), ok()]);
      const { exec, sleeps } = executor(transport);
      await expect(exec.send(put)).rejects.toThrow(OssServiceError);
      expect([code, sent.length, sleeps.length]).toEqual([code, 1, 0]);
    }
  });

  it('retries 429 and honours Retry-After', async () => {
    const { transport } = scripted([
      xmlError(429, 'TooManyRequests', { 'retry-after': '7' }),
      ok(),
    ]);
    const { exec, sleeps } = executor(transport);
    await exec.send(put);
    expect(sleeps).toEqual([7000]);
  });

  it('retries network failures as OssNetworkError', async () => {
    const { transport, sent } = scripted([networkFailure(), ok()]);
    const { exec, retries } = executor(transport);
    await exec.send(put);
    expect(sent).toHaveLength(2);
    expect(retries[0]?.error).toBeInstanceOf(OssNetworkError);
    expect(retries[0]?.error.message).toContain('ECONNRESET');
  });

  it('with retry disabled, fails on the first error', async () => {
    const { transport, sent } = scripted([networkFailure(), ok()]);
    const { exec } = executor(transport, {
      retry: { attempts: 1, baseDelayMs: 200, maxDelayMs: 20_000 },
    });
    await expect(exec.send(put)).rejects.toThrow(OssNetworkError);
    expect(sent).toHaveLength(1);
  });

  it('corrects the clock from the response Date after RequestTimeTooSkewed and re-signs', async () => {
    const serverDate = 'Mon, 01 Jan 2024 01:00:00 GMT';
    const { transport, sent } = scripted([
      xmlError(403, 'RequestTimeTooSkewed', { date: serverDate }),
      ok(),
    ]);
    const { exec, sleeps } = executor(transport);
    await exec.send(put);
    expect(sent).toHaveLength(2);
    expect(sleeps).toEqual([0]);
    expect(exec.clockOffsetMs()).toBe(3_600_000);
    expect(sent[0]?.headers['x-oss-date']).toBe('20240101T000000Z');
    expect(sent[1]?.headers['x-oss-date']).toBe('20240101T010000Z');
  });

  it('does not retry RequestTimeTooSkewed when the server time is unknown', async () => {
    const { transport, sent } = scripted([xmlError(403, 'RequestTimeTooSkewed'), ok()]);
    const { exec } = executor(transport);
    await expect(exec.send(put)).rejects.toThrow(/fix the system clock/);
    expect(sent).toHaveLength(1);
  });

  it('stops a back-off wait when the caller aborts', async () => {
    const { transport } = scripted([xmlError(503, 'ServiceUnavailable'), ok()]);
    const controller = new AbortController();
    const { exec } = executor(transport, {
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason));
          controller.abort(new Error('user cancelled'));
        }),
    });
    await expect(exec.send({ ...put, signal: controller.signal })).rejects.toThrow(
      'user cancelled',
    );
  });

  it('rejects with the abort reason, not a network error, when aborted in flight', async () => {
    const controller = new AbortController();
    const { transport } = scripted([
      (_req, signal) =>
        new Promise((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason));
          controller.abort(new Error('paused'));
        }),
    ]);
    const { exec, retries } = executor(transport);
    await expect(exec.send({ ...put, signal: controller.signal })).rejects.toThrow('paused');
    expect(retries).toHaveLength(0);
  });
});

describe('request executor: timeouts', () => {
  const hang: Step = (_req, signal) =>
    new Promise((_resolve, reject) => {
      signal?.addEventListener('abort', () => reject(signal.reason));
    });

  it('maps a request that gets no response in time to OssTimeoutError, then retries', async () => {
    const { transport, sent } = scripted([hang, ok()]);
    const { exec, retries } = executor(transport, { timeoutMs: 20 });
    await exec.send(put);
    expect(sent).toHaveLength(2);
    expect(retries[0]?.error).toBeInstanceOf(OssTimeoutError);
    expect((retries[0]?.error as OssTimeoutError | undefined)?.timeoutMs).toBe(20);
  });

  it('times out a response body that stalls', async () => {
    const stalled: Step = (_req, signal) =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('<ListPartsResult>'));
            signal?.addEventListener('abort', () => controller.error(signal.reason));
          },
        }),
        { status: 200 },
      );
    const { transport } = scripted([stalled, stalled]);
    const { exec } = executor(transport, {
      timeoutMs: 20,
      retry: { attempts: 2, baseDelayMs: 0, maxDelayMs: 0 },
    });
    await expect(exec.send({ ...put, method: 'GET', body: undefined })).rejects.toThrow(
      OssTimeoutError,
    );
  });
});

describe('request executor: credentials', () => {
  it('refreshes expired STS credentials once and re-signs', async () => {
    let issued = 0;
    const provider = async (): Promise<Credentials> => {
      issued += 1;
      return {
        accessKeyId: `STS.${issued}`,
        accessKeySecret: 's',
        securityToken: `token-${issued}`,
      };
    };
    const { transport, sent } = scripted([xmlError(403, 'SecurityTokenExpired'), ok()]);
    const { exec, sleeps } = executor(transport, {
      credentials: createCredentialsSource({ provider }),
    });
    await exec.send(put);
    expect(issued).toBe(2);
    expect(sleeps).toEqual([]);
    expect(sent[0]?.headers['x-oss-security-token']).toBe('token-1');
    expect(sent[1]?.headers['x-oss-security-token']).toBe('token-2');
  });

  it('refreshes only once per request', async () => {
    let issued = 0;
    const provider = async (): Promise<Credentials> => {
      issued += 1;
      return { accessKeyId: `STS.${issued}`, accessKeySecret: 's', securityToken: `t${issued}` };
    };
    const { transport, sent } = scripted([
      xmlError(403, 'InvalidAccessKeyId'),
      xmlError(403, 'InvalidAccessKeyId'),
      ok(),
    ]);
    const { exec } = executor(transport, { credentials: createCredentialsSource({ provider }) });
    await expect(exec.send(put)).rejects.toThrow(/InvalidAccessKeyId/);
    expect(sent).toHaveLength(2);
  });

  it('does not retry credential errors with fixed credentials', async () => {
    const { transport, sent } = scripted([xmlError(403, 'InvalidAccessKeyId'), ok()]);
    const { exec } = executor(transport);
    await expect(exec.send(put)).rejects.toThrow(OssServiceError);
    expect(sent).toHaveLength(1);
  });

  it('asks a remote signer and sends the headers it returns', async () => {
    const asked: unknown[] = [];
    const { transport, sent } = scripted([ok()]);
    const { exec } = executor(transport, {
      credentials: undefined,
      remoteSigner: async (request) => {
        asked.push(request);
        return {
          headers: {
            Authorization: 'OSS4-HMAC-SHA256 Credential=remote',
            'x-oss-date': '20240101T000000Z',
          },
        };
      },
    });
    await exec.send({ ...put, query: [['partNumber', '1']], headers: { 'content-md5': 'abc' } });
    expect(asked).toEqual([
      {
        method: 'PUT',
        bucket: 'bkt',
        key: 'k',
        query: [['partNumber', '1']],
        headers: { 'content-md5': 'abc', 'content-type': 'application/octet-stream' },
        signatureVersion: 'v4',
        region: 'cn-hangzhou',
        product: 'oss',
        operation: 'UploadPart',
      },
    ]);
    expect(sent[0]?.headers['authorization']).toBe('OSS4-HMAC-SHA256 Credential=remote');
  });
});

describe('request executor: what signing and reading the body may not break', () => {
  it('starts the timeout after the body is read: a slow read does not use up the attempt', async () => {
    // Like a real transport, it fails on a signal that is already aborted.
    const { transport, sent } = scripted([
      (_req, signal) => {
        signal?.throwIfAborted();
        return ok()();
      },
    ]);
    const { exec } = executor(transport, { timeoutMs: 50 });
    const slow = {
      size: 3,
      stream: () =>
        new ReadableStream<Uint8Array>({
          async pull(controller) {
            await new Promise((r) => setTimeout(r, 150));
            controller.enqueue(new Uint8Array([7, 8, 9]));
            controller.close();
          },
        }),
    };
    await exec.send({ ...put, body: slow });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toEqual(new Uint8Array([7, 8, 9]));
  });

  it('does not wait for a hung signer past the caller abort', async () => {
    const { transport, sent } = scripted([]);
    const { exec } = executor(transport, {
      credentials: undefined,
      remoteSigner: () => new Promise(() => {}),
    });
    const controller = new AbortController();
    const reason = new Error('cancelled by the user');
    setTimeout(() => controller.abort(reason), 20);
    await expect(exec.send({ ...put, signal: controller.signal })).rejects.toBe(reason);
    expect(sent).toHaveLength(0);
  });

  it('times out a hung credentials provider and retries, then fails with OssTimeoutError', async () => {
    const { transport, sent } = scripted([]);
    let calls = 0;
    const { exec, retries } = executor(transport, {
      timeoutMs: 20,
      credentials: createCredentialsSource({
        provider: () => {
          calls++;
          return new Promise<Credentials>(() => {});
        },
      }),
    });
    const error = await exec.send(put).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OssTimeoutError);
    expect((error as Error).message).toContain('signing took longer than 20 ms');
    expect(retries).toHaveLength(2);
    expect(calls).toBe(1);
    expect(sent).toHaveLength(0);
  });

  it('takes its abort listener off the caller signal once a streamed body is read or cancelled', async () => {
    const added: unknown[] = [];
    const removed: unknown[] = [];
    const signal = new AbortController().signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((type: string, fn: EventListener, opts?: unknown) => {
      added.push(fn);
      add(type, fn, opts as AddEventListenerOptions);
    }) as typeof signal.addEventListener;
    signal.removeEventListener = ((type: string, fn: EventListener) => {
      removed.push(fn);
      remove(type, fn);
    }) as typeof signal.removeEventListener;
    const { transport } = scripted([ok('hello'), ok('world')]);
    const { exec } = executor(transport);
    const get = { operation: 'GetObject', method: 'GET', bucket: 'bkt', key: 'k', signal };
    const read = await exec.send({ ...get, responseBody: 'stream' as const });
    expect(new TextDecoder().decode(await new Response(read.body).arrayBuffer())).toBe('hello');
    const cancelled = await exec.send({ ...get, responseBody: 'stream' as const });
    await cancelled.body!.cancel();
    expect(added.length).toBeGreaterThanOrEqual(2);
    expect(new Set(removed)).toEqual(new Set(added));
  });

  it('does not retry 501 Not Implemented', async () => {
    const { transport, sent } = scripted([xmlError(501, 'NotImplemented'), ok()]);
    const { exec } = executor(transport);
    const error = await exec.send(put).catch((e: unknown) => e);
    expect((error as OssServiceError).status).toBe(501);
    expect(sent).toHaveLength(1);
  });

  it('refuses a header value HTTP cannot carry, before sending and without retrying', async () => {
    const { transport, sent } = scripted([ok()]);
    const { exec } = executor(transport, {
      credentials: createCredentialsSource({
        credentials: {
          accessKeyId: 'ak',
          accessKeySecret: 'sk',
          securityToken: 'S3CR3T\u20acT0K3N',
        },
      }),
    });
    const error = await exec.send(put).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OssArgumentError);
    expect((error as Error).message).toContain('x-oss-security-token');
    expect((error as Error).message).not.toContain('S3CR3T');
    expect(sent).toHaveLength(0);
    const meta = await exec
      .send({ ...put, headers: { 'x-oss-meta-city': '杭州' } })
      .catch((e: unknown) => e);
    expect(meta).toBeInstanceOf(OssArgumentError);
    expect((meta as Error).message).toContain('x-oss-meta-city');
  });
});

describe('request executor: wire details', () => {
  it('sets Content-Type before signing, signs V4, and sends the body as is', async () => {
    const { transport, sent } = scripted([ok()]);
    const { exec } = executor(transport);
    await exec.send({
      ...put,
      query: [
        ['partNumber', '1'],
        ['uploadId', 'U 1'],
      ],
    });
    const request = sent[0]!;
    expect(request.url).toBe('http://127.0.0.1:9000/bkt/k?partNumber=1&uploadId=U%201');
    expect(request.headers['content-type']).toBe('application/octet-stream');
    expect(request.headers['authorization']).toMatch(
      /^OSS4-HMAC-SHA256 Credential=ak\/20240101\/cn-hangzhou\/oss\/aliyun_v4_request,Signature=[0-9a-f]{64}$/,
    );
    expect(request.body).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('signs V1 when asked', async () => {
    const { transport, sent } = scripted([ok()]);
    const { exec } = executor(transport, { signatureVersion: 'v1' });
    await exec.send(put);
    expect(sent[0]?.headers['authorization']).toMatch(/^OSS ak:[A-Za-z0-9+/]+=*$/);
  });

  it('reports every response to onResponse with a redacted URL and the request id', async () => {
    const seen: unknown[] = [];
    const { transport } = scripted([
      xmlError(503, 'ServiceUnavailable'),
      ok('', { 'x-oss-request-id': 'OKID' }),
    ]);
    const { exec } = executor(transport, {
      onResponse: (info) => seen.push([info.status, info.requestId, info.attempt]),
    });
    const response = await exec.send(put);
    expect(response.requestId).toBe('OKID');
    expect(seen).toEqual([
      [503, 'RID-ServiceUnavailable', 1],
      [200, 'OKID', 2],
    ]);
  });
});

describe('request executor: replayable bodies', () => {
  /** A body that counts its streams and can be told to fail while producing. */
  function replayable(bytes: number[], failWith?: Error) {
    const body = {
      size: bytes.length,
      opened: 0,
      stream() {
        body.opened++;
        return new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new Uint8Array(bytes.slice(0, 1)));
            if (failWith !== undefined) controller.error(failWith);
            else {
              controller.enqueue(new Uint8Array(bytes.slice(1)));
              controller.close();
            }
          },
        });
      },
    };
    return body;
  }
  async function readAll(stream: ReadableStream<Uint8Array>): Promise<number[]> {
    const out: number[] = [];
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) out.push(...chunk);
    return out;
  }

  it('gathers the body into one array per attempt for a transport that does not stream', async () => {
    const { transport, sent } = scripted([xmlError(503, 'ServiceUnavailable'), ok()]);
    const { exec } = executor(transport);
    const body = replayable([4, 5, 6]);
    await exec.send({ ...put, body });
    expect(body.opened).toBe(2);
    expect(sent.map((r) => r.body)).toEqual([new Uint8Array([4, 5, 6]), new Uint8Array([4, 5, 6])]);
  });

  it('streams a fresh body with its Content-Length to a transport that streams', async () => {
    const seen: { length: string | undefined; bytes: number[] }[] = [];
    const statuses = [503, 200];
    const transport: Transport = Object.assign(
      async (request: TransportRequest) => {
        expect(request.body).toBeInstanceOf(ReadableStream);
        seen.push({
          length: request.headers['content-length'],
          bytes: await readAll(request.body as ReadableStream<Uint8Array>),
        });
        return statuses[seen.length - 1] === 200 ? ok()() : xmlError(503, 'ServiceUnavailable')();
      },
      { streamsBodies: true },
    );
    const { exec } = executor(transport);
    const body = replayable([7, 8, 9, 10]);
    await exec.send({ ...put, body });
    expect(seen).toEqual([
      { length: '4', bytes: [7, 8, 9, 10] },
      { length: '4', bytes: [7, 8, 9, 10] },
    ]);
  });

  it("fails with the body's own error, unretried, when producing it fails mid-send", async () => {
    const broken = new Error('disk on fire');
    const transport: Transport = Object.assign(
      async (request: TransportRequest) => {
        await readAll(request.body as ReadableStream<Uint8Array>);
        return ok()();
      },
      { streamsBodies: true },
    );
    const { exec, retries } = executor(transport);
    const body = replayable([1, 2], broken);
    await expect(exec.send({ ...put, body })).rejects.toBe(broken);
    expect(body.opened).toBe(1);
    expect(retries).toEqual([]);
  });

  // A transport may still report progress for an attempt after it ended: an early error answer
  // while bytes queued to flush, or a failure. The next attempt's producer must not hear it.
  it.each([
    ['answered with an error', 1, () => xmlError(503, 'ServiceUnavailable')()],
    [
      'that failed',
      99,
      () => {
        throw new TypeError('fetch failed');
      },
    ],
  ])('drops progress reported late by an attempt %s', async (_what, lateSent, firstOutcome) => {
    const late: ((sent: number) => void)[] = [];
    let calls = 0;
    const transport: Transport = Object.assign(
      async (_request: TransportRequest, options: { onUploadProgress?: (n: number) => void }) => {
        calls++;
        if (calls === 1) {
          late.push(options.onUploadProgress!);
          return firstOutcome();
        }
        late[0]!(lateSent);
        options.onUploadProgress?.(2);
        return ok()();
      },
      { streamsBodies: true },
    );
    const progress: number[] = [];
    const { exec } = executor(transport);
    await exec.send({
      ...put,
      body: replayable([1, 2]),
      onUploadProgress: (n) => progress.push(n),
    });
    expect(progress).toEqual([2]);
  });
});

describe('request executor: code loaded on first use', () => {
  it('still decides retries on the status when the error-reading code cannot load', async () => {
    // As in a browser whose lazy chunk is gone after a redeploy: the import of on-demand.ts fails.
    vi.resetModules();
    vi.doMock('./on-demand.ts', () => {
      throw new TypeError('Failed to fetch dynamically imported module');
    });
    try {
      const fresh = await import('./request-executor.ts');
      const { transport } = scripted([
        xmlError(503, 'ServiceUnavailable', { 'x-oss-ec': '0000-00000000' }),
        xmlError(503, 'ServiceUnavailable'),
        xmlError(403, 'AccessDenied'),
      ]);
      // The fresh module graph's executor, with the same configuration as everywhere here.
      const { exec, retries } = executor(transport, {}, fresh.createRequestExecutor);
      const error = await exec.send(put).catch((e: unknown) => e);
      // The class comes from the fresh module graph, so check by name and fields.
      expect((error as Error).name).toBe('OssServiceError');
      expect(error).toMatchObject({ status: 403, code: '', requestId: 'RID-AccessDenied' });
      expect((error as Error).message).toContain('did not load');
      expect((error as Error).message).toContain('Failed to fetch dynamically imported module');
      expect(retries.map((r) => (r.error as { status?: number }).status)).toEqual([503, 503]);
      expect(retries[0]?.error).toMatchObject({ ec: '0000-00000000' });
    } finally {
      vi.doUnmock('./on-demand.ts');
      vi.resetModules();
    }
  });
});
