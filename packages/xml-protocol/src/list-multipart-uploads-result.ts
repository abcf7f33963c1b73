import { readCommonPrefixes, writeCommonPrefixes } from './common-prefixes.ts';
import {
  booleanOrFalse,
  childrenNamed,
  encodingTypeOf,
  nameField,
  optionalInteger,
  optionalOwner,
  optionalText,
  requiredNameField,
  requiredText,
  textOrEmpty,
} from './fields.ts';
import type { XmlParseOptions } from './limits.ts';
import { OssXmlWriter } from './oss-xml-writer.ts';
import { readDocument } from './read-document.ts';
import type { EncodingType, OssOwner } from './types.ts';

const ROOT = 'ListMultipartUploadsResult';

/** One `<Upload>` of a ListMultipartUploads page. */
export interface MultipartUploadSummary {
  /** `<Key>`, verbatim (decoded under `encodingType: 'url'`). Required. */
  key: string;
  /** `<UploadId>`. Required. */
  uploadId: string;
  /** `<StorageClass>`, e.g. `Standard`. */
  storageClass?: string;
  /** `<Initiated>`, the ISO 8601 string as sent; `''` if absent. */
  initiated: string;
  /** `<Initiator>` of older responses. */
  initiator?: OssOwner;
  /** `<Owner>` of older responses. */
  owner?: OssOwner;
}

/**
 * Body of a ListMultipartUploads page (`GET /?uploads`), protocol §4.7.
 *
 * Under `encoding-type=url` the service encodes `KeyMarker`, `NextKeyMarker`, `Prefix`,
 * `Delimiter`, each `Upload/Key` and each `CommonPrefixes/Prefix`; the upload-id markers are
 * not encoded. Parsed values are always decoded.
 */
export interface ListMultipartUploadsResult {
  /** Set when the body carried `<EncodingType>url</EncodingType>`; names are already decoded. */
  encodingType?: EncodingType;
  /** `<Bucket>`; `''` if absent. */
  bucket: string;
  /** `<KeyMarker>`; `''` when absent or empty. */
  keyMarker: string;
  /** `<UploadIdMarker>`; `''` when absent or empty. */
  uploadIdMarker: string;
  /** `<NextKeyMarker>`: key of the last upload returned; `''` when nothing was returned. */
  nextKeyMarker: string;
  /** `<NextUploadIdMarker>`: id of the last upload returned; `''` when nothing was returned. */
  nextUploadIdMarker: string;
  /** `<Delimiter>`; `''` when absent or empty. */
  delimiter: string;
  /** `<Prefix>`; `''` when absent or empty. */
  prefix: string;
  /** `<MaxUploads>`; undefined when absent. */
  maxUploads?: number;
  /** `<IsTruncated>`; absent reads as false. */
  isTruncated: boolean;
  /** The `<Upload>` elements in document order. */
  uploads: MultipartUploadSummary[];
  /** Every `<CommonPrefixes><Prefix>` value, in document order. */
  commonPrefixes: string[];
}

/**
 * Parses a ListMultipartUploads response body.
 *
 * @param xml - the response body, decoded as UTF-8
 * @param options - size and depth limits (default 20 MiB, depth 32)
 * @throws XmlProtocolError - `'missing-element'` for an `<Upload>` without `<Key>` or
 *   `<UploadId>`; `'invalid-value'` for a bad number or percent-escape; plus the kinds every
 *   parser throws for a bad body
 */
export function parseListMultipartUploadsResult(
  xml: string,
  options?: XmlParseOptions,
): ListMultipartUploadsResult {
  const root = readDocument(xml, [ROOT], options);
  const encodingType = encodingTypeOf(root, ROOT);
  const uploadPath = `${ROOT}/Upload`;
  const result: ListMultipartUploadsResult = {
    bucket: textOrEmpty(root, 'Bucket'),
    keyMarker: nameField(root, ROOT, 'KeyMarker', encodingType) ?? '',
    uploadIdMarker: textOrEmpty(root, 'UploadIdMarker'),
    nextKeyMarker: nameField(root, ROOT, 'NextKeyMarker', encodingType) ?? '',
    nextUploadIdMarker: textOrEmpty(root, 'NextUploadIdMarker'),
    delimiter: nameField(root, ROOT, 'Delimiter', encodingType) ?? '',
    prefix: nameField(root, ROOT, 'Prefix', encodingType) ?? '',
    isTruncated: booleanOrFalse(root, ROOT, 'IsTruncated'),
    uploads: childrenNamed(root, 'Upload').map((upload) => {
      const summary: MultipartUploadSummary = {
        key: requiredNameField(upload, uploadPath, 'Key', encodingType),
        uploadId: requiredText(upload, uploadPath, 'UploadId'),
        initiated: textOrEmpty(upload, 'Initiated'),
      };
      const storageClass = optionalText(upload, 'StorageClass');
      if (storageClass !== undefined) summary.storageClass = storageClass;
      const initiator = optionalOwner(upload, 'Initiator');
      if (initiator !== undefined) summary.initiator = initiator;
      const owner = optionalOwner(upload, 'Owner');
      if (owner !== undefined) summary.owner = owner;
      return summary;
    }),
    commonPrefixes: readCommonPrefixes(root, ROOT, encodingType),
  };
  if (encodingType !== undefined) result.encodingType = encodingType;
  const maxUploads = optionalInteger(root, ROOT, 'MaxUploads');
  if (maxUploads !== undefined) result.maxUploads = maxUploads;
  return result;
}

/**
 * Builds a ListMultipartUploads response body in the element order of §4.7: EncodingType (if
 * asked), Bucket, KeyMarker, UploadIdMarker, NextKeyMarker, NextUploadIdMarker, Delimiter,
 * Prefix, MaxUploads (if given), IsTruncated, each Upload (Key, UploadId, StorageClass if
 * given, Initiated, Initiator/Owner if given), then one CommonPrefixes per prefix (after the
 * uploads; the position is UNVERIFIED, parsers do not care).
 *
 * @throws XmlProtocolError - `'needs-url-encoding'` if a key, marker, prefix or delimiter
 *   holds a character XML 1.0 cannot carry and `encodingType` is not `'url'`;
 *   `'invalid-value'` for a malformed value
 */
export function buildListMultipartUploadsResult(result: ListMultipartUploadsResult): string {
  const encodingType = result.encodingType;
  const writer = new OssXmlWriter(ROOT)
    .encodingType(encodingType)
    .text('Bucket', result.bucket)
    .name('KeyMarker', result.keyMarker, encodingType)
    .text('UploadIdMarker', result.uploadIdMarker)
    .name('NextKeyMarker', result.nextKeyMarker, encodingType)
    .text('NextUploadIdMarker', result.nextUploadIdMarker)
    .name('Delimiter', result.delimiter, encodingType)
    .name('Prefix', result.prefix, encodingType)
    .optionalInteger('MaxUploads', result.maxUploads)
    .boolean('IsTruncated', result.isTruncated);
  for (const upload of result.uploads) {
    writer
      .open('Upload')
      .name('Key', upload.key, encodingType)
      .text('UploadId', upload.uploadId)
      .optionalText('StorageClass', upload.storageClass)
      .text('Initiated', upload.initiated)
      .owner('Initiator', upload.initiator)
      .owner('Owner', upload.owner)
      .close();
  }
  writeCommonPrefixes(writer, result.commonPrefixes, encodingType);
  return writer.finish();
}
