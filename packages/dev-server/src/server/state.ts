import type { CredentialStore } from '../credentials.ts';
import type { Faults } from '../faults.ts';
import type { HashPool } from '../hash/hash-pool.ts';
import type { CorsPolicy } from '../http/cors.ts';
import type { DevServerLimits } from '../limits.ts';
import type { RequestLog } from '../request-log.ts';
import type { DiskStore } from '../storage/disk-store.ts';

/** Shared, per-server state handed to every handler. */
export interface ServerState {
  readonly store: DiskStore;
  /** Worker threads hashing upload bodies; undefined hashes on the event loop. */
  readonly hashPool: HashPool | undefined;
  readonly limits: DevServerLimits;
  /** Region id without `oss-`, e.g. `cn-hangzhou`. */
  readonly region: string;
  readonly credentials: CredentialStore;
  readonly anonymous: boolean;
  readonly faults: Faults;
  readonly requests: RequestLog;
  readonly cors: CorsPolicy;
  /** Hostnames meaning "path style" (and whose subdomains are buckets). */
  readonly baseHosts: ReadonlySet<string>;
  /** Admin endpoint token, or undefined when the admin endpoint is off. */
  readonly adminToken: string | undefined;
  /** Server clock, milliseconds. */
  readonly now: () => number;
  /** Reports unexpected internal problems (never secrets). */
  readonly warn: (message: string) => void;
}
