import { randomBytes } from 'node:crypto';

/** A permanent access key pair the server accepts. */
export interface AccessKey {
  /** AccessKey ID. */
  readonly accessKeyId: string;
  /** AccessKey secret. */
  readonly accessKeySecret: string;
}

/** Temporary (STS-style) credentials issued by the dev server. */
export interface TemporaryCredentials {
  /** Temporary AccessKey ID (`STS.` prefix). */
  readonly accessKeyId: string;
  /** Temporary AccessKey secret. */
  readonly accessKeySecret: string;
  /** Security token; requests must carry it. */
  readonly securityToken: string;
  /** When they stop working (ISO 8601, UTC), as STS reports `Expiration`. */
  readonly expiration: string;
}

/** Options of `issueTemporaryCredentials`. */
export interface IssueTemporaryCredentialsOptions {
  /** Lifetime in seconds; default 3600, at least 1, at most 43200 (STS's own maximum). */
  readonly durationSeconds?: number;
}

/** Default dev credentials: public by design, only for the local server. */
export const DEFAULT_ACCESS_KEY: AccessKey = {
  accessKeyId: 'ossup-dev-access-key',
  accessKeySecret: 'ossup-dev-secret-key-do-not-use-in-production',
};

/** What a credential lookup found. */
export type CredentialLookup =
  | { readonly kind: 'permanent'; readonly secret: string }
  | {
      readonly kind: 'temporary';
      readonly secret: string;
      readonly securityToken: string;
      readonly expiresAt: number;
    }
  | { readonly kind: 'unknown' };

/** The access keys the server accepts, permanent and temporary. Temporary ones live in memory. */
export class CredentialStore {
  private readonly permanent = new Map<string, string>();
  private readonly temporary = new Map<
    string,
    { secret: string; token: string; expiresAt: number }
  >();

  constructor(keys: readonly AccessKey[]) {
    for (const k of keys) this.permanent.set(k.accessKeyId, k.accessKeySecret);
  }

  lookup(accessKeyId: string, now = Date.now()): CredentialLookup {
    const secret = this.permanent.get(accessKeyId);
    if (secret !== undefined) return { kind: 'permanent', secret };
    const t = this.temporary.get(accessKeyId);
    if (t !== undefined) {
      // Keep expired entries a while so the client gets SecurityTokenExpired, not "unknown key".
      if (now > t.expiresAt + 24 * 3600_000) this.temporary.delete(accessKeyId);
      return {
        kind: 'temporary',
        secret: t.secret,
        securityToken: t.token,
        expiresAt: t.expiresAt,
      };
    }
    return { kind: 'unknown' };
  }

  /** Issues short-lived credentials that need their security token on every request. */
  issue(options: IssueTemporaryCredentialsOptions = {}, now = Date.now()): TemporaryCredentials {
    const duration = options.durationSeconds ?? 3600;
    if (!Number.isFinite(duration) || duration < 1 || duration > 43_200) {
      throw new RangeError('durationSeconds must be between 1 and 43200.');
    }
    const accessKeyId = `STS.${randomBytes(12).toString('hex').toUpperCase()}`;
    const accessKeySecret = randomBytes(24).toString('base64url');
    const securityToken = `ossup-sts-${randomBytes(48).toString('base64url')}`;
    const expiresAt = now + Math.round(duration * 1000);
    this.temporary.set(accessKeyId, { secret: accessKeySecret, token: securityToken, expiresAt });
    for (const [id, t] of this.temporary) {
      if (now > t.expiresAt + 24 * 3600_000) this.temporary.delete(id);
    }
    return {
      accessKeyId,
      accessKeySecret,
      securityToken,
      expiration: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
  }
}
