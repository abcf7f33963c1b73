import { makeExcerpt } from './excerpt.ts';
import {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_ELEMENTS,
  DEFAULT_MAX_RESPONSE_BYTES,
  type XmlParseOptions,
} from './limits.ts';
import { XmlProtocolError } from './xml-protocol-error.ts';
import { decodeXmlText, EntityError, normalizeLineEnds } from './xml-text.ts';

/** An element of a parsed document: its name, decoded direct text and child elements. */
export interface XmlElement {
  /** The element name exactly as written, prefix included (`oss:Key` stays `oss:Key`). */
  readonly name: string;
  /**
   * Direct text and CDATA of this element in document order, entities decoded, line ends
   * normalised to LF, not trimmed (whitespace between child elements included).
   */
  readonly text: string;
  readonly children: readonly XmlElement[];
}

/** An element while its content is being read. */
interface OpenElement {
  name: string;
  text: string;
  children: XmlElement[];
}

// XML 1.0 (fifth edition) Name production. The sticky flag lets one regex match a name at
// any position without slicing; one character class and a star cannot backtrack.
const NAME_START =
  ':A-Z_a-z\\xC0-\\xD6\\xD8-\\xF6\\xF8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME = new RegExp(
  `[${NAME_START}][${NAME_START}.0-9\\xB7\\u0300-\\u036F\\u203F\\u2040-]*`,
  'uy',
);

const HTML_ROOTS = new Set(['html', 'head', 'body']);
const HTML_MESSAGE =
  'Expected an OSS XML body but got an HTML page, probably from a proxy, load balancer or captive portal in front of the endpoint. Check the endpoint and any proxy settings.';

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** A name as shown in a message: attacker-controlled, so kept short. */
function short(name: string): string {
  return name.length > 60 ? `${name.slice(0, 60)}…` : name;
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

function fail(kind: XmlProtocolError['kind'], message: string, xml: string): never {
  throw new XmlProtocolError(kind, message, { excerpt: makeExcerpt(xml) });
}

/**
 * Reads a body into an element tree in one linear pass, refusing on the way everything OSS
 * never sends: DOCTYPE and other markup declarations (so no entity can be declared, let alone
 * expanded), HTML, a second root, an XML declaration anywhere but at the start, nesting
 * deeper than `maxDepth`, more than `maxElements` elements, and any well-formedness error
 * (reported with line and column). Throws only `XmlProtocolError`.
 *
 * What it accepts: the XML declaration, elements (names kept verbatim, prefix included),
 * attributes (syntax checked, values discarded), text with the five predefined entities and
 * numeric character references, CDATA, comments and processing instructions (skipped).
 * Deliberately not checked: repeated attribute names (values are discarded, and detecting
 * them would cost memory per attribute that a hostile tag could inflate), `--` inside a
 * comment and `]]>` in text (harmless once read), and raw characters XML 1.0 forbids in text
 * such as U+0001 (kept: better to hand the caller an odd object name than to fail a whole
 * listing; the builders never write them raw).
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

  const { length } = xml;
  // Elements whose end tag has not been seen yet, outermost first; its length is the depth.
  const open: OpenElement[] = [];
  let root: OpenElement | undefined;
  let elements = 0;

  /** "line L, column C" of an offset, for messages. */
  function position(at: number): string {
    let line = 1;
    let lineStart = 0;
    for (let nl = xml.indexOf('\n'); nl !== -1 && nl < at; nl = xml.indexOf('\n', nl + 1)) {
      line += 1;
      lineStart = nl + 1;
    }
    return `line ${line}, column ${at - lineStart + 1}`;
  }

  /** Refuses the body with kind 'not-xml', naming the open elements as `element`. */
  function notXml(message: string): never {
    const path = open.map((element) => short(element.name)).join('/');
    throw new XmlProtocolError('not-xml', message, {
      excerpt: makeExcerpt(xml),
      element: path === '' ? undefined : path,
    });
  }

  /** Refuses the body as not well-formed, saying what was wrong and where. */
  function malformed(at: number, what: string): never {
    return notXml(
      `The body is not well-formed XML: ${what} at ${position(at)}; it may be truncated or not from OSS.`,
    );
  }

  function nameAt(at: number): string | undefined {
    NAME.lastIndex = at;
    return NAME.exec(xml)?.[0];
  }

  function skipSpace(from: number): number {
    let at = from;
    while (at < length && isSpace(xml.charCodeAt(at))) at += 1;
    return at;
  }

  /** Checks the entity references of `raw` (which starts at `at`) and decodes them. */
  function decode(raw: string, at: number): string {
    try {
      return decodeXmlText(raw);
    } catch (error) {
      if (error instanceof EntityError) return malformed(at + error.index, error.message);
      throw error;
    }
  }

  function text(from: number, to: number): void {
    const current = open.at(-1);
    if (current !== undefined) {
      current.text += decode(xml.slice(from, to), from);
      return;
    }
    // Outside the root only whitespace may appear.
    for (let at = from; at < to; at += 1) {
      if (isSpace(xml.charCodeAt(at))) continue;
      if (root === undefined) malformed(at, 'text before the root element');
      notXml(
        `The body has text after its root element (at ${position(at)}); it is not an OSS XML body.`,
      );
    }
  }

  function startTag(lt: number): number {
    const tag = nameAt(lt + 1) ?? malformed(lt, "'<' is not followed by an element name");
    if (root !== undefined && open.length === 0) {
      notXml(
        `The body has more than one root element (the second at ${position(lt)}); it is not an OSS XML body.`,
      );
    }
    elements += 1;
    if (elements > maxElements) {
      fail(
        'too-large',
        `The XML body has more than ${maxElements} elements; no OSS body has that many. Refusing to parse it.`,
        xml,
      );
    }
    if (root === undefined) {
      if (HTML_ROOTS.has(tag.toLowerCase())) {
        throw new XmlProtocolError('html', HTML_MESSAGE, {
          excerpt: makeExcerpt(xml),
          rootElement: tag,
        });
      }
      if (!expectedRoots.includes(tag)) {
        const hint =
          tag === 'Error'
            ? ' It looks like an OSS error document: read it with parseOssErrorBody().'
            : '';
        throw new XmlProtocolError(
          'wrong-root',
          `Expected <${expectedRoots.join('> or <')}> but the body's root element is <${short(tag)}>.${hint}`,
          { excerpt: makeExcerpt(xml), rootElement: tag },
        );
      }
    }
    // Attributes: each needs whitespace before it, a name, '=' and a quoted value. Values
    // are checked (no '<', only known entities) and dropped; OSS bodies carry none but xmlns.
    let at = lt + 1 + tag.length;
    let selfClosing = false;
    for (;;) {
      const before = at;
      at = skipSpace(at);
      const code = xml.charCodeAt(at);
      if (code === 0x3e /* > */) {
        at += 1;
        break;
      }
      if (code === 0x2f /* / */) {
        if (xml.charCodeAt(at + 1) !== 0x3e) {
          malformed(at, `'/' in the start tag <${short(tag)}> is not followed by '>'`);
        }
        selfClosing = true;
        at += 2;
        break;
      }
      if (at >= length) malformed(lt, `the start tag <${short(tag)}> is not closed`);
      const attribute = at > before ? nameAt(at) : undefined;
      if (attribute === undefined) {
        malformed(at, `unexpected character in the start tag <${short(tag)}>`);
      }
      const about = `attribute ${short(attribute)} of <${short(tag)}>`;
      at = skipSpace(at + attribute.length);
      if (xml[at] !== '=') malformed(at, `${about} has no value`);
      at = skipSpace(at + 1);
      const quote = xml[at];
      if (quote !== '"' && quote !== "'") malformed(at, `the value of ${about} is not quoted`);
      const close = xml.indexOf(quote, at + 1);
      if (close === -1) malformed(at, `the value of ${about} is not closed`);
      const value = xml.slice(at + 1, close);
      const bracket = value.indexOf('<');
      if (bracket !== -1) malformed(at + 1 + bracket, `'<' in the value of ${about}`);
      decode(value, at + 1);
      at = close + 1;
    }
    const element: OpenElement = { name: tag, text: '', children: [] };
    const parent = open.at(-1);
    if (parent === undefined) root = element;
    else parent.children.push(element);
    if (!selfClosing) {
      open.push(element);
      if (open.length > maxDepth) {
        fail(
          'too-deep',
          `The XML body nests elements deeper than ${maxDepth} levels; OSS bodies nest at most 4. Refusing to parse it.`,
          xml,
        );
      }
    }
    return at;
  }

  function endTag(lt: number): number {
    const tag = nameAt(lt + 2) ?? malformed(lt, "'</' is not followed by an element name");
    const at = skipSpace(lt + 2 + tag.length);
    if (xml[at] !== '>') malformed(at, `the end tag </${short(tag)}> is not closed by '>'`);
    const current = open.at(-1);
    if (current === undefined) malformed(lt, `</${short(tag)}> has no start tag`);
    if (current.name !== tag) {
      malformed(lt, `<${short(current.name)}> is closed by </${short(tag)}>`);
    }
    open.pop();
    return at + 1;
  }

  /** `<!`: a comment, a CDATA section, or a declaration (refused). */
  function bang(lt: number): number {
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      if (end === -1) malformed(lt, 'a comment is not closed');
      return end + 3;
    }
    if (xml.startsWith('<![CDATA[', lt)) {
      const current = open.at(-1) ?? malformed(lt, 'a CDATA section outside the root element');
      const end = xml.indexOf(']]>', lt + 9);
      if (end === -1) malformed(lt, 'a CDATA section is not closed');
      current.text += normalizeLineEnds(xml.slice(lt + 9, end));
      return end + 3;
    }
    if (/^<!DOCTYPE\s+HTML[\s>]/i.test(xml.slice(lt, lt + 20))) fail('html', HTML_MESSAGE, xml);
    return fail(
      'doctype',
      'The XML body carries a DOCTYPE or other markup declaration. OSS never sends one and it is refused so that no entity is expanded; check that the endpoint really is OSS.',
      xml,
    );
  }

  /** `<?`: the XML declaration (only at the very start) or a processing instruction. */
  function question(lt: number): number {
    const target =
      nameAt(lt + 2) ?? malformed(lt, "'<?' is not followed by a processing-instruction target");
    if (target.toLowerCase() === 'xml' && lt !== start) {
      malformed(lt, 'an XML declaration is allowed only at the start of the body');
    }
    const after = lt + 2 + target.length;
    const end = xml.indexOf('?>', after);
    if (end === -1) malformed(lt, `<?${short(target)} is not closed by '?>'`);
    if (end !== after && !isSpace(xml.charCodeAt(after))) {
      malformed(after, `unexpected character after <?${short(target)}`);
    }
    return end + 2;
  }

  let i = start;
  while (i < length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt === -1 ? length : lt;
    if (textEnd > i) text(i, textEnd);
    if (lt === -1) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === 0x2f /* / */) i = endTag(lt);
    else if (next === 0x21 /* ! */) i = bang(lt);
    else if (next === 0x3f /* ? */) i = question(lt);
    else i = startTag(lt);
  }
  const unclosed = open.at(-1);
  if (unclosed !== undefined) {
    malformed(length, `<${short(unclosed.name)}> is not closed; the body ends early`);
  }
  return root ?? fail('not-xml', 'The body holds no XML element.', xml);
}
