import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type DevServer, type DevServerOptions, startDevServer } from '@ossup/dev-server';
import { type Backend, type BackendOptions, createBackend } from './backend.ts';
import { staticFiles } from './static-files.ts';

/** Where the page comes from: Vite's dev server (live TypeScript), or a `vite build` output. */
export type PageSource = { kind: 'vite' } | { kind: 'static'; dir: string };

/** Options of {@link startWebUploader}. */
export interface WebUploaderOptions {
  /** Interface to bind. Default `127.0.0.1` (loopback only). */
  host?: string;
  /** Port of the page and its backend; `0` picks a free one. Default `0`. */
  port?: number;
  /** Default `{ kind: 'vite' }`. */
  page?: PageSource;
  /** Use this running dev server (it is not closed by `close()`). Default: start one. */
  devServer?: DevServer;
  /** Options for the dev server started when `devServer` is not given. */
  devServerOptions?: DevServerOptions;
  /** Bucket to upload to (created if missing). Default `web-uploads`. */
  bucket?: string;
  /** Backend settings (part size, STS lifetime, default mode...). */
  backend?: Partial<
    Omit<BackendOptions, 'endpoint' | 'region' | 'bucket' | 'issueCredentials' | 'signingKey'>
  >;
}

/** A running uploader: page + backend on `url`, OSS (the dev server) on `devServer.endpoint`. */
export interface WebUploader {
  /** The page, e.g. `http://127.0.0.1:5173/`. */
  url: string;
  devServer: DevServer;
  backend: Backend;
  close(): Promise<void>;
}

/** The app directory (where vite.config.ts is). */
export const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * Starts the dev server (unless given one), the page's backend, and the page itself, all on
 * loopback. The backend gets the dev server's permanent key (for `/api/sign`) and its
 * `issueTemporaryCredentials` (for `/api/sts`); the browser gets neither key.
 */
export async function startWebUploader(options: WebUploaderOptions = {}): Promise<WebUploader> {
  const bucket = options.bucket ?? 'web-uploads';
  const ownDevServer = options.devServer === undefined;
  const devServer =
    options.devServer ?? (await startDevServer({ ...options.devServerOptions, buckets: [bucket] }));
  const cleanups: Array<() => Promise<void>> = [];
  if (ownDevServer) cleanups.push(() => devServer.close());
  try {
    if (!ownDevServer) await devServer.createBucket(bucket);
    const backend = createBackend({
      ...options.backend,
      endpoint: devServer.endpoint,
      region: devServer.region,
      bucket,
      signingKey: devServer.credentials,
      issueCredentials: (durationSeconds) =>
        devServer.issueTemporaryCredentials({ durationSeconds }),
    });

    let pageHandler: (req: IncomingMessage, res: ServerResponse) => void;
    const server: Server = createServer((req, res) => {
      backend.handle(req, res).then(
        (handled) => {
          if (!handled) pageHandler(req, res);
        },
        (error: unknown) => {
          console.error('[web-uploader]', error);
          res.destroy();
        },
      );
    });
    const sockets = new Set<Socket>();
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });

    const page = options.page ?? { kind: 'vite' };
    if (page.kind === 'static') {
      const serve = staticFiles(page.dir);
      pageHandler = (req, res) => {
        serve(req, res).catch(() => res.destroy());
      };
    } else {
      const { createServer: createVite } = await import('vite');
      const vite = await createVite({
        configFile: `${APP_DIR}/vite.config.ts`,
        appType: 'spa',
        server: { middlewareMode: true, hmr: { server } },
        logLevel: 'warn',
      });
      cleanups.unshift(() => vite.close());
      pageHandler = (req, res) => {
        vite.middlewares(req, res, () => {
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
        });
      };
    }

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    cleanups.unshift(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const socket of sockets) socket.destroy();
        }),
    );
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    let closing: Promise<void> | undefined;
    return {
      url: `http://${host}:${address.port}/`,
      devServer,
      backend,
      close: () => {
        closing ??= (async () => {
          for (const cleanup of cleanups) await cleanup();
        })();
        return closing;
      },
    };
  } catch (error) {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
    throw error;
  }
}
