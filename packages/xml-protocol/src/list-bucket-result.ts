import { readCommonPrefixes, writeCommonPrefixes } from './common-prefixes.ts';
import {
  booleanOrFalse,
  child,
  childrenNamed,
  encodingTypeOf,
  etagOrEmpty,
  nameField,
  optionalInteger,
  optionalOwner,
  optionalText,
  requiredInteger,
  requiredNameField,
  textOrEmpty,
} from './fields.ts';
import type { XmlParseOptions } from './limits.ts';
import { OssXmlWriter } from './oss-xml-writer.ts';
import { readDocument } from './read-document.ts';
import type { EncodingType, OssOwner } from './types.ts';

const ROOT = 'ListBucketResult';

/** One `<Contents>` entry of a GetBucket (ListObjects) page. */
export interface ObjectSummary {
  /** `<Key>`, verbatim (decoded under `encodingType: 'url'`). Required. */
  key: string;
  /** `<LastModified>`, the ISO 8601 string as sent; `''` if absent. */
  lastModified: string;
  /** `<ETag>`, bare (no quotes); `''` if absent. */
  etag: string;
  /** `<Type>`: `Normal`, `Multipart`, `Appendable` or `Symlink`. */
  type?: string;
  /** `<Size>` in bytes. Required. */
  size: number;
  /** `<StorageClass>`, e.g. `Standard`. */
  storageClass?: string;
  /** `<Owner>` (ListObjectsV2 only with `fetch-owner=true`). */
  owner?: OssOwner;
  /** `<RestoreInfo>` of archived objects. */
  restoreInfo?: string;
}

/** Fields common to both versions of ListBucketResult. */
export interface ListBucketResultCommon {
  /** Set when the body carried `<EncodingType>url</EncodingType>`; names are already decoded. */
  encodingType?: EncodingType;
  /** `<Name>`, the bucket; `''` if absent. */
  name: string;
  /** `<Prefix>`; `''` when absent or empty. */
  prefix: string;
  /** `<MaxKeys>`; undefined when absent. */
  maxKeys?: number;
  /** `<Delimiter>`; `''` when absent or empty (the builder then omits it). */
  delimiter: string;
  /** `<IsTruncated>`; absent reads as false. */
  isTruncated: boolean;
  /** The `<Contents>` entries, in document order. */
  contents: ObjectSummary[];
  /** Every `<CommonPrefixes><Prefix>` value, in document order. */
  commonPrefixes: string[];
}

/**
 * GetBucket / ListObjects (v1) page: `GET /` without `list-type`. Element order:
 * Name, Prefix, Marker, MaxKeys, Delimiter, EncodingType, IsTruncated, NextMarker, Contents…,
 * CommonPrefixes…. Under `encoding-type=url`, Prefix, Marker, Delimiter, NextMarker, Key and
 * CommonPrefixes/Prefix are encoded.
 */
export interface ListObjectsV1Result extends ListBucketResultCommon {
  /** Discriminant: a v1 listing. */
  listType: 1;
  /** `<Marker>`; `''` when absent or empty. */
  marker: string;
  /** `<NextMarker>`, present when truncated: pass it as `marker` for the next page. */
  nextMarker?: string;
}

/**
 * GetBucketV2 / ListObjectsV2 page: `GET /?list-type=2`. Element order (from the OSS docs):
 * Name, Prefix, StartAfter, ContinuationToken, MaxKeys, Delimiter, EncodingType,
 * IsTruncated, NextContinuationToken, Contents…, CommonPrefixes…, KeyCount. (The position of
 * ContinuationToken is UNVERIFIED; parsers do not care.) Under `encoding-type=url`, Prefix,
 * StartAfter, Delimiter, ContinuationToken, NextContinuationToken, Key and
 * CommonPrefixes/Prefix are encoded (as the Go SDK v2 decodes them).
 */
export interface ListObjectsV2Result extends ListBucketResultCommon {
  /** Discriminant: a v2 listing. */
  listType: 2;
  /** `<StartAfter>`, echoed when the request had `start-after`. */
  startAfter?: string;
  /** `<ContinuationToken>`, echoed when the request had `continuation-token`. */
  continuationToken?: string;
  /** `<NextContinuationToken>`, present when truncated: pass it as `continuation-token`. */
  nextContinuationToken?: string;
  /**
   * `<KeyCount>`: number of Contents plus CommonPrefixes returned. When a body forced to v2
   * lacks it, the parser counts them.
   */
  keyCount: number;
}

/** A ListBucketResult of either version; switch on `listType`. */
export type ListBucketResult = ListObjectsV1Result | ListObjectsV2Result;

/** Options for {@link parseListBucketResult}. */
export interface ListBucketResultParseOptions extends XmlParseOptions {
  /**
   * Which version the caller asked for (`list-type=2` means 2). Default: detect it: a body
   * with KeyCount, StartAfter, ContinuationToken or NextContinuationToken is v2, any other
   * is v1. Pass it to stay exact when a server omits all of those.
   */
  listType?: 1 | 2;
}

const V2_MARKERS = ['KeyCount', 'StartAfter', 'ContinuationToken', 'NextContinuationToken'];

/**
 * Parses a GetBucket (ListObjects v1) or GetBucketV2 (ListObjectsV2) response body. Unknown
 * elements (e.g. `TransitionTime`) are ignored.
 *
 * @param xml - the response body, decoded as UTF-8
 * @param options - size/depth limits and the expected `listType`
 * @throws XmlProtocolError - `'missing-element'` for a `<Contents>` without `<Key>` or
 *   `<Size>`; `'invalid-value'` for a bad number or percent-escape; plus the kinds every
 *   parser throws for a bad body
 */
export function parseListBucketResult(
  xml: string,
  options?: ListBucketResultParseOptions,
): ListBucketResult {
  const root = readDocument(xml, [ROOT], options);
  const encodingType = encodingTypeOf(root, ROOT);
  const contentsPath = `${ROOT}/Contents`;
  const contents = childrenNamed(root, 'Contents').map((entry) => {
    const summary: ObjectSummary = {
      key: requiredNameField(entry, contentsPath, 'Key', encodingType),
      lastModified: textOrEmpty(entry, 'LastModified'),
      etag: etagOrEmpty(entry),
      size: requiredInteger(entry, contentsPath, 'Size'),
    };
    const type = optionalText(entry, 'Type');
    if (type !== undefined) summary.type = type;
    const storageClass = optionalText(entry, 'StorageClass');
    if (storageClass !== undefined) summary.storageClass = storageClass;
    const owner = optionalOwner(entry, 'Owner');
    if (owner !== undefined) summary.owner = owner;
    const restoreInfo = optionalText(entry, 'RestoreInfo');
    if (restoreInfo !== undefined) summary.restoreInfo = restoreInfo;
    return summary;
  });
  const commonPrefixes = readCommonPrefixes(root, ROOT, encodingType);
  const common: ListBucketResultCommon = {
    name: textOrEmpty(root, 'Name'),
    prefix: nameField(root, ROOT, 'Prefix', encodingType) ?? '',
    delimiter: nameField(root, ROOT, 'Delimiter', encodingType) ?? '',
    isTruncated: booleanOrFalse(root, ROOT, 'IsTruncated'),
    contents,
    commonPrefixes,
  };
  if (encodingType !== undefined) common.encodingType = encodingType;
  const maxKeys = optionalInteger(root, ROOT, 'MaxKeys');
  if (maxKeys !== undefined) common.maxKeys = maxKeys;

  const listType =
    options?.listType ?? (V2_MARKERS.some((name) => child(root, name) !== undefined) ? 2 : 1);
  if (listType === 1) {
    const result: ListObjectsV1Result = {
      listType: 1,
      ...common,
      marker: nameField(root, ROOT, 'Marker', encodingType) ?? '',
    };
    const nextMarker = nameField(root, ROOT, 'NextMarker', encodingType);
    if (nextMarker !== undefined) result.nextMarker = nextMarker;
    return result;
  }
  const result: ListObjectsV2Result = {
    listType: 2,
    ...common,
    keyCount: optionalInteger(root, ROOT, 'KeyCount') ?? contents.length + commonPrefixes.length,
  };
  const startAfter = nameField(root, ROOT, 'StartAfter', encodingType);
  if (startAfter !== undefined) result.startAfter = startAfter;
  const continuationToken = nameField(root, ROOT, 'ContinuationToken', encodingType);
  if (continuationToken !== undefined) result.continuationToken = continuationToken;
  const nextContinuationToken = nameField(root, ROOT, 'NextContinuationToken', encodingType);
  if (nextContinuationToken !== undefined) result.nextContinuationToken = nextContinuationToken;
  return result;
}

/**
 * Builds a ListBucketResult body for either version, in the element order documented on
 * {@link ListObjectsV1Result} and {@link ListObjectsV2Result}. `Delimiter` is written only
 * when non-empty; v2 always writes `KeyCount`. With `encodingType: 'url'` every name field
 * is percent-encoded.
 *
 * @throws XmlProtocolError - `'needs-url-encoding'` if a key, prefix, marker, token or
 *   delimiter holds a character XML 1.0 cannot carry and `encodingType` is not `'url'`;
 *   `'invalid-value'` for a malformed value
 */
export function buildListBucketResult(result: ListBucketResult): string {
  const encodingType = result.encodingType;
  const writer = new OssXmlWriter(ROOT)
    .text('Name', result.name)
    .name('Prefix', result.prefix, encodingType);
  if (result.listType === 1) {
    writer.name('Marker', result.marker, encodingType);
  } else {
    writer
      .optionalName('StartAfter', result.startAfter, encodingType)
      .optionalName('ContinuationToken', result.continuationToken, encodingType);
  }
  writer.optionalInteger('MaxKeys', result.maxKeys);
  if (result.delimiter !== '') writer.name('Delimiter', result.delimiter, encodingType);
  writer.encodingType(encodingType).boolean('IsTruncated', result.isTruncated);
  if (result.listType === 1) {
    writer.optionalName('NextMarker', result.nextMarker, encodingType);
  } else {
    writer.optionalName('NextContinuationToken', result.nextContinuationToken, encodingType);
  }
  for (const entry of result.contents) {
    writer
      .open('Contents')
      .name('Key', entry.key, encodingType)
      .text('LastModified', entry.lastModified)
      .etag('ETag', entry.etag)
      .optionalText('Type', entry.type)
      .integer('Size', entry.size)
      .optionalText('StorageClass', entry.storageClass)
      .owner('Owner', entry.owner)
      .optionalText('RestoreInfo', entry.restoreInfo)
      .close();
  }
  writeCommonPrefixes(writer, result.commonPrefixes, encodingType);
  if (result.listType === 2) writer.integer('KeyCount', result.keyCount);
  return writer.finish();
}
