export { MAX_KEY_BYTES, validateBucketName, validateObjectKey } from './addressing.ts';
export type { BodyDigest, BodyDigestRequest, BodyHasher } from './body-hasher.ts';
export { inlineHasher } from './body-hasher.ts';
export type { ByteSource, ByteSourceReadOptions } from './byte-source.ts';
export type {
  ClientOptions,
  RemoteSigner,
  RemoteSignRequest,
  ResponseInfo,
  RetryInfo,
  RetryOptions,
  TimeoutOptions,
} from './client-options.ts';
export { CLIENT_VERSION } from './client-options.ts';
export { createClient, DEFAULT_TIMEOUT_MS } from './create-client.ts';
export type {
  IntegrityCheck,
  OssErrorContext,
  OssErrorOptions,
  OssIntegrityErrorInit,
  OssRequestErrorOptions,
  OssServiceErrorInit,
  UploadErrorInit,
  UploadPhase,
} from './errors.ts';
export {
  CREDENTIAL_ERROR_CODES,
  isRetryableStatus,
  OssArgumentError,
  OssError,
  OssIntegrityError,
  OssNetworkError,
  OssServiceError,
  OssTimeoutError,
  redactStringToSign,
  redactUrl,
  UploadError,
} from './errors.ts';
export type { FetchTransportOptions } from './fetch-transport.ts';
export { fetchTransport } from './fetch-transport.ts';
export type {
  AbortMultipartUploadInput,
  AbortMultipartUploadOutput,
  ByteRange,
  CompletedPart,
  CompleteMultipartUploadInput,
  CompleteMultipartUploadOutput,
  DeleteObjectInput,
  DeleteObjectOutput,
  GetObjectInput,
  GetObjectOutput,
  HeadObjectInput,
  HeadObjectOutput,
  InitiateMultipartUploadInput,
  InitiateMultipartUploadOutput,
  ListedPart,
  ListMultipartUploadsInput,
  ListMultipartUploadsOutput,
  ListPartsInput,
  ListPartsOutput,
  MultipartUploadEntry,
  MultipartUploadInfo,
  ObjectSettings,
  ObjectTarget,
  OperationOptions,
  PresignInput,
  PresignOutput,
  PutObjectInput,
  PutObjectOutput,
  UploadPartCopyInput,
  UploadPartCopyOutput,
  UploadPartInput,
  UploadPartOutput,
} from './operation-types.ts';
export type {
  ListAllMultipartUploadsInput,
  ListAllPartsInput,
  ListUploadsAndPrefixesInput,
  ListUploadsForKeyInput,
  OssClient,
} from './oss-client.ts';
export { preloadClientCode } from './preload.ts';
export type { ReplayableBody } from './replayable-body.ts';
export type { RetryPolicy } from './retry.ts';
export { DEFAULT_RETRY } from './retry.ts';
export type { FromBlobOptions } from './sources/from-blob.ts';
export { blobFingerprint, fromBlob } from './sources/from-blob.ts';
export type { FromBytesOptions } from './sources/from-bytes.ts';
export { fromBytes } from './sources/from-bytes.ts';
export type { FromStreamOptions } from './sources/from-stream.ts';
export { fromStream } from './sources/from-stream.ts';
export type {
  Transport,
  TransportOptions,
  TransportRequest,
  UploadProgressListener,
} from './transport.ts';
export { abortUpload } from './upload/abort-upload.ts';
export type { UploadProgress, UploadProgressPhase } from './upload/progress.ts';
export { upload } from './upload/upload.ts';
export type {
  AbortUploadOptions,
  AbortUploadResult,
  UploadedPart,
  UploadOptions,
  UploadResult,
  UploadWarning,
  UploadWarningCode,
} from './upload/upload-options.ts';
