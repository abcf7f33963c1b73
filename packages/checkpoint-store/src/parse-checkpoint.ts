import {
  CHECKPOINT_KIND,
  CHECKPOINT_VERSION,
  type Checkpoint,
  type CheckpointPart,
} from './checkpoint.ts';
import { CheckpointError } from './checkpoint-error.ts';

const MAX_PARTS = 10_000;
const DECIMAL_U64 = /^(0|[1-9][0-9]{0,19})$/;
const U64_MAX = 18446744073709551615n;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(where: string, what: string, id: string | undefined): never {
  throw new CheckpointError(
    'corrupt',
    `Checkpoint${id ? ` ${id}` : ''} is corrupt: ${where} ${what}. Delete it to start the upload afresh.`,
    { checkpointId: id },
  );
}

function str(
  o: Json,
  field: string,
  where: string,
  id: string | undefined,
  allowEmpty = false,
): string {
  const v = o[field];
  if (typeof v !== 'string' || (!allowEmpty && v.length === 0))
    fail(`${where}${field}`, 'must be a non-empty string', id);
  return v;
}

function int(o: Json, field: string, where: string, id: string | undefined, min: number): number {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
    fail(`${where}${field}`, `must be an integer >= ${min}`, id);
  }
  return v;
}

function isoDate(o: Json, field: string, id: string | undefined): string {
  const v = str(o, field, '', id);
  if (Number.isNaN(Date.parse(v))) fail(field, 'must be an ISO-8601 date', id);
  return v;
}

function parsePart(raw: unknown, index: number, id: string | undefined): CheckpointPart {
  const where = `parts[${index}].`;
  if (!isObject(raw)) fail(`parts[${index}]`, 'must be an object', id);
  const part: CheckpointPart = {
    partNumber: int(raw, 'partNumber', where, id, 1),
    etag: str(raw, 'etag', where, id),
    size: int(raw, 'size', where, id, 0),
  };
  if (part.partNumber > MAX_PARTS) fail(`${where}partNumber`, `must be at most ${MAX_PARTS}`, id);
  if (raw.crc64 !== undefined) {
    const crc = raw.crc64;
    if (typeof crc !== 'string' || !DECIMAL_U64.test(crc) || BigInt(crc) > U64_MAX) {
      fail(`${where}crc64`, 'must be an unsigned 64-bit decimal string', id);
    }
    part.crc64 = crc;
  }
  return part;
}

/**
 * Validates a checkpoint read from storage and returns a clean copy holding only the known
 * fields, so nothing unexpected (least of all a secret somebody put there) travels further.
 *
 * @param input - the parsed JSON value, or the raw JSON text.
 * @param expectedId - when given, the checkpoint's own id must match it.
 * @throws {@link CheckpointError} with kind `corrupt`, `foreign` or `future-version`.
 */
export function parseCheckpoint(input: unknown, expectedId?: string): Checkpoint {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (cause) {
      throw new CheckpointError(
        'corrupt',
        `Checkpoint${expectedId ? ` ${expectedId}` : ''} is not valid JSON (truncated write or edited by hand). Delete it to start the upload afresh.`,
        { checkpointId: expectedId, cause },
      );
    }
  }
  if (!isObject(value) || value.kind !== CHECKPOINT_KIND) {
    throw new CheckpointError(
      'foreign',
      `Entry${expectedId ? ` ${expectedId}` : ''} is not an ossup checkpoint (no "kind": "${CHECKPOINT_KIND}"). Remove it or point the checkpoint store at a directory of its own.`,
      { checkpointId: expectedId },
    );
  }
  const version = value.version;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    fail('version', 'must be a positive integer', expectedId);
  }
  if (version > CHECKPOINT_VERSION) {
    throw new CheckpointError(
      'future-version',
      `Checkpoint${expectedId ? ` ${expectedId}` : ''} has schema version ${version}, newer than this ossup understands (${CHECKPOINT_VERSION}). Upgrade ossup to resume it, or delete it to start afresh.`,
      { checkpointId: expectedId },
    );
  }
  const id = str(value, 'id', '', expectedId);
  if (expectedId !== undefined && id !== expectedId) {
    fail('id', `is "${id}" but the entry is stored as "${expectedId}"`, expectedId);
  }
  const target = value.target;
  if (!isObject(target)) fail('target', 'must be an object', id);
  const source = value.source;
  if (!isObject(source)) fail('source', 'must be an object', id);
  if (!Array.isArray(value.parts)) fail('parts', 'must be an array', id);
  if (value.parts.length > MAX_PARTS) fail('parts', `must hold at most ${MAX_PARTS} entries`, id);
  const parts = value.parts.map((p, i) => parsePart(p, i, id));
  for (let i = 1; i < parts.length; i++) {
    if (parts[i]!.partNumber <= parts[i - 1]!.partNumber) {
      fail('parts', 'must be sorted by part number without duplicates', id);
    }
  }
  return {
    version,
    id,
    uploadId: str(value, 'uploadId', '', id),
    target: {
      endpoint: str(target, 'endpoint', 'target.', id),
      bucket: str(target, 'bucket', 'target.', id),
      key: str(target, 'key', 'target.', id),
    },
    source: {
      fingerprint: str(source, 'fingerprint', 'source.', id),
      ...(source['identity'] === undefined
        ? {}
        : { identity: str(source, 'identity', 'source.', id) }),
      size: int(source, 'size', 'source.', id, 0),
    },
    partSize: int(value, 'partSize', '', id, 1),
    parts,
    createdAt: isoDate(value, 'createdAt', id),
    updatedAt: isoDate(value, 'updatedAt', id),
  };
}

/**
 * Serialises a checkpoint to JSON text with the `kind` marker, after validating it, so a
 * store never writes something {@link parseCheckpoint} would refuse.
 */
export function serializeCheckpoint(checkpoint: Checkpoint): string {
  const clean = parseCheckpoint({ ...checkpoint, kind: CHECKPOINT_KIND }, checkpoint.id);
  return JSON.stringify({ kind: CHECKPOINT_KIND, ...clean });
}
