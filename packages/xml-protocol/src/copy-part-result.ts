import { requiredEtag, textOrEmpty } from './fields.ts';
import type { XmlParseOptions } from './limits.ts';
import { readDocument } from './read-document.ts';
import { XmlWriter } from './xml-writer.ts';

const ROOT = 'CopyPartResult';

/**
 * Body of a successful UploadPartCopy, protocol §4.3.
 *
 * ```xml
 * <CopyPartResult>
 *   <LastModified>2014-07-17T06:27:54.000Z</LastModified>
 *   <ETag>"5B3C1A2E053D763E1B002CC607C5****"</ETag>
 * </CopyPartResult>
 * ```
 */
export interface CopyPartResult {
  /** `<LastModified>`, the ISO 8601 string as sent (e.g. `2014-07-17T06:27:54.000Z`); `''` if absent. */
  lastModified: string;
  /** `<ETag>` of the new part, bare (no quotes). Required. */
  etag: string;
}

/**
 * Parses an UploadPartCopy response body.
 *
 * @param xml - the response body, decoded as UTF-8
 * @param options - size and depth limits (default 20 MiB, depth 32)
 * @throws XmlProtocolError - `'missing-element'` without `<ETag>`, plus the kinds every
 *   parser throws for a bad body
 */
export function parseCopyPartResult(xml: string, options?: XmlParseOptions): CopyPartResult {
  const root = readDocument(xml, [ROOT], options);
  return {
    lastModified: textOrEmpty(root, 'LastModified'),
    etag: requiredEtag(root, ROOT),
  };
}

/**
 * Builds an UploadPartCopy response body (LastModified, then the quoted ETag).
 *
 * @throws XmlProtocolError - `'invalid-value'` for a value XML cannot carry
 */
export function buildCopyPartResult(result: CopyPartResult): string {
  return new XmlWriter(ROOT)
    .text('LastModified', result.lastModified)
    .etag('ETag', result.etag)
    .finish();
}
