// The `@ossup/signer/v4` entry point: V4 signing and presigning with the key cache and the URL
// encoders, and nothing of V1, `createSigner` or server-side verification. The main entry
// re-exports all of these too; this one exists for bundles. A bundler keeps every module the
// main entry re-exports within reach of the code that imports it, so an app importing only
// `signV4` from `@ossup/signer` still pays for V1 and `verifyRequest` wherever other code of
// the same bundle uses them; importing from here it does not. `@ossup/client` signs V1 only
// on request, and loads it then.

export type { Credentials, CredentialsProvider } from './credentials.ts';
export type { SigningKeyCache, SigningKeyCacheOptions } from './key-cache.ts';
export { createSigningKeyCache, deriveSigningKeyV4 } from './key-cache.ts';
export type {
  HeadersInput,
  PresignedRequest,
  QueryInput,
  SignableRequest,
  SignedRequest,
} from './types.ts';
export { encodeRfc3986, encodeRfc3986Path } from './uri-encode.ts';
export { encodeKeyForPath } from './url.ts';
export {
  additionalHeadersV4,
  canonicalHeadersV4,
  canonicalQueryV4,
  canonicalRequestV4,
  canonicalUriV4,
  UNSIGNED_PAYLOAD,
} from './v4-canonical.ts';
export type { PresignV4Options, SignV4Options } from './v4-sign.ts';
export {
  credentialScopeV4,
  DEFAULT_PRESIGN_EXPIRES,
  normalizeRegion,
  presignV4,
  signatureV4,
  signV4,
  stringToSignV4,
  V4_ALGORITHM,
  V4_MAX_EXPIRES,
  V4_PRESIGN_PARAMS,
} from './v4-sign.ts';
