import { CheckpointStorageError } from '@ossup/browser';
import { CheckpointError } from '@ossup/checkpoint-store';
import {
  OssError,
  OssIntegrityError,
  OssNetworkError,
  OssServiceError,
  OssTimeoutError,
  UploadError,
} from '@ossup/client';
import type { ErrorReport } from './protocol.ts';

/** The backend refused or failed to sign a request (`/api/sign`). */
export class SignRefusedError extends Error {
  override name = 'SignRefusedError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The backend could not hand out credentials (`/api/sts`). */
export class CredentialsFetchError extends Error {
  override name = 'CredentialsFetchError';
  constructor(
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  for (let i = 0; i < 8 && current !== undefined && current !== null; i++) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

function find<T>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  return causes(error).find((e): e is T => e instanceof type);
}

function domName(error: unknown): string | undefined {
  return causes(error)
    .map((e) => (e as { name?: unknown } | null)?.name)
    .find((n): n is string => n === 'NotReadableError' || n === 'NotFoundError');
}

function where(error: unknown): string {
  const upload = find(error, UploadError);
  return upload?.partNumber === undefined ? '' : ` (part ${upload.partNumber})`;
}

/**
 * Turns whatever `upload()` (or `abortUpload()`) threw into words for the user: what
 * happened, what to do, and whether the page should try again by itself. Covers the
 * failures browser uploaders actually meet: a CORS rule that hides ETag, expired or
 * unobtainable credentials, going offline, a busy server, a file changed after it was picked.
 *
 * @param online - `navigator.onLine` at the time of the failure
 */
export function describeError(error: unknown, online: boolean): ErrorReport {
  const part = where(error);
  const credentials = find(error, CredentialsFetchError);
  const refused = find(error, SignRefusedError);
  const unreachable =
    find(error, OssNetworkError) !== undefined ||
    find(error, OssTimeoutError) !== undefined ||
    (credentials !== undefined && credentials.status === undefined) ||
    (refused !== undefined && refused.status === 0);
  if (!online && unreachable) {
    return {
      kind: 'offline',
      title: 'You are offline',
      detail: 'The upload continues by itself when the connection is back.',
      retryable: true,
    };
  }
  if (credentials !== undefined) {
    return {
      kind: 'credentials',
      title: 'Could not get upload credentials from the backend',
      detail: `${credentials.message} The upload is kept; it resumes when the backend answers again.`,
      retryable: credentials.status === undefined || credentials.status >= 500,
    };
  }
  if (refused !== undefined) {
    return {
      kind: 'refused',
      title: 'The backend refused to sign a request',
      detail: `${refused.message}`,
      retryable: refused.status >= 500 || refused.status === 0,
    };
  }
  const service = find(error, OssServiceError);
  if (service !== undefined) {
    const ids = { code: service.code, requestId: service.requestId };
    if (service.code === 'MissingResponseHeader') {
      return {
        kind: 'cors',
        title: 'The bucket’s CORS rule hides the ETag header',
        detail:
          'The browser may only read response headers the bucket’s CORS rule exposes, and an upload cannot complete without each part’s ETag. Add ETag, x-oss-request-id and x-oss-hash-crc64ecma to the rule’s ExposeHeaders (OSS console → Bucket → Content Security → CORS), then resume.',
        retryable: false,
        ...ids,
      };
    }
    if (service.credentialsExpired) {
      return {
        kind: 'credentials',
        title: `The upload credentials were rejected as expired (${service.code})`,
        detail:
          'Fresh credentials were fetched and still refused. Check that this computer’s clock is right, then resume.',
        retryable: false,
        ...ids,
      };
    }
    if (service.retryable) {
      return {
        kind: 'server',
        title: `The storage service is unavailable (${service.status} ${service.code || 'error'})${part}`,
        detail: 'Nothing is lost: the parts already stored are kept. Retrying shortly.',
        retryable: true,
        ...ids,
      };
    }
    return {
      kind: 'server',
      title: `The storage service refused the upload: ${service.status} ${service.code}${part}`,
      detail: `${service.serviceMessage || service.message}${service.requestId ? ` (request id ${service.requestId})` : ''}`,
      retryable: false,
      ...ids,
    };
  }
  const integrity = find(error, OssIntegrityError);
  if (integrity !== undefined) {
    return {
      kind: 'integrity',
      title: `Integrity check failed${part}: ${integrity.what}`,
      detail: `The server stored different bytes than were sent (expected ${integrity.expected}, got ${integrity.actual}) several times in a row. Check proxies or extensions that rewrite uploads, then resume.`,
      retryable: false,
      requestId: integrity.requestId,
    };
  }
  if (find(error, OssTimeoutError) !== undefined) {
    return {
      kind: 'timeout',
      title: `The storage service did not answer in time${part}`,
      detail: 'The connection is slow or stalled. Retrying shortly; the stored parts are kept.',
      retryable: true,
    };
  }
  if (find(error, OssNetworkError) !== undefined) {
    return {
      kind: 'network',
      title: `Could not reach the storage service${part}`,
      detail:
        'The connection failed, or the bucket’s CORS rule does not allow this page’s origin (the browser console says which). Retrying shortly.',
      retryable: true,
    };
  }
  const storage = find(error, CheckpointStorageError);
  if (storage !== undefined) {
    return {
      kind: 'storage',
      title: 'The browser refused to store upload progress',
      detail: storage.message,
      retryable: false,
    };
  }
  const checkpoint = find(error, CheckpointError);
  if (checkpoint?.kind === 'locked') {
    return {
      kind: 'storage',
      title: 'This file is being uploaded in another tab',
      detail: 'Close the other tab (or let it finish), then resume here.',
      retryable: false,
    };
  }
  if (domName(error) !== undefined) {
    return {
      kind: 'file',
      title: 'The file can no longer be read',
      detail:
        'It was changed, moved or deleted after it was picked. Pick it again: the parts already uploaded are reused if it is the same file.',
      retryable: false,
    };
  }
  const generic = find(error, OssError) ?? (error instanceof Error ? error : undefined);
  return {
    kind: 'other',
    title: 'The upload failed',
    detail: generic?.message ?? String(error),
    retryable: false,
  };
}
