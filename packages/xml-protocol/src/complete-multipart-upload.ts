import { childrenNamed, requiredEtag, requiredInteger } from './fields.ts';
import { DEFAULT_MAX_COMPLETE_BODY_BYTES, type XmlParseOptions } from './limits.ts';
import { readDocument } from './read-document.ts';
import { XmlWriter } from './xml-writer.ts';

const ROOT = 'CompleteMultipartUpload';

/** One `<Part>` of a CompleteMultipartUpload request body. */
export interface CompletePart {
  /** `<PartNumber>`, a non-negative safe integer (OSS accepts 1…10000). */
  partNumber: number;
  /** `<ETag>` of the part, bare (no quotes); the builder writes it quoted. */
  etag: string;
}

/**
 * The CompleteMultipartUpload request body (`POST /<key>?uploadId=…`), protocol §4.4.
 *
 * ```xml
 * <CompleteMultipartUpload>
 *   <Part><PartNumber>1</PartNumber><ETag>"8EFDA8BE206636A695359836FE0A****"</ETag></Part>
 * </CompleteMultipartUpload>
 * ```
 */
export interface CompleteMultipartUpload {
  /** The parts in document order. Not sorted, de-duplicated or range-checked here. */
  parts: CompletePart[];
}

/**
 * Parses a CompleteMultipartUpload request body, as the dev server receives it. Accepts a body
 * with or without an XML declaration, any whitespace between elements, and ETags written raw
 * (`"…"`), as `&quot;…&quot;` or as `&#34;…&#34;`; ETags come back bare.
 *
 * It does not judge the part list: an empty list, part numbers out of 1…10000, duplicates or
 * a wrong order all parse, so the server can answer with the right OSS error
 * (MalformedXML, InvalidPartOrder, InvalidArgument …). Unknown elements are ignored.
 *
 * @param xml - the request body, decoded as UTF-8
 * @param options - limits; `maxBytes` defaults to {@link DEFAULT_MAX_COMPLETE_BODY_BYTES} (2 MiB)
 * @throws XmlProtocolError - `'missing-element'` for a `<Part>` without `<PartNumber>` or
 *   `<ETag>`, `'invalid-value'` for a part number that is not a non-negative integer, and the
 *   kinds every parser throws for a bad body. A server answers all of them with MalformedXML.
 */
export function parseCompleteMultipartUpload(
  xml: string,
  options?: XmlParseOptions,
): CompleteMultipartUpload {
  const root = readDocument(xml, [ROOT], {
    ...options,
    maxBytes: options?.maxBytes ?? DEFAULT_MAX_COMPLETE_BODY_BYTES,
  });
  const path = `${ROOT}/Part`;
  return {
    parts: childrenNamed(root, 'Part').map((part) => ({
      partNumber: requiredInteger(part, path, 'PartNumber'),
      etag: requiredEtag(part, path),
    })),
  };
}

/**
 * Builds a CompleteMultipartUpload request body: the XML declaration, then one `<Part>` per
 * entry, in the order given (sort ascending by part number before calling; OSS requires it).
 * ETags are written quoted, `"…"`, whether given bare or quoted.
 *
 * @throws XmlProtocolError - `'invalid-value'` for a part number that is not a non-negative
 *   safe integer or an ETag holding characters XML cannot carry
 */
export function buildCompleteMultipartUpload(body: CompleteMultipartUpload): string {
  const writer = new XmlWriter(ROOT);
  for (const part of body.parts) {
    writer.open('Part').integer('PartNumber', part.partNumber).etag('ETag', part.etag).close();
  }
  return writer.finish();
}
