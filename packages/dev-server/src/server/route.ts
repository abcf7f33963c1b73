import { methodNotAllowed, notImplemented } from '../error-codes.ts';
import type { OssError } from '../errors.ts';
import type { ParsedQuery } from '../http/query.ts';
import type { OperationName } from '../operations.ts';

/** The operation a request asks for, or the error to answer when it is not supported. */
export interface Route {
  readonly operation: OperationName;
  readonly error?: OssError;
}

// Bucket sub-resources this server does not implement: answered with NotImplemented rather
// than silently treated as a listing.
const BUCKET_SUBRESOURCES = [
  'acl',
  'cors',
  'logging',
  'website',
  'referer',
  'lifecycle',
  'policy',
  'tagging',
  'encryption',
  'versioning',
  'versions',
  'replication',
  'inventory',
  'worm',
  'stat',
  'requestPayment',
  'qos',
  'transferAcceleration',
  'delete',
  'restore',
  'cname',
  'live',
  'resourceGroup',
  'metaQuery',
  'style',
  'img',
  'accessPoint',
  'publicAccessBlock',
];
const OBJECT_SUBRESOURCES = [
  'acl',
  'tagging',
  'symlink',
  'restore',
  'append',
  'objectMeta',
  'x-oss-process',
  'versions',
  'versionId',
  'sequential',
  'position',
  'select',
  'x-oss-async-process',
];

function unsupported(query: ParsedQuery, names: readonly string[]): string | undefined {
  return names.find((n) => query.has(n));
}

/** Maps method + address + query (+ copy-source header) to an OSS operation. */
export function routeRequest(
  method: string,
  bucket: string | undefined,
  key: string | undefined,
  query: ParsedQuery,
  copySource: string | undefined,
): Route {
  const nope = (what: string): Route => ({ operation: 'Unsupported', error: notImplemented(what) });
  if (bucket === undefined) {
    if (method === 'GET') return { operation: 'ListBuckets' };
    return { operation: 'Unsupported', error: methodNotAllowed(method) };
  }
  if (key === undefined) {
    switch (method) {
      case 'PUT': {
        const sub = unsupported(query, BUCKET_SUBRESOURCES);
        return sub ? nope(`PUT ?${sub}`) : { operation: 'PutBucket' };
      }
      case 'GET': {
        if (query.has('uploads')) return { operation: 'ListMultipartUploads' };
        if (query.has('location')) return { operation: 'GetBucketLocation' };
        if (query.has('bucketInfo')) return { operation: 'GetBucketInfo' };
        const sub = unsupported(query, BUCKET_SUBRESOURCES);
        if (sub) return nope(`GET ?${sub}`);
        return query.get('list-type') === '2'
          ? { operation: 'ListObjectsV2' }
          : { operation: 'ListObjects' };
      }
      case 'DELETE': {
        const sub = unsupported(query, BUCKET_SUBRESOURCES);
        return sub ? nope(`DELETE ?${sub}`) : { operation: 'DeleteBucket' };
      }
      case 'POST':
        return nope(query.has('delete') ? 'DeleteMultipleObjects' : 'POST on a bucket');
      default:
        return { operation: 'Unsupported', error: methodNotAllowed(method) };
    }
  }
  switch (method) {
    case 'PUT': {
      if (query.has('uploadId')) {
        return { operation: copySource !== undefined ? 'UploadPartCopy' : 'UploadPart' };
      }
      const sub = unsupported(query, OBJECT_SUBRESOURCES);
      if (sub) return nope(`PUT ?${sub}`);
      return { operation: copySource !== undefined ? 'CopyObject' : 'PutObject' };
    }
    case 'POST':
      if (query.has('uploads')) return { operation: 'InitiateMultipartUpload' };
      if (query.has('uploadId')) return { operation: 'CompleteMultipartUpload' };
      return nope(query.has('append') ? 'AppendObject' : 'POST on an object');
    case 'GET': {
      if (query.has('uploadId')) return { operation: 'ListParts' };
      const sub = unsupported(query, OBJECT_SUBRESOURCES);
      return sub ? nope(`GET ?${sub}`) : { operation: 'GetObject' };
    }
    case 'HEAD': {
      const sub = unsupported(query, OBJECT_SUBRESOURCES);
      return sub ? nope(`HEAD ?${sub}`) : { operation: 'HeadObject' };
    }
    case 'DELETE': {
      if (query.has('uploadId')) return { operation: 'AbortMultipartUpload' };
      const sub = unsupported(query, OBJECT_SUBRESOURCES);
      return sub ? nope(`DELETE ?${sub}`) : { operation: 'DeleteObject' };
    }
    default:
      return { operation: 'Unsupported', error: methodNotAllowed(method) };
  }
}
