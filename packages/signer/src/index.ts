export { readClock } from './clock.ts';
export type { Credentials, CredentialsProvider } from './credentials.ts';
export { formatIso8601Basic, formatRfc1123, parseIso8601Basic, parseRfc1123 } from './dates.ts';
export type { SigningKeyCache, SigningKeyCacheOptions } from './key-cache.ts';
export { createSigningKeyCache, deriveSigningKeyV4 } from './key-cache.ts';
export { normalizeHeaders, normalizeQuery } from './normalize.ts';
export type {
  RefreshingCredentialsOptions,
  RefreshingCredentialsProvider,
} from './refreshing-credentials.ts';
export { createRefreshingCredentialsProvider } from './refreshing-credentials.ts';
export type { PresignOptions, Signer, SignerOptions, SignOptions } from './signer.ts';
export { createSigner } from './signer.ts';
export type {
  Clock,
  HeadersInput,
  PresignedRequest,
  QueryInput,
  SignableRequest,
  SignatureVersion,
  SignedRequest,
} from './types.ts';
export type { PercentDecodeOptions } from './uri-encode.ts';
export { encodeRfc3986, encodeRfc3986Path, percentDecode } from './uri-encode.ts';
export type { BuildUrlOptions, ParsedRequestTarget, ParseRequestTargetOptions } from './url.ts';
export {
  buildPresignedUrl,
  encodeKeyForPath,
  encodeQueryString,
  parseRequestTarget,
} from './url.ts';
export type { StringToSignV1Options } from './v1-canonical.ts';
export {
  canonicalizedOssHeadersV1,
  canonicalizedResourceV1,
  isV1SubResource,
  stringToSignV1,
  V1_SUB_RESOURCES,
} from './v1-canonical.ts';
export type { PresignV1Options, SignV1Options } from './v1-sign.ts';
export { presignV1, signatureV1, signV1, V1_PRESIGN_PARAMS } from './v1-sign.ts';
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
export type {
  DetectedSignature,
  VerifiableRequest,
  VerifyCredentials,
  VerifyErrorCode,
  VerifyFailure,
  VerifyOptions,
  VerifyResult,
  VerifySuccess,
} from './verify.ts';
export { detectSignature, hasSignature, stringToSignBytes, verifyRequest } from './verify.ts';
