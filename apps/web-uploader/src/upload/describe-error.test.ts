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
import { describe, expect, it } from 'vitest';
import { CredentialsFetchError, describeError, SignRefusedError } from './describe-error.ts';

const target = { bucket: 'web-uploads', key: 'uploads/a.bin' };

function service(status: number, code: string): OssServiceError {
  return new OssServiceError({
    status,
    code,
    serviceMessage: `${code} message`,
    requestId: '5C3D9175B6FC201293AD4890',
    method: 'PUT',
    url: 'http://127.0.0.1:9000/web-uploads/uploads/a.bin?partNumber=2&uploadId=U',
    operation: 'UploadPart',
    ...target,
  });
}

function failed(cause: unknown, partNumber?: number): UploadError {
  return new UploadError({ phase: 'uploading', partNumber, cause, ...target });
}

describe('describeError', () => {
  it('explains a CORS rule that hides ETag, and does not retry', () => {
    const report = describeError(failed(service(200, 'MissingResponseHeader'), 2), true);
    expect(report.kind).toBe('cors');
    expect(report.retryable).toBe(false);
    expect(report.detail).toContain('ExposeHeaders');
    expect(report.detail).toContain('ETag');
  });

  it('tells offline from other network failures', () => {
    const network = new OssNetworkError('PUT failed', { operation: 'UploadPart', ...target });
    expect(describeError(failed(network), false)).toEqual({
      kind: 'offline',
      title: 'You are offline',
      detail: 'The upload continues by itself when the connection is back.',
      retryable: true,
    });
    const online = describeError(failed(network, 3), true);
    expect(online.kind).toBe('network');
    expect(online.title).toContain('(part 3)');
    expect(online.detail).toContain('CORS');
    expect(online.retryable).toBe(true);
    const timeout = describeError(failed(new OssTimeoutError('slow', 60_000, target)), true);
    expect(timeout.kind).toBe('timeout');
    expect(timeout.retryable).toBe(true);
  });

  it('retries a busy server, not a refusal', () => {
    const busy = describeError(failed(service(503, 'ServiceUnavailable'), 2), true);
    expect(busy.kind).toBe('server');
    expect(busy.retryable).toBe(true);
    expect(busy.title).toBe('The storage service is unavailable (503 ServiceUnavailable) (part 2)');
    const denied = describeError(failed(service(403, 'AccessDenied')), true);
    expect(denied.retryable).toBe(false);
    expect(denied.code).toBe('AccessDenied');
    expect(denied.requestId).toBe('5C3D9175B6FC201293AD4890');
    expect(denied.detail).toContain('AccessDenied message');
  });

  it('explains credentials that stay expired, and a backend that cannot issue them', () => {
    const expired = describeError(failed(service(403, 'SecurityTokenExpired')), true);
    expect(expired.kind).toBe('credentials');
    expect(expired.detail).toContain('clock');
    expect(expired.retryable).toBe(false);
    const wrapped = new OssError('The credentials provider failed', {
      cause: new CredentialsFetchError(502, 'Bad gateway'),
    });
    const backend = describeError(failed(wrapped), true);
    expect(backend.kind).toBe('credentials');
    expect(backend.retryable).toBe(true);
    const unauthorised = describeError(
      failed(new OssError('x', { cause: new CredentialsFetchError(401, 'Sign in again.') })),
      true,
    );
    expect(unauthorised.retryable).toBe(false);
    expect(unauthorised.detail).toContain('Sign in again.');
  });

  it('reports what the signer refused', () => {
    const report = describeError(
      failed(
        new OssError('remote signer failed', {
          cause: new SignRefusedError(403, 'Only bucket "b".'),
        }),
      ),
      true,
    );
    expect(report).toEqual({
      kind: 'refused',
      title: 'The backend refused to sign a request',
      detail: 'Only bucket "b".',
      retryable: false,
    });
    const unreachable = new OssError('x', { cause: new SignRefusedError(0, 'unreachable') });
    expect(describeError(failed(unreachable), false).kind).toBe('offline');
  });

  it('covers integrity, storage, other tabs and files that changed', () => {
    const integrity = new OssIntegrityError({
      what: 'part-crc64',
      expected: '1',
      actual: '2',
      partNumber: 4,
      ...target,
    });
    expect(describeError(failed(integrity, 4), true).kind).toBe('integrity');
    const quota = new CheckpointStorageError('quota-exceeded', 'indexedDB', 'Storage is full.');
    expect(describeError(failed(quota), true).detail).toBe('Storage is full.');
    const locked = new CheckpointError('locked', 'locked elsewhere');
    expect(describeError(failed(locked), true).title).toBe(
      'This file is being uploaded in another tab',
    );
    const changed = new DOMException('The file could not be read.', 'NotReadableError');
    expect(describeError(failed(changed), true).kind).toBe('file');
    expect(describeError(new Error('boom'), true)).toEqual({
      kind: 'other',
      title: 'The upload failed',
      detail: 'boom',
      retryable: false,
    });
  });
});
