import { child, requiredText } from './fields.ts';
import { DEFAULT_MAX_ERROR_BYTES, type XmlParseOptions } from './limits.ts';
import { readDocument, type XmlElement } from './read-document.ts';
import { XmlProtocolError } from './xml-protocol-error.ts';
import { xmlTrim } from './xml-text.ts';
import { XmlWriter } from './xml-writer.ts';

const ROOT = 'Error';

/**
 * An OSS error document (`<Error>…</Error>`), protocol §4.0. `Code`, `Message`, `RequestId`
 * and `HostId` are always sent; the rest depend on the error.
 *
 * ```xml
 * <Error>
 *   <Code>NoSuchUpload</Code>
 *   <Message>The specified upload does not exist. …</Message>
 *   <RequestId>63E37239D9A902383982A9EC</RequestId>
 *   <HostId>examplebucket.oss-cn-hangzhou.aliyuncs.com</HostId>
 *   <UploadId>00358B75E5C546AF822369CE04A48A14</UploadId>
 *   <EC>0042-00000104</EC>
 * </Error>
 * ```
 *
 * Values are trimmed of surrounding XML whitespace (old OSS docs show padded values), except
 * `stringToSign`, whose whitespace is significant.
 *
 * Careful: `signatureProvided`, `stringToSign` and `stringToSignBytes` echo what the caller
 * signed. Never copy them into error messages or logs; keep them for a debugging aid the
 * user opts into.
 */
export interface OssErrorDocument {
  /** `<Code>`, e.g. `NoSuchUpload`. Required. */
  code: string;
  /** `<Message>`; `''` if absent. */
  message: string;
  /** `<RequestId>`; `''` if absent (fall back to the `x-oss-request-id` header). */
  requestId: string;
  /** `<HostId>`, the host the client used; `''` if absent. */
  hostId: string;
  /** `<EC>`, the error-centre code such as `0042-00000104` (also in header `x-oss-ec`). */
  ec?: string;
  /** `<RecommendDoc>`, a troubleshooting URL. */
  recommendDoc?: string;
  /** `<BucketName>` (NoSuchBucket, BucketNotEmpty). */
  bucketName?: string;
  /** `<Key>` (NoSuchKey). */
  key?: string;
  /** `<UploadId>` (NoSuchUpload). */
  uploadId?: string;
  /** `<ArgumentName>` (InvalidArgument). */
  argumentName?: string;
  /** `<ArgumentValue>` (InvalidArgument). */
  argumentValue?: string;
  /** `<OSSAccessKeyId>` (InvalidAccessKeyId, SignatureDoesNotMatch). */
  ossAccessKeyId?: string;
  /** `<SignatureProvided>` (SignatureDoesNotMatch). Do not log. */
  signatureProvided?: string;
  /** `<StringToSign>` (SignatureDoesNotMatch), whitespace kept. Do not log. */
  stringToSign?: string;
  /** `<StringToSignBytes>` (SignatureDoesNotMatch), space-separated hex. Do not log. */
  stringToSignBytes?: string;
  /**
   * Every other child, by element name, with its trimmed text (`ErrorDetail`, …). A nested
   * child is flattened with dots: `<AccessDeniedDetail><AuthAction>` becomes key
   * `AccessDeniedDetail.AuthAction`. First occurrence wins; `__proto__`, `constructor` and
   * `prototype` are dropped. Builders write each entry as a
   * leaf element named by its key (so a dotted key does not rebuild the nesting).
   */
  extra: Record<string, string>;
}

// Typed fields in the order the builder writes them, between HostId and EC (the order seen
// in real responses: specific details, then EC, then RecommendDoc).
const TYPED_FIELDS = [
  ['BucketName', 'bucketName'],
  ['Key', 'key'],
  ['UploadId', 'uploadId'],
  ['ArgumentName', 'argumentName'],
  ['ArgumentValue', 'argumentValue'],
  ['OSSAccessKeyId', 'ossAccessKeyId'],
  ['SignatureProvided', 'signatureProvided'],
  ['StringToSign', 'stringToSign'],
  ['StringToSignBytes', 'stringToSignBytes'],
  ['EC', 'ec'],
  ['RecommendDoc', 'recommendDoc'],
] as const;

type OptionalField = (typeof TYPED_FIELDS)[number][1];

const KNOWN = new Set<string>([
  'Code',
  'Message',
  'RequestId',
  'HostId',
  ...TYPED_FIELDS.map(([name]) => name),
]);

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

// An XML Name as used by OSS (ASCII subset; enough to refuse anything that would break the
// document). Extra keys must match it to be written.
const ELEMENT_NAME = /^[A-Za-z_][A-Za-z0-9._-]{0,199}$/;

function collectExtra(
  element: XmlElement,
  prefix: string,
  extra: Record<string, string>,
  depth: number,
): void {
  for (const item of element.children) {
    // Names that are special on plain objects never become keys, so that code merging or
    // walking `extra` cannot be steered through them.
    if (UNSAFE_KEYS.has(item.name)) continue;
    if (prefix === '' && KNOWN.has(item.name)) continue;
    const key = prefix === '' ? item.name : `${prefix}.${item.name}`;
    if (item.children.length > 0 && depth < 8) {
      collectExtra(item, key, extra, depth + 1);
    } else if (!Object.hasOwn(extra, key)) {
      extra[key] = xmlTrim(item.text);
    }
  }
}

function toDocument(root: XmlElement): OssErrorDocument {
  const code = requiredText(root, ROOT, 'Code');
  const text = (name: string) => {
    const element = child(root, name);
    return element === undefined ? '' : xmlTrim(element.text);
  };
  const doc: OssErrorDocument = {
    code,
    message: text('Message'),
    requestId: text('RequestId'),
    hostId: text('HostId'),
    extra: {},
  };
  for (const [name, field] of TYPED_FIELDS) {
    const element = child(root, name);
    if (element !== undefined) {
      doc[field] = field === 'stringToSign' ? element.text : xmlTrim(element.text);
    }
  }
  collectExtra(root, '', doc.extra, 1);
  return doc;
}

/**
 * Parses an OSS `<Error>` document strictly. Most callers want the lenient
 * {@link parseOssErrorBody} instead; this one is for tests and for code that must know why
 * a body is not an error document.
 *
 * @param xml - the response body, decoded as UTF-8
 * @param options - limits; `maxBytes` defaults to {@link DEFAULT_MAX_ERROR_BYTES} (1 MiB)
 * @throws XmlProtocolError - `'missing-element'` without `<Code>`, plus the kinds every
 *   parser throws for a bad body
 */
export function parseOssError(xml: string, options?: XmlParseOptions): OssErrorDocument {
  const root = readDocument(xml, [ROOT], {
    ...options,
    maxBytes: options?.maxBytes ?? DEFAULT_MAX_ERROR_BYTES,
  });
  return toDocument(root);
}

/**
 * Reads an error response body for the client's error mapping: the parsed document when the
 * body is an OSS `<Error>` document with a `<Code>`, otherwise `undefined`. It never throws:
 * an HTML page from a proxy, an empty body (HEAD), JSON, a truncated or oversized body all
 * give `undefined`, and the caller falls back to the HTTP status and headers.
 *
 * ```ts
 * const doc = parseOssErrorBody(await response.text());
 * const code = doc?.code ?? `HTTP${response.status}`;
 * ```
 *
 * @param xml - the response body, decoded as UTF-8 (anything else gives `undefined`)
 * @param options - limits; `maxBytes` defaults to {@link DEFAULT_MAX_ERROR_BYTES} (1 MiB)
 */
export function parseOssErrorBody(
  xml: unknown,
  options?: XmlParseOptions,
): OssErrorDocument | undefined {
  if (typeof xml !== 'string') return undefined;
  try {
    return parseOssError(xml, options);
  } catch (error) {
    if (error instanceof XmlProtocolError) return undefined;
    throw error;
  }
}

/**
 * Builds an OSS `<Error>` document: Code, Message, RequestId, HostId, then BucketName, Key,
 * UploadId, ArgumentName, ArgumentValue, OSSAccessKeyId, SignatureProvided, StringToSign,
 * StringToSignBytes (each if set), the `extra` entries in insertion order, then EC and
 * RecommendDoc.
 *
 * Unlike the other builders it never refuses a value: a server must always be able to
 * report an error, even one about a key with control characters, so characters XML 1.0
 * cannot carry are replaced with U+FFFD. Extra keys that are not XML element names are
 * skipped.
 */
export function buildOssError(doc: OssErrorDocument): string {
  const writer = new XmlWriter(ROOT, { lenient: true })
    .text('Code', doc.code)
    .text('Message', doc.message)
    .text('RequestId', doc.requestId)
    .text('HostId', doc.hostId);
  const write = (name: string, value: string | undefined) => {
    if (typeof value === 'string') writer.text(name, value);
  };
  for (const [name, field] of TYPED_FIELDS) {
    if (field === 'ec' || field === 'recommendDoc') continue;
    write(name, doc[field as OptionalField]);
  }
  for (const [name, value] of Object.entries(doc.extra ?? {})) {
    if (ELEMENT_NAME.test(name) && !KNOWN.has(name) && !name.toLowerCase().startsWith('xml')) {
      write(name, value);
    }
  }
  write('EC', doc.ec);
  write('RecommendDoc', doc.recommendDoc);
  return writer.finish();
}
