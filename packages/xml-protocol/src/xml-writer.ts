// A minimal writer for the builders. Hand-written rather than fast-xml-parser's XMLBuilder so
// that element order, the declaration, quoting of ETags and the refusal of characters XML 1.0
// cannot carry are all under our control.

import { formatEtag } from './etag.ts';
import { makeExcerpt } from './excerpt.ts';
import type { EncodingType, OssOwner } from './types.ts';
import { percentEncode } from './url-encoding.ts';
import { XmlProtocolError } from './xml-protocol-error.ts';
import {
  escapeXmlText,
  findIllegalXmlChar,
  isLoneSurrogateAt,
  replaceIllegalXmlChars,
} from './xml-text.ts';

/** The declaration every body built here starts with. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

const U64_MAX = (1n << 64n) - 1n;

export class XmlWriter {
  private readonly out: string[] = [XML_DECLARATION];
  private readonly path: string[] = [];
  /** When true, characters XML cannot carry are replaced with U+FFFD instead of refused. */
  private readonly lenient: boolean;

  constructor(root: string, options: { lenient?: boolean } = {}) {
    this.lenient = options.lenient ?? false;
    this.open(root);
  }

  private where(name: string): string {
    return [...this.path, name].join('/');
  }

  open(name: string): this {
    this.out.push(`<${name}>`);
    this.path.push(name);
    return this;
  }

  close(): this {
    const name = this.path.pop();
    this.out.push(`</${name}>`);
    return this;
  }

  /** Closes every open element and returns the document. */
  finish(): string {
    while (this.path.length > 0) this.close();
    return this.out.join('');
  }

  private leaf(name: string, escaped: string): this {
    this.out.push(`<${name}>${escaped}</${name}>`);
    return this;
  }

  /** A text value (not an object name): characters XML cannot carry are refused. */
  text(name: string, value: string): this {
    if (typeof value !== 'string') this.badType(name, value, 'a string');
    if (this.lenient) return this.leaf(name, escapeXmlText(replaceIllegalXmlChars(value)));
    const bad = findIllegalXmlChar(value);
    if (bad !== -1) {
      throw new XmlProtocolError(
        'invalid-value',
        `<${name}> holds a character XML 1.0 cannot carry (U+${hex(value, bad)}); remove it before building the body.`,
        { element: this.where(name), excerpt: makeExcerpt(value) },
      );
    }
    return this.leaf(name, escapeXmlText(value));
  }

  /** An optional text value: written only when defined. */
  optionalText(name: string, value: string | undefined): this {
    return value === undefined ? this : this.text(name, value);
  }

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

  /** A non-negative safe integer. */
  integer(name: string, value: number): this {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw new XmlProtocolError(
        'invalid-value',
        `<${name}> must be a non-negative safe integer, got ${describe(value)}.`,
        { element: this.where(name) },
      );
    }
    return this.leaf(name, String(value));
  }

  /** An optional integer; absent values are written as an empty element when `emptyIfAbsent`. */
  optionalInteger(name: string, value: number | undefined, emptyIfAbsent = false): this {
    if (value === undefined) return emptyIfAbsent ? this.leaf(name, '') : this;
    return this.integer(name, value);
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

  boolean(name: string, value: boolean): this {
    if (typeof value !== 'boolean') this.badType(name, value, 'a boolean');
    return this.leaf(name, value ? 'true' : 'false');
  }

  /** An ETag, written quoted exactly as OSS does: `"HEX"`. */
  etag(name: string, value: string): this {
    if (typeof value !== 'string') this.badType(name, value, 'a string');
    return this.text(name, formatEtag(value));
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

  private badType(name: string, value: unknown, expected: string): never {
    throw new XmlProtocolError(
      'invalid-value',
      `<${name}> must be ${expected}, got ${describe(value)}.`,
      {
        element: this.where(name),
      },
    );
  }
}

function hex(value: string, index: number): string {
  return value.charCodeAt(index).toString(16).toUpperCase().padStart(4, '0');
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return `a string`;
  return `${typeof value === 'number' ? value : typeof value}`;
}
