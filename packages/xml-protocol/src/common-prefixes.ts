// CommonPrefixes handling shared by ListMultipartUploads and ListBucketResult.

import { childrenNamed, decodeIn } from './fields.ts';
import type { OssXmlWriter } from './oss-xml-writer.ts';
import type { XmlElement } from './read-document.ts';
import type { EncodingType } from './types.ts';

/** Every `<CommonPrefixes>/<Prefix>` of a listing, decoded under `encoding-type=url`. */
export function readCommonPrefixes(
  root: XmlElement,
  path: string,
  encodingType: EncodingType | undefined,
): string[] {
  const prefixes: string[] = [];
  const prefixPath = `${path}/CommonPrefixes`;
  for (const group of childrenNamed(root, 'CommonPrefixes')) {
    // S3 and OSS write one Prefix per CommonPrefixes; accept several in one, too.
    for (const prefix of childrenNamed(group, 'Prefix')) {
      prefixes.push(
        encodingType === 'url' ? decodeIn(prefix.text, prefixPath, 'Prefix') : prefix.text,
      );
    }
  }
  return prefixes;
}

/** Writes one `<CommonPrefixes><Prefix>…</Prefix></CommonPrefixes>` per prefix. */
export function writeCommonPrefixes(
  writer: OssXmlWriter,
  prefixes: readonly string[],
  encodingType: EncodingType | undefined,
): void {
  for (const prefix of prefixes) {
    writer.open('CommonPrefixes').name('Prefix', prefix, encodingType).close();
  }
}
