import { makeExcerpt } from './excerpt.ts';
import type { EncodingType, OssOwner } from './types.ts';
import { percentEncode } from './url-encoding.ts';
import { XmlProtocolError } from './xml-protocol-error.ts';
import { escapeXmlText, findIllegalXmlChar, isLoneSurrogateAt } from './xml-text.ts';
import { describe, hex, XmlWriter } from './xml-writer.ts';

const U64_MAX = (1n << 64n) - 1n;

/**
 * {@link XmlWriter} plus the field conventions of OSS responses: object names percent-encoded
 * under `encoding-type=url` (and refused raw when XML cannot carry them), the
 * `<EncodingType>` element, CRC-64 values and `<Owner>`-like containers.
 */
export class OssXmlWriter extends XmlWriter {
  /**
   * An object-name-like value (Key, Prefix, Delimiter, markers, tokens): percent-encoded
   * under `encoding-type=url`; otherwise written raw, and refused if XML cannot carry it.
   */
  name(name: string, value: string, encodingType: EncodingType | undefined): this {
    if (typeof value !== 'string') this.badType(name, value, 'a string');
    if (encodingType === 'url') {
      try {
        return this.leaf(name, percentEncode(value));
      } catch (error) {
        if (error instanceof XmlProtocolError) {
          throw new XmlProtocolError('invalid-value', `<${name}>: ${error.message}`, {
            element: this.where(name),
            excerpt: error.excerpt,
            cause: error,
          });
        }
        throw error;
      }
    }
    const bad = findIllegalXmlChar(value);
    if (bad !== -1) {
      if (isLoneSurrogateAt(value, bad)) {
        throw new XmlProtocolError(
          'invalid-value',
          `<${name}> holds a lone UTF-16 surrogate, which has no UTF-8 form and cannot be an object name; pass a well-formed string.`,
          { element: this.where(name), excerpt: makeExcerpt(value) },
        );
      }
      throw new XmlProtocolError(
        'needs-url-encoding',
        `<${name}> holds U+${hex(value, bad)}, which XML 1.0 cannot carry. Build the body with encodingType: 'url' (the client asked with encoding-type=url) so object names are percent-encoded.`,
        { element: this.where(name), excerpt: makeExcerpt(value) },
      );
    }
    return this.leaf(name, escapeXmlText(value));
  }

  /** An optional object-name-like value: written only when defined. */
  optionalName(
    name: string,
    value: string | undefined,
    encodingType: EncodingType | undefined,
  ): this {
    return value === undefined ? this : this.name(name, value, encodingType);
  }

  /** An unsigned 64-bit value (CRC-64). */
  u64(name: string, value: bigint): this {
    if (typeof value !== 'bigint' || value < 0n || value > U64_MAX) {
      throw new XmlProtocolError(
        'invalid-value',
        `<${name}> must be a bigint between 0 and 2^64-1, got ${describe(value)}.`,
        { element: this.where(name) },
      );
    }
    return this.leaf(name, value.toString());
  }

  /** `<EncodingType>url</EncodingType>` when asked for. */
  encodingType(value: EncodingType | undefined): this {
    if (value === undefined) return this;
    if (value !== 'url') {
      throw new XmlProtocolError(
        'invalid-value',
        `encodingType must be 'url' or undefined, got ${describe(value)}.`,
        { element: this.where('EncodingType') },
      );
    }
    return this.leaf('EncodingType', 'url');
  }

  /** An `<Owner>`-like container, written only when defined. */
  owner(name: string, value: OssOwner | undefined): this {
    if (value === undefined) return this;
    return this.open(name).text('ID', value.id).text('DisplayName', value.displayName).close();
  }
}
