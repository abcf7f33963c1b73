/**
 * Access key credentials. With STS (temporary) credentials, `securityToken` is set and the
 * signer sends it (`x-oss-security-token` header, or `security-token` / `x-oss-security-token`
 * query parameter when presigning).
 */
export interface Credentials {
  /** AccessKey ID; appears in every signed request. */
  readonly accessKeyId: string;
  /** AccessKey secret; never sent, logged, or put in an error. */
  readonly accessKeySecret: string;
  /** STS security token, for temporary credentials only. */
  readonly securityToken?: string | undefined;
  /** When temporary credentials stop working; providers are refreshed before this instant. */
  readonly expiration?: Date | undefined;
}

/**
 * Supplies credentials on demand, e.g. from an STS endpoint. Called whenever the cached
 * credentials are missing or about to expire; see {@link createRefreshingCredentialsProvider}.
 */
export type CredentialsProvider = () => Promise<Credentials>;

/** Fails early, with a message that names the field, on credentials a signer cannot use. */
export function checkCredentials(credentials: Credentials): void {
  if (typeof credentials !== 'object' || credentials === null) {
    throw new TypeError('Credentials must be an object with accessKeyId and accessKeySecret.');
  }
  if (typeof credentials.accessKeyId !== 'string' || credentials.accessKeyId === '') {
    throw new TypeError('Credentials.accessKeyId must be a non-empty string.');
  }
  if (typeof credentials.accessKeySecret !== 'string' || credentials.accessKeySecret === '') {
    throw new TypeError('Credentials.accessKeySecret must be a non-empty string.');
  }
}
