// Typed readers for the element tree. Each takes the path of the parent for error messages
// and throws XmlProtocolError with kind 'missing-element' or 'invalid-value'.

import { normalizeEtag } from './etag.ts';
import { makeExcerpt } from './excerpt.ts';
import type { XmlElement } from './read-document.ts';
import type { EncodingType, OssOwner } from './types.ts';
import { percentDecode } from './url-encoding.ts';
import { XmlProtocolError } from './xml-protocol-error.ts';
import { xmlTrim } from './xml-text.ts';

const U64_MAX = (1n << 64n) - 1n;

/** First child element called `name`, or undefined. Later duplicates are ignored. */
export function child(parent: XmlElement, name: string): XmlElement | undefined {
  for (const element of parent.children) {
    if (element.name === name) return element;
  }
  return undefined;
}

/** Every child element called `name`, in document order. */
export function childrenNamed(parent: XmlElement, name: string): XmlElement[] {
  return parent.children.filter((element) => element.name === name);
}

function missing(path: string, name: string): never {
  throw new XmlProtocolError(
    'missing-element',
    `The body has no <${name}> in <${path}>, which OSS always sends; the server's answer is incomplete.`,
    { element: `${path}/${name}` },
  );
}

function invalid(path: string, name: string, raw: string, expected: string): never {
  throw new XmlProtocolError(
    'invalid-value',
    `<${name}> in <${path}> must be ${expected}; the server sent a value that is not.`,
    { element: `${path}/${name}`, excerpt: makeExcerpt(raw) },
  );
}

/** Verbatim text of a child (object names, prefixes, markers: never trimmed), or undefined. */
export function rawText(parent: XmlElement, name: string): string | undefined {
  return child(parent, name)?.text;
}

/** Trimmed text of a child, or undefined when absent. */
export function optionalText(parent: XmlElement, name: string): string | undefined {
  const element = child(parent, name);
  return element === undefined ? undefined : xmlTrim(element.text);
}

/** Trimmed text of a child, or `''` when absent. */
export function textOrEmpty(parent: XmlElement, name: string): string {
  return optionalText(parent, name) ?? '';
}

/** Trimmed text of a child that must be present. */
export function requiredText(parent: XmlElement, path: string, name: string): string {
  const value = optionalText(parent, name);
  return value === undefined ? missing(path, name) : value;
}

/**
 * An object-name-like field (Key, Prefix, Delimiter, markers, tokens): verbatim, and
 * percent-decoded when the body declared `<EncodingType>url</EncodingType>`.
 */
export function nameField(
  parent: XmlElement,
  path: string,
  name: string,
  encodingType: EncodingType | undefined,
): string | undefined {
  const raw = rawText(parent, name);
  if (raw === undefined) return undefined;
  return encodingType === 'url' ? decodeIn(raw, path, name) : raw;
}

/** Like {@link nameField} but the element must be present. */
export function requiredNameField(
  parent: XmlElement,
  path: string,
  name: string,
  encodingType: EncodingType | undefined,
): string {
  const value = nameField(parent, path, name, encodingType);
  return value === undefined ? missing(path, name) : value;
}

/** Decodes one `encoding-type=url` value, naming the element if it is malformed. */
export function decodeIn(raw: string, path: string, name: string): string {
  try {
    return percentDecode(raw);
  } catch (error) {
    if (error instanceof XmlProtocolError) {
      throw new XmlProtocolError(
        'invalid-value',
        `<${name}> in <${path}> is declared URL-encoded (EncodingType url) but has a malformed percent-escape; the server sent a broken body.`,
        { element: `${path}/${name}`, excerpt: error.excerpt, cause: error },
      );
    }
    throw error;
  }
}

/** `'url'` when the root carries `<EncodingType>url</EncodingType>` (any case), else undefined. */
export function encodingTypeOf(root: XmlElement, path: string): EncodingType | undefined {
  const value = optionalText(root, 'EncodingType');
  if (value === undefined || value === '') return undefined;
  if (value.toLowerCase() === 'url') return 'url';
  return invalid(path, 'EncodingType', value, "'url' (the only encoding OSS defines)");
}

function parseUnsigned(raw: string, path: string, name: string): number {
  const value = xmlTrim(raw);
  // Up to 16 digits keeps Number() exact before the safe-integer check.
  if (!/^[0-9]{1,16}$/.test(value)) {
    return invalid(path, name, raw, 'a non-negative integer');
  }
  const number = Number(value);
  if (!Number.isSafeInteger(number)) {
    return invalid(path, name, raw, 'a non-negative integer up to 2^53-1');
  }
  return number;
}

/** A non-negative safe integer that must be present and non-empty. */
export function requiredInteger(parent: XmlElement, path: string, name: string): number {
  const element = child(parent, name);
  if (element === undefined) return missing(path, name);
  return parseUnsigned(element.text, path, name);
}

/** A non-negative safe integer; undefined when the element is absent or empty. */
export function optionalInteger(
  parent: XmlElement,
  path: string,
  name: string,
): number | undefined {
  const element = child(parent, name);
  if (element === undefined || xmlTrim(element.text) === '') return undefined;
  return parseUnsigned(element.text, path, name);
}

/** An unsigned 64-bit decimal (CRC-64); undefined when absent or empty. */
export function optionalU64(parent: XmlElement, path: string, name: string): bigint | undefined {
  const element = child(parent, name);
  if (element === undefined) return undefined;
  const value = xmlTrim(element.text);
  if (value === '') return undefined;
  if (!/^[0-9]{1,20}$/.test(value)) {
    return invalid(path, name, element.text, 'an unsigned 64-bit decimal integer');
  }
  const big = BigInt(value);
  if (big > U64_MAX) {
    return invalid(path, name, element.text, 'an unsigned 64-bit decimal integer (at most 2^64-1)');
  }
  return big;
}

/** `true`/`false` (any case); absent or empty reads as false, like the Java SDK. */
export function booleanOrFalse(parent: XmlElement, path: string, name: string): boolean {
  const value = optionalText(parent, name);
  if (value === undefined || value === '') return false;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return invalid(path, name, value, "'true' or 'false'");
}

/** An ETag that must be present, normalised (entities decoded, quotes stripped). */
export function requiredEtag(parent: XmlElement, path: string, name = 'ETag'): string {
  const element = child(parent, name);
  if (element === undefined) return missing(path, name);
  return normalizeEtag(element.text);
}

/** An ETag normalised, or `''` when absent. */
export function etagOrEmpty(parent: XmlElement, name = 'ETag'): string {
  const element = child(parent, name);
  return element === undefined ? '' : normalizeEtag(element.text);
}

/** An `<Owner>`/`<Initiator>` container, or undefined when absent. */
export function optionalOwner(parent: XmlElement, name: string): OssOwner | undefined {
  const element = child(parent, name);
  if (element === undefined) return undefined;
  return { id: textOrEmpty(element, 'ID'), displayName: textOrEmpty(element, 'DisplayName') };
}
