// What the remote-signing endpoint agrees to sign. The page is not trusted: a signature is a
// capability, so the backend derives the operation from the request itself (method, query,
// headers) instead of believing the `operation` field, and signs only the operations an
// uploader needs, on the configured bucket, under the configured key prefix.

/** The settings a sign request is checked against. */
export interface SignPolicy {
  /** The only bucket the page may write to. */
  bucket: string;
  /** Every key must start with it, e.g. `uploads/`. `''` allows any key. */
  keyPrefix: string;
  /** Region the backend signs for; the page must ask for the same. */
  region: string;
  /** Signature version the backend signs with. */
  signatureVersion: 'v1' | 'v4';
  /** V4 product. Default `oss`. */
  product?: string;
}

/** Operations an uploader needs: multipart, a single PutObject, and HeadObject to verify. */
export type SignableOperation =
  | 'InitiateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts'
  | 'PutObject'
  | 'HeadObject';

/** A request the policy accepted, ready for `createSigner(...).sign()`. */
export interface AcceptedSignRequest {
  operation: SignableOperation;
  method: string;
  bucket: string;
  key: string;
  query: Array<[string, string]>;
  headers: Record<string, string>;
}

/** The verdict on one sign request. */
export type SignDecision =
  | { ok: true; request: AcceptedSignRequest }
  | { ok: false; status: 400 | 403; message: string };

interface OperationRule {
  operation: SignableOperation;
  method: string;
  /** Query parameters that must be present. */
  required: readonly string[];
  /** Query parameters that may be present besides the required ones. */
  optional: readonly string[];
  /** Headers the request may carry (names lower-cased). */
  headers: ReadonlySet<string>;
  /** Whether `x-oss-meta-*` headers are allowed (the object's user metadata). */
  meta: boolean;
}

const OBJECT_HEADERS = [
  'content-type',
  'content-md5',
  'content-disposition',
  'content-encoding',
  'cache-control',
  'expires',
  'x-oss-forbid-overwrite',
  'x-oss-storage-class',
  'x-oss-content-sha256',
];

const RULES: readonly OperationRule[] = [
  {
    operation: 'InitiateMultipartUpload',
    method: 'POST',
    required: ['uploads'],
    optional: ['encoding-type'],
    headers: new Set(OBJECT_HEADERS),
    meta: true,
  },
  {
    operation: 'UploadPart',
    method: 'PUT',
    required: ['partNumber', 'uploadId'],
    optional: [],
    headers: new Set(['content-type', 'content-md5', 'x-oss-content-sha256']),
    meta: false,
  },
  {
    operation: 'CompleteMultipartUpload',
    method: 'POST',
    required: ['uploadId'],
    optional: ['encoding-type'],
    headers: new Set([
      'content-type',
      'content-md5',
      'x-oss-complete-all',
      'x-oss-forbid-overwrite',
      'x-oss-content-sha256',
    ]),
    meta: false,
  },
  {
    operation: 'AbortMultipartUpload',
    method: 'DELETE',
    required: ['uploadId'],
    optional: [],
    headers: new Set(['x-oss-content-sha256']),
    meta: false,
  },
  {
    operation: 'ListParts',
    method: 'GET',
    required: ['uploadId'],
    optional: ['max-parts', 'part-number-marker', 'encoding-type'],
    headers: new Set(['x-oss-content-sha256']),
    meta: false,
  },
  {
    operation: 'PutObject',
    method: 'PUT',
    required: [],
    optional: [],
    headers: new Set(OBJECT_HEADERS),
    meta: true,
  },
  {
    operation: 'HeadObject',
    method: 'HEAD',
    required: [],
    optional: [],
    headers: new Set(['x-oss-content-sha256']),
    meta: false,
  },
];

const MAX_KEY_BYTES = 1023;
/** Harmless on any request: a Node or Deno client names itself (browsers send none). */
const ANY_OPERATION_HEADERS: ReadonlySet<string> = new Set(['user-agent']);

function refuse(message: string): SignDecision {
  return { ok: false, status: 403, message };
}

function invalid(message: string): SignDecision {
  return { ok: false, status: 400, message };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readQuery(value: unknown): Array<[string, string]> | undefined {
  if (!Array.isArray(value)) return undefined;
  const pairs: Array<[string, string]> = [];
  for (const pair of value) {
    if (!Array.isArray(pair) || pair.length !== 2) return undefined;
    const [name, v] = pair;
    if (typeof name !== 'string' || typeof v !== 'string') return undefined;
    pairs.push([name, v]);
  }
  return pairs;
}

function readHeaders(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const headers: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== 'string') return undefined;
    headers[name.toLowerCase()] = v;
  }
  return headers;
}

function matchRule(method: string, names: ReadonlySet<string>): OperationRule | undefined {
  return RULES.find(
    (rule) =>
      rule.method === method &&
      rule.required.every((n) => names.has(n)) &&
      [...names].every((n) => rule.required.includes(n) || rule.optional.includes(n)),
  );
}

/**
 * Decides whether the backend signs `input` (the JSON body the page posted, a
 * `RemoteSignRequest` of `@ossup/client`). Accepts only the uploader's operations on
 * `policy.bucket` under `policy.keyPrefix`, with the expected headers; everything else
 * (another bucket, a delete, a copy from another object, an ACL change, a listing of the
 * bucket) is refused with a message that says why.
 */
export function checkSignRequest(input: unknown, policy: SignPolicy): SignDecision {
  if (!isRecord(input)) return invalid('The body must be a JSON object describing one request.');
  const method = typeof input['method'] === 'string' ? input['method'].toUpperCase() : undefined;
  const query = readQuery(input['query']);
  const headers = readHeaders(input['headers']);
  if (method === undefined || query === undefined || headers === undefined) {
    return invalid('method, query ([name, value] pairs) and headers (strings) are required.');
  }
  if (input['signatureVersion'] !== policy.signatureVersion) {
    return invalid(
      `This backend signs with ${policy.signatureVersion}; configure the client with signatureVersion '${policy.signatureVersion}'.`,
    );
  }
  if (input['region'] !== policy.region) {
    return invalid(`This backend signs for region ${policy.region}.`);
  }
  if (input['product'] !== undefined && input['product'] !== (policy.product ?? 'oss')) {
    return invalid(`This backend signs for product ${policy.product ?? 'oss'}.`);
  }
  const bucket = input['bucket'];
  if (bucket !== policy.bucket) {
    return refuse(`Only bucket "${policy.bucket}" may be written from this page.`);
  }
  const key = input['key'];
  if (typeof key !== 'string' || key === '') {
    return refuse('Only object operations are signed (bucket listings and settings are not).');
  }
  if (!key.startsWith(policy.keyPrefix)) {
    return refuse(`Object keys must start with "${policy.keyPrefix}".`);
  }
  if (new TextEncoder().encode(key).length > MAX_KEY_BYTES) {
    return invalid(`Object keys are at most ${MAX_KEY_BYTES} bytes.`);
  }
  const names = new Set(query.map(([n]) => n));
  if (names.size !== query.length) return invalid('A query parameter is repeated.');
  const rule = matchRule(method, names);
  if (rule === undefined) {
    return refuse(
      `${method} with query [${[...names].join(', ')}] is not an upload operation; only ${RULES.map((r) => r.operation).join(', ')} are signed.`,
    );
  }
  for (const name of Object.keys(headers)) {
    if (ANY_OPERATION_HEADERS.has(name)) continue;
    if (rule.meta && name.startsWith('x-oss-meta-')) continue;
    if (!rule.headers.has(name)) {
      return refuse(`Header ${name} is not allowed on ${rule.operation}.`);
    }
  }
  if (input['operation'] !== rule.operation) {
    return invalid(`This request is ${rule.operation}, not ${String(input['operation'])}.`);
  }
  const value = (name: string) => query.find(([n]) => n === name)?.[1];
  if (rule.operation === 'InitiateMultipartUpload' && value('uploads') !== '') {
    return invalid('uploads is a bare parameter.');
  }
  const partNumber = value('partNumber');
  if (partNumber !== undefined && !/^(?:[1-9]\d{0,3}|10000)$/.test(partNumber)) {
    return invalid('partNumber must be 1 to 10000.');
  }
  const uploadId = value('uploadId');
  if (uploadId !== undefined && !/^[\w.-]{1,256}$/.test(uploadId)) {
    return invalid('uploadId is malformed.');
  }
  const encoding = value('encoding-type');
  if (encoding !== undefined && encoding !== 'url') {
    return invalid('encoding-type must be url.');
  }
  const sha = headers['x-oss-content-sha256'];
  if (sha !== undefined && sha !== 'UNSIGNED-PAYLOAD') {
    return invalid('x-oss-content-sha256 must be UNSIGNED-PAYLOAD.');
  }
  return {
    ok: true,
    request: { operation: rule.operation, method, bucket: policy.bucket, key, query, headers },
  };
}
