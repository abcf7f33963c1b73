/**
 * Names of the operations the dev server recognises, as used by fault matching and the
 * request log. They are OSS API names (`ListObjects` is OSS's GetBucket).
 */
export type OperationName =
  | 'ListBuckets'
  | 'PutBucket'
  | 'DeleteBucket'
  | 'GetBucketInfo'
  | 'GetBucketLocation'
  | 'ListObjects'
  | 'ListObjectsV2'
  | 'ListMultipartUploads'
  | 'PutObject'
  | 'CopyObject'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject'
  | 'InitiateMultipartUpload'
  | 'UploadPart'
  | 'UploadPartCopy'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts'
  | 'Preflight'
  | 'Unsupported';

/** Every {@link OperationName}, for validating admin input. */
export const OPERATION_NAMES: readonly OperationName[] = [
  'ListBuckets',
  'PutBucket',
  'DeleteBucket',
  'GetBucketInfo',
  'GetBucketLocation',
  'ListObjects',
  'ListObjectsV2',
  'ListMultipartUploads',
  'PutObject',
  'CopyObject',
  'GetObject',
  'HeadObject',
  'DeleteObject',
  'InitiateMultipartUpload',
  'UploadPart',
  'UploadPartCopy',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  'ListParts',
  'Preflight',
  'Unsupported',
];
