import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSigner } from '@ossup/signer';
import type { AuthMode, PageConfig } from '../src/upload/protocol.ts';
import { checkSignRequest, type SignPolicy } from './sign-policy.ts';

/** Temporary credentials as STS (and the dev server) issue them. */
export interface IssuedCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  /** ISO 8601. */
  expiration: string;
}

/** Options of {@link createBackend}. */
export interface BackendOptions {
  /** OSS endpoint as the browser reaches it, e.g. the dev server's `http://127.0.0.1:9100`. */
  endpoint: string;
  /** Region id. */
  region: string;
  /** The one bucket the page uploads to. */
  bucket: string;
  /** Every object key starts with it. Default `uploads/`. */
  keyPrefix?: string;
  /**
   * Issues short-lived credentials for `/api/sts`. With the dev server:
   * `(s) => server.issueTemporaryCredentials({ durationSeconds: s })`; in production a call
   * to Alibaba Cloud STS AssumeRole with a policy limited to the bucket and prefix.
   */
  issueCredentials: (durationSeconds: number) => IssuedCredentials | Promise<IssuedCredentials>;
  /** The long-term key `/api/sign` signs with. It never leaves the backend. */
  signingKey: { accessKeyId: string; accessKeySecret: string };
  /** Lifetime of issued credentials, seconds. Default 900 (the STS minimum). */
  stsDurationSeconds?: number;
  /** Mode the page starts in. Default `sts`. */
  defaultMode?: AuthMode;
  /** Part size the page uploads with, bytes. Default 8 MiB. */
  partSize?: number;
  /** Parts in flight per file. Default 4. */
  parallel?: number;
  /** Send Content-MD5 with every part. Default `true`. */
  contentMd5?: boolean;
  /** Signature version. Default `v4`. */
  signatureVersion?: 'v1' | 'v4';
}

/** Counters, for tests and the dev console. */
export interface BackendStats {
  /** Credentials handed out by `/api/sts`. */
  sts: number;
  /** Requests signed by `/api/sign`. */
  signed: number;
  /** Sign requests refused by the policy. */
  refused: number;
}

/** The page's backend: `/api/config`, `/api/sts`, `/api/sign`. */
export interface Backend {
  /** What `/api/config` answers. */
  readonly config: PageConfig;
  readonly stats: BackendStats;
  /** Handles `/api/*`; resolves `false` for any other path (serve the page there). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

const MAX_BODY = 64 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    // Credentials and signatures must never be cached by the browser or a proxy.
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  // Requiring JSON makes a cross-site form post impossible: another origin's fetch with this
  // type needs a CORS preflight, which this backend never answers.
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415, 'Send the request as application/json.');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'Request body too large.');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new HttpError(400, 'The body is not valid JSON.');
  }
}

/**
 * Only the page itself may ask for credentials or signatures. A real deployment also checks
 * the user's session here (who may upload, how much, where).
 */
function checkSameOrigin(req: IncomingMessage): void {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new HttpError(403, 'Cross-site requests are refused.');
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host}`) {
    throw new HttpError(403, 'Cross-origin requests are refused.');
  }
}

/**
 * Creates the page's backend. It holds the long-term key; the browser gets either
 * short-lived credentials (`/api/sts`) or one signature per request (`/api/sign`), never the
 * key itself.
 */
export function createBackend(options: BackendOptions): Backend {
  const signatureVersion = options.signatureVersion ?? 'v4';
  const stsDurationSeconds = options.stsDurationSeconds ?? 900;
  const config: PageConfig = {
    endpoint: options.endpoint,
    region: options.region,
    bucket: options.bucket,
    keyPrefix: options.keyPrefix ?? 'uploads/',
    defaultMode: options.defaultMode ?? 'sts',
    partSize: options.partSize ?? 8 * 1024 * 1024,
    parallel: options.parallel ?? 4,
    contentMd5: options.contentMd5 ?? true,
    stsDurationSeconds,
    signatureVersion,
  };
  const policy: SignPolicy = {
    bucket: config.bucket,
    keyPrefix: config.keyPrefix,
    region: config.region,
    signatureVersion,
  };
  const signer = createSigner({
    version: signatureVersion,
    region: options.region,
    credentials: options.signingKey,
  });
  const stats: BackendStats = { sts: 0, signed: 0, refused: 0 };

  async function route(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (path === '/api/config') {
      if (req.method !== 'GET') throw new HttpError(405, 'Use GET.');
      send(res, 200, config);
      return;
    }
    if (path === '/api/sts') {
      if (req.method !== 'POST') throw new HttpError(405, 'Use POST.');
      checkSameOrigin(req);
      await readJson(req);
      const issued = await options.issueCredentials(stsDurationSeconds);
      stats.sts++;
      send(res, 200, {
        accessKeyId: issued.accessKeyId,
        accessKeySecret: issued.accessKeySecret,
        securityToken: issued.securityToken,
        expiration: issued.expiration,
      });
      return;
    }
    if (path === '/api/sign') {
      if (req.method !== 'POST') throw new HttpError(405, 'Use POST.');
      checkSameOrigin(req);
      const decision = checkSignRequest(await readJson(req), policy);
      if (!decision.ok) {
        stats.refused++;
        send(res, decision.status, { error: decision.message });
        return;
      }
      const { method, bucket, key, query, headers } = decision.request;
      const signed = await signer.sign({ method, bucket, key, query, headers });
      stats.signed++;
      send(res, 200, { headers: signed.headers });
      return;
    }
    throw new HttpError(404, `No API route ${path}.`);
  }

  return {
    config,
    stats,
    async handle(req, res) {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path !== '/api' && !path.startsWith('/api/')) return false;
      try {
        await route(req, res, path);
      } catch (error) {
        const status = error instanceof HttpError ? error.status : 500;
        const message =
          error instanceof HttpError ? error.message : 'The backend failed; see its log.';
        if (!(error instanceof HttpError)) console.error('[web-uploader backend]', error);
        if (!res.headersSent) send(res, status, { error: message });
        else res.destroy();
      }
      return true;
    },
  };
}
