// A minimal writer for the builders, so that element order, the declaration, quoting of ETags
// and the refusal of characters XML 1.0 cannot carry are all under our control. The OSS field
// conventions (object names under encoding-type=url, CRC-64, owners) live in the subclass
// OssXmlWriter: the client builds only the CompleteMultipartUpload body, and a bundler can
// drop a class it never constructs but not the unused methods of one it does.

import { formatEtag } from './etag.ts';
import { makeExcerpt } from './excerpt.ts';
import { XmlProtocolError } from './xml-protocol-error.ts';
import { escapeXmlText, findIllegalXmlChar, replaceIllegalXmlChars } from './xml-text.ts';

/** The declaration every body built here starts with. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/**
 * Writes a document element by element, starting with the declaration and the root element:
 * `new XmlWriter('Root').open('Part').integer('PartNumber', 1).close().finish()`.
 */
export class XmlWriter {
  private readonly out: string[] = [XML_DECLARATION];
  private readonly path: string[] = [];
  /** When true, characters XML cannot carry are replaced with U+FFFD instead of refused. */
  private readonly lenient: boolean;

  constructor(root: string, options: { lenient?: boolean } = {}) {
    this.lenient = options.lenient ?? false;
    this.open(root);
  }

  protected where(name: string): string {
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

  protected leaf(name: string, escaped: string): this {
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

  boolean(name: string, value: boolean): this {
    if (typeof value !== 'boolean') this.badType(name, value, 'a boolean');
    return this.leaf(name, value ? 'true' : 'false');
  }

  /** An ETag, written quoted exactly as OSS does: `"HEX"`. */
  etag(name: string, value: string): this {
    if (typeof value !== 'string') this.badType(name, value, 'a string');
    return this.text(name, formatEtag(value));
  }

  protected badType(name: string, value: unknown, expected: string): never {
    throw new XmlProtocolError(
      'invalid-value',
      `<${name}> must be ${expected}, got ${describe(value)}.`,
      {
        element: this.where(name),
      },
    );
  }
}

/** The UTF-16 unit at `index` as four upper-case hex digits, for messages. */
export function hex(value: string, index: number): string {
  return value.charCodeAt(index).toString(16).toUpperCase().padStart(4, '0');
}

/** A value as shown in a message: never the content of a string. */
export function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return `a string`;
  return `${typeof value === 'number' ? value : typeof value}`;
}
