import {
  booleanOrFalse,
  childrenNamed,
  encodingTypeOf,
  nameField,
  optionalInteger,
  optionalOwner,
  optionalText,
  optionalU64,
  requiredEtag,
  requiredInteger,
  textOrEmpty,
} from './fields.ts';
import type { XmlParseOptions } from './limits.ts';
import { OssXmlWriter } from './oss-xml-writer.ts';
import { readDocument } from './read-document.ts';
import type { EncodingType, OssOwner } from './types.ts';

const ROOT = 'ListPartsResult';

/** One `<Part>` of a ListParts page. */
export interface ListedPart {
  /** `<PartNumber>`. Required. */
  partNumber: number;
  /** `<LastModified>`, the ISO 8601 string as sent; `''` if absent. */
  lastModified: string;
  /** `<ETag>`, bare (no quotes). Required. */
  etag: string;
  /** `<HashCrc64ecma>` (spelled so by OSS), the part's CRC-64/XZ as a bigint; absent on old responses. */
  hashCrc64ecma?: bigint;
  /** `<Size>` in bytes. Required. */
  size: number;
}

/**
 * Body of a ListParts page (`GET /<key>?uploadId=…`), protocol §4.6.
 *
 * ```xml
 * <ListPartsResult>
 *   <EncodingType>url</EncodingType>   <!-- only if requested -->
 *   <Bucket>bucket</Bucket>
 *   <Key>demo%2Fgp-%0C%0A%0B</Key>
 *   <UploadId>D4E111D4EA834F3ABCE4877B2779****</UploadId>
 *   <StorageClass>Standard</StorageClass>
 *   <PartNumberMarker>0</PartNumberMarker>
 *   <NextPartNumberMarker>1</NextPartNumberMarker>
 *   <MaxParts>1000</MaxParts>
 *   <IsTruncated>false</IsTruncated>
 *   <Part>…</Part>
 * </ListPartsResult>
 * ```
 */
export interface ListPartsResult {
  /** Set when the body carried `<EncodingType>url</EncodingType>`; `key` is already decoded. */
  encodingType?: EncodingType;
  /** `<Bucket>`; `''` if absent. */
  bucket: string;
  /** `<Key>`, verbatim (decoded under `encodingType: 'url'`); `''` if absent. */
  key: string;
  /** `<UploadId>`; `''` if absent. */
  uploadId: string;
  /** `<Initiator>` of older responses. */
  initiator?: OssOwner;
  /** `<Owner>` of older responses. */
  owner?: OssOwner;
  /** `<StorageClass>`, e.g. `Standard`. */
  storageClass?: string;
  /** `<PartNumberMarker>`; undefined when absent or empty. */
  partNumberMarker?: number;
  /**
   * `<NextPartNumberMarker>`: the number of the last part returned, even when not truncated;
   * undefined when absent or empty (a page with no parts). Feed it back as
   * `part-number-marker` while `isTruncated`.
   */
  nextPartNumberMarker?: number;
  /** `<MaxParts>`; undefined when absent. */
  maxParts?: number;
  /** `<IsTruncated>`; absent reads as false. */
  isTruncated: boolean;
  /** The `<Part>` elements, in document order (OSS sends them ascending). */
  parts: ListedPart[];
}

/**
 * Parses a ListParts response body.
 *
 * @param xml - the response body, decoded as UTF-8
 * @param options - size and depth limits (default 20 MiB, depth 32)
 * @throws XmlProtocolError - `'missing-element'` for a `<Part>` without `<PartNumber>`,
 *   `<ETag>` or `<Size>`; `'invalid-value'` for a number that is not a non-negative safe
 *   integer or a CRC-64 over 2^64-1; plus the kinds every parser throws for a bad body
 */
export function parseListPartsResult(xml: string, options?: XmlParseOptions): ListPartsResult {
  const root = readDocument(xml, [ROOT], options);
  const encodingType = encodingTypeOf(root, ROOT);
  const partPath = `${ROOT}/Part`;
  const result: ListPartsResult = {
    bucket: textOrEmpty(root, 'Bucket'),
    key: nameField(root, ROOT, 'Key', encodingType) ?? '',
    uploadId: textOrEmpty(root, 'UploadId'),
    isTruncated: booleanOrFalse(root, ROOT, 'IsTruncated'),
    parts: childrenNamed(root, 'Part').map((part) => {
      const listed: ListedPart = {
        partNumber: requiredInteger(part, partPath, 'PartNumber'),
        lastModified: textOrEmpty(part, 'LastModified'),
        etag: requiredEtag(part, partPath),
        size: requiredInteger(part, partPath, 'Size'),
      };
      const crc = optionalU64(part, partPath, 'HashCrc64ecma');
      if (crc !== undefined) listed.hashCrc64ecma = crc;
      return listed;
    }),
  };
  if (encodingType !== undefined) result.encodingType = encodingType;
  const initiator = optionalOwner(root, 'Initiator');
  if (initiator !== undefined) result.initiator = initiator;
  const owner = optionalOwner(root, 'Owner');
  if (owner !== undefined) result.owner = owner;
  const storageClass = optionalText(root, 'StorageClass');
  if (storageClass !== undefined) result.storageClass = storageClass;
  const partNumberMarker = optionalInteger(root, ROOT, 'PartNumberMarker');
  if (partNumberMarker !== undefined) result.partNumberMarker = partNumberMarker;
  const nextPartNumberMarker = optionalInteger(root, ROOT, 'NextPartNumberMarker');
  if (nextPartNumberMarker !== undefined) result.nextPartNumberMarker = nextPartNumberMarker;
  const maxParts = optionalInteger(root, ROOT, 'MaxParts');
  if (maxParts !== undefined) result.maxParts = maxParts;
  return result;
}

/**
 * Builds a ListParts response body in the element order of §4.6: EncodingType (if asked),
 * Bucket, Key, UploadId, Initiator/Owner (if given), StorageClass (if given),
 * PartNumberMarker and NextPartNumberMarker (empty elements when undefined), MaxParts (if
 * given), IsTruncated, then each Part (PartNumber, LastModified, quoted ETag,
 * HashCrc64ecma if given, Size).
 *
 * @throws XmlProtocolError - `'needs-url-encoding'` if the key holds a character XML 1.0
 *   cannot carry and `encodingType` is not `'url'`; `'invalid-value'` for a malformed value
 */
export function buildListPartsResult(result: ListPartsResult): string {
  const writer = new OssXmlWriter(ROOT)
    .encodingType(result.encodingType)
    .text('Bucket', result.bucket)
    .name('Key', result.key, result.encodingType)
    .text('UploadId', result.uploadId)
    .owner('Initiator', result.initiator)
    .owner('Owner', result.owner)
    .optionalText('StorageClass', result.storageClass)
    .optionalInteger('PartNumberMarker', result.partNumberMarker, true)
    .optionalInteger('NextPartNumberMarker', result.nextPartNumberMarker, true)
    .optionalInteger('MaxParts', result.maxParts)
    .boolean('IsTruncated', result.isTruncated);
  for (const part of result.parts) {
    writer
      .open('Part')
      .integer('PartNumber', part.partNumber)
      .text('LastModified', part.lastModified)
      .etag('ETag', part.etag);
    if (part.hashCrc64ecma !== undefined) writer.u64('HashCrc64ecma', part.hashCrc64ecma);
    writer.integer('Size', part.size).close();
  }
  return writer.finish();
}
