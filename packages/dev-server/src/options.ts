import type { AccessKey } from './credentials.ts';
import type { DevServerLimits } from './limits.ts';

/** Options of {@link startDevServer}. Every field is optional; the defaults suit tests. */
export interface DevServerOptions {
  /** Interface to bind. Default `127.0.0.1` (loopback only). */
  host?: string;
  /** Port; `0` picks a free one (read it from `endpoint`). Default `0`. */
  port?: number;
  /**
   * Data directory. Default: a fresh temporary directory, deleted by `close()` (unless
   * `keepData`). Data in a given directory survives restarts and `kill -9`.
   */
  dataDir?: string;
  /** Keep the temporary data directory made when `dataDir` is not given. Default `false`. */
  keepData?: boolean;
  /** Region id the server claims (and V4 scopes must name). Default `cn-hangzhou`. */
  region?: string;
  /**
   * Access keys accepted (all of them). Default: {@link DEFAULT_ACCESS_KEY}. The first one is
   * returned as the handle's `credentials`.
   */
  credentials?: AccessKey | readonly AccessKey[];
  /** Accept unsigned requests. Default `false` (they get 403 AccessDenied). */
  anonymous?: boolean;
  /** Buckets to create at start (existing ones are kept). */
  buckets?: readonly string[];
  /**
   * Extra host names for virtual-hosted style: a request to `<bucket>.<domain>` addresses
   * `<bucket>`, one to `<domain>` itself is path style. `localhost`, `oss.localhost`, the
   * bind host and IP literals are always understood; so are the public OSS host shapes
   * (`<bucket>.oss-<region>.aliyuncs.com`, which ali-oss sends to an IP endpoint).
   */
  domains?: readonly string[];
  /**
   * Origins allowed to call the server from a browser (CORS). Exact origins, `*` for any,
   * or patterns with `*` (`http://localhost:*`). Default: `http://localhost`,
   * `http://127.0.0.1` and `http://[::1]` on any port.
   */
  corsOrigins?: readonly string[];
  /** Lower OSS's limits for tests (e.g. `{ minPartSize: 1024 }`). Default: OSS's own. */
  limits?: Partial<DevServerLimits>;
  /**
   * Enable the admin endpoint (`/_ossup/...`, loopback clients with the token only).
   * `true` makes a random token (see the handle's `admin.token`); a string sets it.
   * Default `false`.
   */
  admin?: boolean | string;
  /**
   * Worker threads that hash (MD5 + CRC-64) and write upload bodies in parallel. `0` hashes
   * on the event loop. Default: the number of CPUs, at most 8.
   */
  hashWorkers?: number;
  /** Entries kept in the request log. Default 10000. */
  requestLogLimit?: number;
  /** The server's clock in ms since the epoch (to test skew and expiry). Default `Date.now`. */
  now?: () => number;
  /** Where internal warnings go (never secrets). Default: `console.warn`. */
  onWarning?: (message: string) => void;
}
