/** Default allowed origins: pages served from this machine only, on any port. */
export const DEFAULT_CORS_ORIGINS: readonly string[] = [
  'http://localhost',
  'http://localhost:*',
  'http://127.0.0.1',
  'http://127.0.0.1:*',
  'http://[::1]',
  'http://[::1]:*',
];

/** Response headers browsers may read (ETag and the checksum are needed by upload clients). */
export const EXPOSED_HEADERS = [
  'ETag',
  'x-oss-request-id',
  'x-oss-hash-crc64ecma',
  'x-oss-object-type',
  'x-oss-version-id',
  'x-oss-err',
  'x-oss-ec',
  'Content-MD5',
  'Content-Range',
  'Content-Length',
  'Last-Modified',
  'Date',
].join(', ');

export const ALLOWED_METHODS = 'GET, PUT, POST, DELETE, HEAD';

/** Compiled origin allow-list: exact origins, `*`, or patterns with `*` wildcards. */
export class CorsPolicy {
  private readonly any: boolean;
  private readonly patterns: RegExp[];

  constructor(origins: readonly string[]) {
    this.any = origins.includes('*');
    this.patterns = origins
      .filter((o) => o !== '*')
      .map(
        (o) =>
          new RegExp(
            `^${o
              .toLowerCase()
              .replace(/\/+$/, '')
              .split('*')
              .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
              .join('[^/]*')}$`,
          ),
      );
  }

  allows(origin: string): boolean {
    if (this.any) return true;
    const o = origin.toLowerCase();
    return this.patterns.some((p) => p.test(o));
  }
}
