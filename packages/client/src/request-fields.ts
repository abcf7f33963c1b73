import { validateBucketName, validateObjectKey } from './addressing.ts';
import { OssArgumentError } from './errors.ts';
import type { ObjectSettings, ObjectTarget } from './operation-types.ts';
import { isReplayableBody, type ReplayableBody } from './replayable-body.ts';

/** Most parts in one upload; part numbers run 1..10000. */
export const MAX_PART_NUMBER = 10_000;
/** Largest part and largest PutObject body: 5 GiB. */
export const MAX_PART_BYTES = 5 * 1024 ** 3;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Header values must be visible ASCII (plus space and tab): fetch refuses other code
// units and OSS stores metadata as ASCII.
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/** Validates bucket and key of an object-level call. */
export function checkTarget(input: ObjectTarget): void {
  validateBucketName(input.bucket);
  validateObjectKey(input.key, input.bucket);
}

/** Validates a part number (integer 1..10000). */
export function checkPartNumber(
  partNumber: unknown,
  target: ObjectTarget,
): asserts partNumber is number {
  if (
    typeof partNumber !== 'number' ||
    !Number.isInteger(partNumber) ||
    partNumber < 1 ||
    partNumber > MAX_PART_NUMBER
  ) {
    throw new OssArgumentError(
      'partNumber',
      `Invalid part number ${String(partNumber)}: part numbers are whole numbers from 1 to ${MAX_PART_NUMBER}.`,
      target,
    );
  }
}

/** Validates an upload id (non-empty string). */
export function checkUploadId(uploadId: unknown, target: ObjectTarget): asserts uploadId is string {
  if (typeof uploadId !== 'string' || uploadId === '') {
    throw new OssArgumentError(
      'uploadId',
      'An uploadId is required (from initiateMultipartUpload or listUploadsForKey).',
      target,
    );
  }
}

/** Validates a body: a `Uint8Array` or a {@link ReplayableBody}, of at most 5 GiB. */
export function checkBody(
  body: unknown,
  target: ObjectTarget,
): asserts body is Uint8Array | ReplayableBody {
  if (!(body instanceof Uint8Array) && !isReplayableBody(body)) {
    throw new OssArgumentError(
      'body',
      'The body must be a Uint8Array (use new TextEncoder().encode(text) for text), or a Blob or another { size, stream() } body.',
      target,
    );
  }
  const size = body instanceof Uint8Array ? body.byteLength : body.size;
  if (size > MAX_PART_BYTES) {
    throw new OssArgumentError(
      'body',
      `The body is ${size} bytes; OSS accepts at most 5 GiB per request. Use upload() for bigger objects.`,
      target,
    );
  }
}

/** Validates a page size (1..1000). */
export function checkPageSize(
  name: string,
  value: unknown,
  context: { bucket?: string; key?: string },
): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1000) {
    throw new OssArgumentError(
      name,
      `${name} must be a whole number from 1 to 1000, got ${String(value)}.`,
      context,
    );
  }
}

/** Checks one header name and value before they reach fetch (which would throw a vaguer TypeError). */
export function checkHeader(
  name: string,
  value: string,
  context: ObjectTarget | { bucket?: string; key?: string },
): void {
  if (!TOKEN.test(name)) {
    throw new OssArgumentError('headers', `Invalid header name ${JSON.stringify(name)}.`, context);
  }
  if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
    throw new OssArgumentError(
      'headers',
      `The value of header ${name} must be printable ASCII; encode other text first (e.g. encodeURIComponent).`,
      context,
    );
  }
}

/**
 * Headers for PutObject / InitiateMultipartUpload from {@link ObjectSettings}:
 * `Content-Type` (default `application/octet-stream`), `x-oss-meta-*`, storage class, ACL,
 * forbid-overwrite, and the caller's extra headers (which win on conflicts, except that
 * the typed options are applied last so they cannot be shadowed by accident).
 */
export function settingsHeaders(
  settings: ObjectSettings,
  target: ObjectTarget,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(settings.headers ?? {})) {
    checkHeader(name, value, target);
    headers[name.toLowerCase()] = value;
  }
  headers['content-type'] =
    settings.contentType ?? headers['content-type'] ?? 'application/octet-stream';
  checkHeader('content-type', headers['content-type'], target);
  for (const [name, value] of Object.entries(settings.meta ?? {})) {
    const full = `x-oss-meta-${name.toLowerCase()}`;
    checkHeader(full, value, target);
    headers[full] = value;
  }
  if (settings.storageClass !== undefined) headers['x-oss-storage-class'] = settings.storageClass;
  if (settings.acl !== undefined) headers['x-oss-object-acl'] = settings.acl;
  if (settings.forbidOverwrite !== undefined)
    headers['x-oss-forbid-overwrite'] = String(settings.forbidOverwrite);
  return headers;
}

/** RFC 1123 date for conditional headers. */
export function httpDate(date: Date): string {
  return date.toUTCString();
}
