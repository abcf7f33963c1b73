import { encodingTypeOf, requiredEtag, requiredNameField, textOrEmpty } from './fields.ts';
import type { XmlParseOptions } from './limits.ts';
import { OssXmlWriter } from './oss-xml-writer.ts';
import { readDocument } from './read-document.ts';
import type { EncodingType } from './types.ts';

const ROOT = 'CompleteMultipartUploadResult';

/**
 * Body of a successful CompleteMultipartUpload, protocol §4.4.
 *
 * ```xml
 * <CompleteMultipartUploadResult>
 *   <EncodingType>url</EncodingType>   <!-- only if requested -->
 *   <Location>http://oss-example.oss-cn-hangzhou.aliyuncs.com/multipart.data</Location>
 *   <Bucket>oss-example</Bucket>
 *   <Key>multipart.data</Key>
 *   <ETag>"097DE458AD02B5F89F9D0530231876****-3"</ETag>
 * </CompleteMultipartUploadResult>
 * ```
 */
export interface CompleteMultipartUploadResult {
  /** Set when the body carried `<EncodingType>url</EncodingType>`; `key` is already decoded. */
  encodingType?: EncodingType;
  /**
   * `<Location>`, `<scheme>://<bucket>.<host>/<key>`; `''` if absent. Never URL-decoded
   * (it is a URL): a builder should put a percent-encoded key in it.
   */
  location: string;
  /** `<Bucket>`; `''` if absent. */
  bucket: string;
  /** `<Key>`, verbatim (decoded under `encodingType: 'url'`). Required. */
  key: string;
  /** `<ETag>` of the new object, bare: `097DE458…-3` (multipart ETag rule, §5.2). Required. */
  etag: string;
}

/**
 * Parses a CompleteMultipartUpload response body. (With an `x-oss-callback` the body is the
 * callback server's JSON instead; that throws `'not-xml'`.)
 *
 * @param xml - the response body, decoded as UTF-8
 * @param options - size and depth limits (default 20 MiB, depth 32)
 * @throws XmlProtocolError - `'missing-element'` without `<Key>` or `<ETag>`, plus the kinds
 *   every parser throws for a bad body
 */
export function parseCompleteMultipartUploadResult(
  xml: string,
  options?: XmlParseOptions,
): CompleteMultipartUploadResult {
  const root = readDocument(xml, [ROOT], options);
  const encodingType = encodingTypeOf(root, ROOT);
  const result: CompleteMultipartUploadResult = {
    location: textOrEmpty(root, 'Location'),
    bucket: textOrEmpty(root, 'Bucket'),
    key: requiredNameField(root, ROOT, 'Key', encodingType),
    etag: requiredEtag(root, ROOT),
  };
  if (encodingType !== undefined) result.encodingType = encodingType;
  return result;
}

/**
 * Builds a CompleteMultipartUpload response body in the element order of §4.4; the ETag is
 * written quoted. With `encodingType: 'url'` the key is percent-encoded.
 *
 * @throws XmlProtocolError - `'needs-url-encoding'` if the key holds a character XML 1.0
 *   cannot carry and `encodingType` is not `'url'`; `'invalid-value'` for a malformed value
 *   (including a `location` holding such a character: percent-encode the key in it)
 */
export function buildCompleteMultipartUploadResult(result: CompleteMultipartUploadResult): string {
  return new OssXmlWriter(ROOT)
    .encodingType(result.encodingType)
    .text('Location', result.location)
    .text('Bucket', result.bucket)
    .name('Key', result.key, result.encodingType)
    .etag('ETag', result.etag)
    .finish();
}
