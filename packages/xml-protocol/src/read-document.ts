import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { makeExcerpt } from './excerpt.ts';
import {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_ELEMENTS,
  DEFAULT_MAX_RESPONSE_BYTES,
  type XmlParseOptions,
} from './limits.ts';
import { XmlProtocolError, type XmlProtocolErrorOptions } from './xml-protocol-error.ts';
import { decodeXmlText, EntityError } from './xml-text.ts';

/** An element of a parsed document: its name, decoded direct text and child elements. */
export interface XmlElement {
  readonly name: string;
  /** Direct text and CDATA of this element, entities decoded, not trimmed. */
  readonly text: string;
  readonly children: readonly XmlElement[];
}

const TEXT = '#text';
const CDATA = '#cdata';
// fast-xml-parser refuses these tag names outright (prototype-pollution guard). Renaming them
// with a '#' prefix, which no real XML name can start with, lets the document parse; the
// renamed elements are then simply unknown and ignored.
const CRITICAL_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

function createParser(maxDepth: number): XMLParser {
  return new XMLParser({
    preserveOrder: true,
    ignoreAttributes: true,
    // Keep every value a string: `007`, upload ids and markers must not become numbers.
    parseTagValue: false,
    // Keys may start or end with spaces; only our field readers decide what to trim.
    trimValues: false,
    // Entity handling is done by us (decodeXmlText): the five predefined entities plus
    // numeric references, nothing else. DOCTYPEs never reach the parser.
    processEntities: false,
    htmlEntities: false,
    // CDATA is kept apart so that its content is not entity-decoded.
    cdataPropName: CDATA,
    textNodeName: TEXT,
    ignoreDeclaration: true,
    ignorePiTags: true,
    maxNestedTags: maxDepth,
    // Names are never used as object keys on our side, so no renaming is needed except for
    // the three names the parser would refuse.
    onDangerousProperty: (name: string) => name,
    transformTagName: (name: string) => (CRITICAL_NAMES.has(name) ? `#${name}` : name),
  });
}

/** UTF-8 length of a string, stopping early once it is known to exceed `limit`. */
function utf8LengthExceeds(text: string, limit: number): boolean {
  // Every UTF-16 unit is at least one UTF-8 byte and at most three.
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i += 1;
      } else bytes += 3;
    } else bytes += 3;
    if (bytes > limit) return true;
  }
  return false;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function requireSpace(text: string, from: number, to: number): void {
  for (let k = from; k < to; k += 1) {
    if (!isSpace(text.charCodeAt(k))) {
      fail('not-xml', 'The body has text after its root element; it is not an OSS XML body.', text);
    }
  }
}

const HTML_ROOTS = new Set(['html', 'head', 'body']);

function fail(
  kind: XmlProtocolError['kind'],
  message: string,
  text: string,
  extra: Pick<XmlProtocolErrorOptions, 'cause' | 'rootElement'> = {},
): never {
  throw new XmlProtocolError(kind, message, { excerpt: makeExcerpt(text), ...extra });
}

/**
 * One linear pass over the markup before any parser sees it: finds the root element, refuses
 * DOCTYPE and other markup declarations, HTML, a second root, nesting deeper than `maxDepth`
 * and more than `maxElements` elements. It only skips over comments, CDATA, processing
 * instructions and quoted attribute values; everything else about well-formedness is left to
 * the validator.
 */
function prescan(
  text: string,
  start: number,
  limits: { maxDepth: number; maxElements: number },
  expectedRoots: readonly string[],
): void {
  const { maxDepth, maxElements } = limits;
  let elements = 0;
  let depth = 0;
  let root: string | undefined;
  // Set once the root element has closed: after it only whitespace, comments and processing
  // instructions may follow (the validator misses a second root after a self-closing one).
  let rootClosed = false;
  let i = start;
  const length = text.length;
  while (i < length) {
    const lt = text.indexOf('<', i);
    if (rootClosed) requireSpace(text, i, lt === -1 ? length : lt);
    if (lt === -1) return;
    const next = text.charCodeAt(lt + 1);
    if (next === 0x3f /* ? */) {
      const end = text.indexOf('?>', lt + 2);
      if (end === -1) return;
      i = end + 2;
    } else if (next === 0x21 /* ! */) {
      if (text.startsWith('<!--', lt)) {
        const end = text.indexOf('-->', lt + 4);
        if (end === -1) return;
        i = end + 3;
      } else if (text.startsWith('<![CDATA[', lt)) {
        const end = text.indexOf(']]>', lt + 9);
        if (end === -1) return;
        i = end + 3;
      } else {
        const head = text.slice(lt, lt + 20).toUpperCase();
        if (/^<!DOCTYPE\s+HTML[\s>]/.test(head)) {
          fail(
            'html',
            'Expected an OSS XML body but got an HTML page, probably from a proxy, load balancer or captive portal in front of the endpoint. Check the endpoint and any proxy settings.',
            text,
          );
        }
        fail(
          'doctype',
          'The XML body carries a DOCTYPE or other markup declaration. OSS never sends one and it is refused so that no entity is expanded; check that the endpoint really is OSS.',
          text,
        );
      }
    } else if (next === 0x2f /* / */) {
      depth -= 1;
      if (depth === 0) rootClosed = true;
      const end = text.indexOf('>', lt + 2);
      if (end === -1) return;
      i = end + 1;
    } else {
      // A start tag (or a stray '<' the validator will refuse). Find its end, skipping quoted
      // attribute values, which may contain '>'.
      let j = lt + 1;
      while (j < length && !isSpace(text.charCodeAt(j)) && text[j] !== '>' && text[j] !== '/')
        j += 1;
      const name = text.slice(lt + 1, j);
      let end = -1;
      while (j < length) {
        const ch = text[j];
        if (ch === '"' || ch === "'") {
          const close = text.indexOf(ch, j + 1);
          if (close === -1) break;
          j = close + 1;
        } else if (ch === '>') {
          end = j;
          break;
        } else j += 1;
      }
      if (rootClosed) {
        fail(
          'not-xml',
          'The body has more than one root element; it is not an OSS XML body.',
          text,
        );
      }
      elements += 1;
      if (elements > maxElements) {
        fail(
          'too-large',
          `The XML body has more than ${maxElements} elements; no OSS body has that many. Refusing to parse it.`,
          text,
        );
      }
      if (root === undefined) {
        root = name;
        if (HTML_ROOTS.has(name.toLowerCase())) {
          throw new XmlProtocolError(
            'html',
            'Expected an OSS XML body but got an HTML page, probably from a proxy, load balancer or captive portal in front of the endpoint. Check the endpoint and any proxy settings.',
            { excerpt: makeExcerpt(text), rootElement: name },
          );
        }
        if (name !== '' && !expectedRoots.includes(name)) {
          const hint =
            name === 'Error'
              ? ' It looks like an OSS error document: read it with parseOssErrorBody().'
              : '';
          throw new XmlProtocolError(
            'wrong-root',
            `Expected <${expectedRoots.join('> or <')}> but the body's root element is <${name.slice(0, 60)}>.${hint}`,
            { excerpt: makeExcerpt(text), rootElement: name },
          );
        }
      }
      if (end === -1) return;
      if (text.charCodeAt(end - 1) === 0x2f /* self-closing */) {
        if (depth === 0) rootClosed = true;
      } else {
        depth += 1;
        if (depth > maxDepth) {
          fail(
            'too-deep',
            `The XML body nests elements deeper than ${maxDepth} levels; OSS bodies nest at most 4. Refusing to parse it.`,
            text,
          );
        }
      }
      i = end + 1;
    }
  }
}

function toElement(name: string, nodes: unknown): XmlElement {
  const children: XmlElement[] = [];
  let text = '';
  if (Array.isArray(nodes)) {
    for (const node of nodes) {
      if (node === null || typeof node !== 'object') continue;
      for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
        if (key === TEXT) {
          text += decodeXmlText(String(value));
        } else if (key === CDATA) {
          text += cdataText(value);
        } else if (key !== ':@') {
          children.push(toElement(key, value));
        }
      }
    }
  }
  return { name, text, children };
}

function cdataText(value: unknown): string {
  let text = '';
  if (Array.isArray(value)) {
    for (const part of value) {
      if (part !== null && typeof part === 'object') {
        const inner = (part as Record<string, unknown>)[TEXT];
        if (inner !== undefined) text += String(inner);
      }
    }
  }
  return text;
}

/**
 * Reads a body into an element tree, with every guard applied before the XML parser runs:
 * type, size, emptiness, HTML, DOCTYPE, depth and root name; then the validator checks
 * well-formedness and the parser builds the tree. Throws only `XmlProtocolError`.
 */
export function readDocument(
  xml: string,
  expectedRoots: readonly string[],
  options: XmlParseOptions = {},
): XmlElement {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxElements = options.maxElements ?? DEFAULT_MAX_ELEMENTS;
  if (typeof xml !== 'string') {
    throw new XmlProtocolError(
      'not-xml',
      'The body must be passed as a string; decode the bytes as UTF-8 first (see readXmlBody).',
    );
  }
  if (utf8LengthExceeds(xml, maxBytes)) {
    fail(
      'too-large',
      `The XML body is larger than the ${maxBytes}-byte limit; refusing to parse it. Raise maxBytes only if the body is expected to be this big.`,
      xml,
    );
  }
  let start = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start < xml.length && isSpace(xml.charCodeAt(start))) start += 1;
  if (start >= xml.length) {
    throw new XmlProtocolError(
      'empty',
      `Expected an XML <${expectedRoots[0]}> body but the body is empty.`,
    );
  }
  if (xml[start] !== '<') {
    fail(
      'not-xml',
      `Expected an XML <${expectedRoots[0]}> body but the body is not XML (it does not start with '<').`,
      xml,
    );
  }
  const body = start === 0 ? xml : xml.slice(start);
  prescan(body, 0, { maxDepth, maxElements }, expectedRoots);

  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    fail(
      'not-xml',
      `The body is not well-formed XML (${valid.err.msg.slice(0, 120)} at line ${valid.err.line}); it may be truncated or not from OSS.`,
      xml,
      { cause: valid.err },
    );
  }

  let parsed: unknown;
  try {
    parsed = createParser(maxDepth).parse(body);
  } catch (cause) {
    const tooDeep = cause instanceof Error && /nested/i.test(cause.message);
    fail(
      tooDeep ? 'too-deep' : 'not-xml',
      tooDeep
        ? `The XML body nests elements deeper than ${maxDepth} levels; refusing to parse it.`
        : 'The body could not be parsed as XML; it may be truncated or not from OSS.',
      xml,
      { cause },
    );
  }

  let root: XmlElement | undefined;
  try {
    if (Array.isArray(parsed)) {
      for (const node of parsed) {
        if (node === null || typeof node !== 'object') continue;
        for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
          if (root === undefined && key !== TEXT && key !== CDATA && key !== ':@') {
            root = toElement(key, value);
          }
        }
      }
    }
  } catch (cause) {
    if (cause instanceof EntityError) {
      fail('not-xml', `The body is not well-formed XML: ${cause.message}`, xml, { cause });
    }
    throw cause;
  }
  if (root === undefined) {
    fail('not-xml', 'The body holds no XML element.', xml);
  }
  if (!expectedRoots.includes(root.name)) {
    throw new XmlProtocolError(
      'wrong-root',
      `Expected <${expectedRoots.join('> or <')}> but the body's root element is <${root.name.slice(0, 60)}>.`,
      { excerpt: makeExcerpt(xml), rootElement: root.name },
    );
  }
  return root;
}
