// A deliberately small OSS request helper for the dev server's own tests: node:http on a
// real socket, requests signed with @ossup/signer (never @ossup/client).
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import {
  type Credentials,
  encodeKeyForPath,
  encodeQueryString,
  presignV1,
  presignV4,
  signV1,
  signV4,
} from '@ossup/signer';

/** Where and how to reach the server. */
export interface Target {
  endpoint: string;
  region: string;
  credentials: Credentials;
}

export interface OssRequest {
  method: string;
  bucket?: string | undefined;
  key?: string | undefined;
  query?: Array<[string, string]>;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Signature scheme; `'none'` sends the request unsigned. Default v4. */
  sign?: 'v4' | 'v1' | 'none';
  /** Presign instead of header signing. */
  presign?: boolean;
  /** Presign expiry in seconds. */
  expires?: number;
  /** Signing time. Default now. */
  date?: Date;
  /** `virtual`: send `Host: <bucket>.<hostSuffix>` and no bucket in the path. */
  style?: 'path' | 'virtual';
  /** Host suffix for virtual style. Default `localhost:<port>`. */
  hostSuffix?: string;
  /** Override credentials. */
  credentials?: Credentials;
  /** Raw path+query to send instead of the computed one (signature still computed). */
  rawPath?: string;
  /** Send the body with chunked transfer encoding (no Content-Length). */
  chunked?: boolean;
  /** Send no Content-Length and no body framing header at all. */
  noLength?: boolean;
  /** Mutate headers after signing (to break signatures on purpose). */
  afterSign?: (headers: Record<string, string>) => void;
}

export interface OssResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/** Builds path + query for a request. */
export function pathFor(
  bucket: string | undefined,
  key: string | undefined,
  style: 'path' | 'virtual',
): string {
  const k = key === undefined || key === '' ? '' : encodeKeyForPath(key);
  if (style === 'virtual' || bucket === undefined) return `/${k}`;
  return `/${bucket}/${k}`;
}

/** Sends one signed request over a fresh socket and reads the whole answer. */
export async function ossRequest(target: Target, r: OssRequest): Promise<OssResponse> {
  const url = new URL(target.endpoint);
  const style = r.style ?? 'path';
  const credentials = r.credentials ?? target.credentials;
  const body =
    r.body === undefined ? undefined : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body);
  let headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = v;
  let query: Array<[string, string]> = r.query ?? [];
  const date = r.date ?? new Date();
  const desc = { method: r.method, bucket: r.bucket, key: r.key, query, headers };
  const scheme = r.sign ?? 'v4';
  if (scheme !== 'none') {
    if (r.presign) {
      const p =
        scheme === 'v4'
          ? await presignV4(desc, {
              credentials,
              date,
              region: target.region,
              ...(r.expires ? { expires: r.expires } : {}),
            })
          : await presignV1(desc, {
              credentials,
              date,
              ...(r.expires ? { expires: r.expires } : {}),
            });
      query = p.query;
      headers = { ...p.headers };
    } else {
      const s =
        scheme === 'v4'
          ? await signV4(desc, { credentials, date, region: target.region })
          : await signV1(desc, { credentials, date });
      headers = { ...s.headers };
    }
  }
  r.afterSign?.(headers);
  if (style === 'virtual')
    headers['host'] = `${r.bucket}.${r.hostSuffix ?? `localhost:${url.port}`}`;
  if (body !== undefined && !r.chunked && !r.noLength)
    headers['content-length'] = String(body.byteLength);
  if (r.chunked) headers['transfer-encoding'] = 'chunked';
  const qs = encodeQueryString(query);
  const path = r.rawPath ?? `${pathFor(r.bucket, r.key, style)}${qs ? `?${qs}` : ''}`;
  return send(url, r.method, path, headers, body);
}

/** Low-level: one HTTP exchange. */
export function send(
  url: URL,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<OssResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const b = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: b,
            text: b.toString('utf8'),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

/** The `<Code>` of an error body. */
export function errorCode(res: OssResponse): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(res.text)?.[1];
}

/** Text of the first `<name>` element. */
export function xmlValue(text: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1];
}

/** Texts of every `<name>` element. */
export function xmlValues(text: string, name: string): string[] {
  return [...text.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]!);
}

/** Sends raw bytes on a new TCP connection and returns everything the server wrote back. */
export function rawExchange(url: URL, data: string | Buffer, waitMs = 2000): Promise<string> {
  return import('node:net').then(
    ({ connect }) =>
      new Promise<string>((resolve, reject) => {
        const chunks: Buffer[] = [];
        const socket = connect(Number(url.port), url.hostname, () => socket.write(data));
        const timer = setTimeout(() => socket.destroy(), waitMs);
        socket.on('data', (c: Buffer) => {
          chunks.push(c);
          // One complete response is enough: stop at the end of a Content-Length body.
          const text = Buffer.concat(chunks).toString('latin1');
          const head = text.indexOf('\r\n\r\n');
          const len = /content-length: (\d+)/i.exec(text);
          if (head >= 0 && len && text.length >= head + 4 + Number(len[1])) socket.end();
        });
        socket.on('close', () => {
          clearTimeout(timer);
          resolve(Buffer.concat(chunks).toString('latin1'));
        });
        socket.on('error', reject);
      }),
  );
}
