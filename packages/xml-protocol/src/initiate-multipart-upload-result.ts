import { encodingTypeOf, requiredNameField, requiredText, textOrEmpty } from './fields.ts';
import type { XmlParseOptions } from './limits.ts';
import { OssXmlWriter } from './oss-xml-writer.ts';
import { readDocument } from './read-document.ts';
import type { EncodingType } from './types.ts';

const ROOT = 'InitiateMultipartUploadResult';

/**
 * Body of a successful InitiateMultipartUpload (`POST /<key>?uploads`), protocol §4.1.
 *
 * ```xml
 * <InitiateMultipartUploadResult>
 *   <EncodingType>url</EncodingType>   <!-- only if requested -->
 *   <Bucket>oss-example</Bucket>
 *   <Key>multipart.data</Key>
 *   <UploadId>0004B9894A22E5B1888A1E29F823****</UploadId>
 * </InitiateMultipartUploadResult>
 * ```
 */
export interface InitiateMultipartUploadResult {
  /** Set when the body carried `<EncodingType>url</EncodingType>`; `key` is already decoded. */
  encodingType?: EncodingType;
  /** `<Bucket>`; `''` if absent. */
  bucket: string;
  /** `<Key>`, verbatim (decoded under `encodingType: 'url'`). Required. */
  key: string;
  /** `<UploadId>`, an opaque string (never a number). Required. */
  uploadId: string;
}

/**
 * Parses an InitiateMultipartUpload response body.
 *
 * @param xml - the response body, decoded as UTF-8
 * @param options - size and depth limits (default 20 MiB, depth 32)
 * @throws XmlProtocolError - `'missing-element'` without `<Key>` or `<UploadId>`, plus the
 *   kinds every parser throws for a bad body (`'empty'`, `'html'`, `'wrong-root'`, …)
 */
export function parseInitiateMultipartUploadResult(
  xml: string,
  options?: XmlParseOptions,
): InitiateMultipartUploadResult {
  const root = readDocument(xml, [ROOT], options);
  const encodingType = encodingTypeOf(root, ROOT);
  const result: InitiateMultipartUploadResult = {
    bucket: textOrEmpty(root, 'Bucket'),
    key: requiredNameField(root, ROOT, 'Key', encodingType),
    uploadId: requiredText(root, ROOT, 'UploadId'),
  };
  if (encodingType !== undefined) result.encodingType = encodingType;
  return result;
}

/**
 * Builds an InitiateMultipartUpload response body, elements in the order OSS sends them.
 * With `encodingType: 'url'` the key is percent-encoded and `<EncodingType>` comes first.
 *
 * @throws XmlProtocolError - `'needs-url-encoding'` if the key holds a character XML 1.0
 *   cannot carry and `encodingType` is not `'url'`; `'invalid-value'` for a malformed value
 */
export function buildInitiateMultipartUploadResult(result: InitiateMultipartUploadResult): string {
  return new OssXmlWriter(ROOT)
    .encodingType(result.encodingType)
    .text('Bucket', result.bucket)
    .name('Key', result.key, result.encodingType)
    .text('UploadId', result.uploadId)
    .finish();
}
