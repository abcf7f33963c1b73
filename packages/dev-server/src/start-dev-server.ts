import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AccessKey,
  CredentialStore,
  DEFAULT_ACCESS_KEY,
  type IssueTemporaryCredentialsOptions,
  type TemporaryCredentials,
} from './credentials.ts';
import { Faults } from './faults.ts';
import { BUCKET_NAME_RULE } from './handlers/bucket.ts';
import { HashPool } from './hash/hash-pool.ts';
import { CorsPolicy, DEFAULT_CORS_ORIGINS } from './http/cors.ts';
import { DEFAULT_LIMITS, type DevServerLimits } from './limits.ts';
import type { DevServerOptions } from './options.ts';
import { newRequestId } from './request-id.ts';
import { RequestLog } from './request-log.ts';
import { handleRequest } from './server/handle.ts';
import type { ServerState } from './server/state.ts';
import { DiskStore } from './storage/disk-store.ts';

/** A running dev server, as returned by {@link startDevServer}. */
export interface DevServer {
  /** Base URL for path-style requests, e.g. `http://127.0.0.1:54321`. */
  readonly endpoint: string;
  /** Bound interface. */
  readonly host: string;
  /** Bound port. */
  readonly port: number;
  /** Region id to sign with (V4), e.g. `cn-hangzhou`. */
  readonly region: string;
  /** Access key to sign with (the first configured one). */
  readonly credentials: AccessKey;
  /** Data directory in use. */
  readonly dataDir: string;
  /** Fault injection; see {@link Faults}. */
  readonly faults: Faults;
  /** Requests handled so far, for counting; see {@link RequestLog}. */
  readonly requests: RequestLog;
  /** Limits in force. */
  readonly limits: DevServerLimits;
  /** The admin endpoint, when enabled: its base URL and token. */
  readonly admin:
    | {
        /** Base URL of the admin routes, e.g. `http://127.0.0.1:9000/_ossup`. */
        readonly url: string;
        /** Token to send as `x-ossup-admin-token` (or `Authorization: Bearer`). */
        readonly token: string;
      }
    | undefined;
  /**
   * Virtual-hosted style base URL for a bucket: `http://<bucket>.localhost:<port>`.
   * Browsers resolve `*.localhost`; Node's resolver may not, so from Node prefer
   * `endpoint` (path style) or send the Host header yourself.
   */
  bucketUrl(bucket: string): string;
  /** Creates a bucket (no-op if it exists). */
  createBucket(name: string): Promise<void>;
  /**
   * Issues temporary STS-style credentials: they work only with their security token and
   * stop working at `expiration` (403 SecurityTokenExpired). Kept in memory only.
   */
  issueTemporaryCredentials(options?: IssueTemporaryCredentialsOptions): TemporaryCredentials;
  /**
   * Stops the server: refuses new connections, cuts open ones (in-flight uploads are not
   * acknowledged, so nothing half-written becomes visible), releases the data directory
   * and deletes it if it was a temporary one.
   */
  close(): Promise<void>;
  /** Same as `close()`, for `await using server = await startDevServer()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

function normalizeRegion(region: string): string {
  return region.startsWith('oss-') ? region.slice(4) : region;
}

/**
 * Starts a local OSS-compatible server and resolves once it is listening.
 *
 * ```ts
 * const server = await startDevServer({ buckets: ['test'] });
 * // sign requests with server.credentials / server.region, send them to server.endpoint
 * server.faults.add({ match: { operation: 'UploadPart' }, action: { kind: 'status', status: 503 } });
 * await server.close();
 * ```
 *
 * @throws DataDirInUseError if another live server uses `dataDir`
 * @throws Error (EADDRINUSE, ...) if the port cannot be bound
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const host = options.host ?? '127.0.0.1';
  const region = normalizeRegion(options.region ?? 'cn-hangzhou');
  const keys: readonly AccessKey[] =
    options.credentials === undefined
      ? [DEFAULT_ACCESS_KEY]
      : Array.isArray(options.credentials)
        ? (options.credentials as readonly AccessKey[])
        : [options.credentials as AccessKey];
  if (keys.length === 0)
    throw new TypeError('options.credentials must hold at least one access key.');
  for (const k of keys) {
    if (!k.accessKeyId || !k.accessKeySecret) {
      throw new TypeError('Every access key needs a non-empty accessKeyId and accessKeySecret.');
    }
  }
  for (const b of options.buckets ?? []) {
    if (!BUCKET_NAME_RULE.test(b)) {
      throw new TypeError(
        `Invalid bucket name ${JSON.stringify(b)}: 3-63 characters, a-z 0-9 and '-', starting and ending with a letter or digit.`,
      );
    }
  }
  const warn = options.onWarning ?? ((m: string) => console.warn(`[ossup-dev-server] ${m}`));
  const ephemeral = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'ossup-dev-server-')));
  const store = await DiskStore.open(dataDir, warn);
  const limits: DevServerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const adminToken =
    options.admin === true
      ? randomBytes(24).toString('base64url')
      : typeof options.admin === 'string' && options.admin !== ''
        ? options.admin
        : undefined;
  const faults = new Faults();
  const requests = new RequestLog(options.requestLogLimit ?? 10_000);
  const credentials = new CredentialStore(keys);
  const now = options.now ?? Date.now;
  const baseHosts = new Set(
    ['localhost', 'oss.localhost', host.toLowerCase(), ...(options.domains ?? [])].map((h) =>
      h.toLowerCase(),
    ),
  );
  const hashWorkers = options.hashWorkers ?? Math.max(1, Math.min(8, availableParallelism()));
  const hashPool = hashWorkers > 0 ? new HashPool(hashWorkers) : undefined;
  const state: ServerState = {
    store,
    hashPool,
    limits,
    region,
    credentials,
    anonymous: options.anonymous ?? false,
    faults,
    requests,
    cors: new CorsPolicy(options.corsOrigins ?? DEFAULT_CORS_ORIGINS),
    baseHosts,
    adminToken,
    now,
    warn,
  };

  try {
    for (const b of options.buckets ?? []) await store.createBucket(b);
  } catch (err) {
    await store.close();
    throw err;
  }

  const inflight = new Set<Promise<void>>();
  const sockets = new Set<Socket>();
  const track = (req: IncomingMessage, res: ServerResponse, expectContinue: boolean) => {
    const p = handleRequest(state, req, res, expectContinue).catch((err: unknown) => {
      warn(`unhandled error: ${(err as Error)?.stack ?? String(err)}`);
      res.destroy();
    });
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };
  const server: Server = createServer(
    { requestTimeout: 0, headersTimeout: 60_000, keepAliveTimeout: 5_000 },
    (req, res) => track(req, res, false),
  );
  // With this listener Node no longer answers `Expect: 100-continue` itself: the handler
  // sends 100 only once auth and the request checks passed, so a refused upload costs no
  // body bytes.
  server.on('checkContinue', (req, res) => track(req, res, true));
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => {
    // Unparsable HTTP: answer like OSS would, still with a request id.
    if (socket.writable) {
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nx-oss-request-id: ${newRequestId()}\r\nServer: AliyunOSS\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      );
    } else socket.destroy();
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await store.close();
    if (ephemeral && !options.keepData) await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const endpoint = `http://${urlHost}:${port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      await Promise.allSettled([...inflight]);
      await hashPool?.close();
      await store.close();
      if (ephemeral && !options.keepData) await rm(dataDir, { recursive: true, force: true });
    })();
    return closing;
  };

  return {
    endpoint,
    host,
    port,
    region,
    credentials: keys[0]!,
    dataDir,
    faults,
    requests,
    limits,
    admin: adminToken === undefined ? undefined : { url: `${endpoint}/_ossup`, token: adminToken },
    bucketUrl: (bucket: string) => `http://${bucket}.localhost:${port}`,
    createBucket: async (name: string) => {
      if (!BUCKET_NAME_RULE.test(name))
        throw new TypeError(`Invalid bucket name ${JSON.stringify(name)}.`);
      await store.createBucket(name);
    },
    issueTemporaryCredentials: (opts) => credentials.issue(opts, now()),
    close,
    [Symbol.asyncDispose]: close,
  };
}
