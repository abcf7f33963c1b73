import { isIP } from 'node:net';

/** Where a request points, after Host + path parsing (protocol reference §7.4). */
export interface ResolvedAddress {
  /** `path` when the bucket came from the path, `virtual` when it came from the Host header. */
  readonly style: 'path' | 'virtual';
  /** Bucket name, or undefined for service-level requests (`GET /`). */
  readonly bucket: string | undefined;
  /** Object key still percent-encoded as sent, or undefined for bucket-level requests. */
  readonly rawKey: string | undefined;
  /** The Host header without its port, lower-cased. */
  readonly hostname: string;
}

/** Splits `Host` into hostname and port, handling `[ipv6]:port`. */
export function splitHost(host: string): { hostname: string; port: string | undefined } {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    if (end < 0) return { hostname: h, port: undefined };
    const rest = h.slice(end + 1);
    return { hostname: h.slice(1, end), port: rest.startsWith(':') ? rest.slice(1) : undefined };
  }
  const colon = h.lastIndexOf(':');
  if (colon >= 0 && h.indexOf(':') === colon) {
    return { hostname: h.slice(0, colon), port: h.slice(colon + 1) };
  }
  return { hostname: h, port: undefined };
}

// `<bucket>.oss-<region>[-internal].aliyuncs.com` (what ali-oss sends to an IP endpoint) and
// `<bucket>.<region>.oss.aliyuncs.com` (dual-stack); also oss-accelerate and the like.
const ALIYUN_HOST = /^([a-z0-9][a-z0-9-]*)\.(?:oss-[a-z0-9-]+|[a-z0-9-]+\.oss)\.aliyuncs\.com$/;

/**
 * Resolves bucket and raw key from the Host header and the raw request path, per §7.4:
 * IP literals and the configured base hosts mean path style; `<bucket>.<base host>` and the
 * public OSS host shapes mean virtual-hosted style; anything else falls back to path style.
 */
export function resolveAddress(
  hostHeader: string | undefined,
  rawPath: string,
  baseHosts: ReadonlySet<string>,
): ResolvedAddress {
  const { hostname } = splitHost(hostHeader ?? '');
  let hostBucket: string | undefined;
  if (hostname !== '' && isIP(hostname) === 0 && !baseHosts.has(hostname)) {
    for (const base of baseHosts) {
      if (hostname.endsWith(`.${base}`)) {
        const prefix = hostname.slice(0, -(base.length + 1));
        if (prefix !== '' && !prefix.includes('.')) hostBucket = prefix;
        break;
      }
    }
    if (hostBucket === undefined) {
      const m = ALIYUN_HOST.exec(hostname);
      if (m) hostBucket = m[1];
    }
  }
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (hostBucket !== undefined) {
    return {
      style: 'virtual',
      bucket: hostBucket,
      rawKey: path === '' ? undefined : path,
      hostname,
    };
  }
  if (path === '') return { style: 'path', bucket: undefined, rawKey: undefined, hostname };
  const slash = path.indexOf('/');
  if (slash < 0) return { style: 'path', bucket: path, rawKey: undefined, hostname };
  const rawKey = path.slice(slash + 1);
  return {
    style: 'path',
    bucket: path.slice(0, slash),
    rawKey: rawKey === '' ? undefined : rawKey,
    hostname,
  };
}
