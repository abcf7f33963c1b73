// Character-level XML helpers shared by the reader and the writer. Loops rather than
// regexes where a crafted input could make a regex backtrack.

function isXmlSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Strips XML whitespace (space, tab, CR, LF) at both ends; not Unicode spaces like NBSP. */
export function xmlTrim(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isXmlSpace(value.charCodeAt(start))) start += 1;
  while (end > start && isXmlSpace(value.charCodeAt(end - 1))) end -= 1;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/**
 * Index of the first UTF-16 unit at or after `from` that XML 1.0 cannot carry (even as
 * `&#N;`), or -1.
 * Allowed: U+0009, U+000A, U+000D, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF
 * (a well-formed surrogate pair).
 */
export function findIllegalXmlChar(value: string, from = 0): number {
  for (let i = from; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code >= 0x20 && code < 0xd800) continue;
    if (code === 0x09 || code === 0x0a || code === 0x0d) continue;
    if (code >= 0xe000 && code <= 0xfffd) continue;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i += 1;
        continue;
      }
    }
    return i;
  }
  return -1;
}

/** True when the unit at `index` is half of a surrogate pair (i.e. a lone surrogate). */
export function isLoneSurrogateAt(value: string, index: number): boolean {
  const code = value.charCodeAt(index);
  return code >= 0xd800 && code <= 0xdfff;
}

/** Replaces every character XML 1.0 cannot carry with U+FFFD. */
export function replaceIllegalXmlChars(value: string): string {
  let bad = findIllegalXmlChar(value);
  if (bad === -1) return value;
  let out = '';
  let last = 0;
  while (bad !== -1) {
    out += `${value.slice(last, bad)}\uFFFD`;
    last = bad + 1;
    bad = findIllegalXmlChar(value, last);
  }
  return out + value.slice(last);
}

/**
 * Escapes text for element content. `&`, `<` and `>` always (`>` so that `]]>` can never
 * appear); CR as `&#13;` because a raw CR would be turned into LF by every conforming
 * parser's line-end normalisation. Quotes stay raw: OSS writes ETags as `"…"` and element
 * content does not need them escaped. The caller has already refused illegal characters.
 */
export function escapeXmlText(value: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    let replacement: string | undefined;
    if (code === 0x26) replacement = '&amp;';
    else if (code === 0x3c) replacement = '&lt;';
    else if (code === 0x3e) replacement = '&gt;';
    else if (code === 0x0d) replacement = '&#13;';
    if (replacement !== undefined) {
      out += value.slice(last, i) + replacement;
      last = i + 1;
    }
  }
  return last === 0 ? value : out + value.slice(last);
}

/**
 * Thrown by {@link decodeXmlText}; the reader turns it into an `XmlProtocolError`. The message
 * is a lower-case phrase the reader places in its own sentence.
 */
export class EntityError extends Error {
  /** Offset of the offending `&` in the string given to {@link decodeXmlText}. */
  readonly index: number;

  constructor(message: string, index: number) {
    super(message);
    this.index = index;
  }
}

const PREDEFINED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/**
 * XML line-end normalisation: CR LF and a lone CR become LF, as every conforming parser
 * reports them (a CR the writer meant to keep is written `&#13;`).
 */
export function normalizeLineEnds(raw: string): string {
  return raw.indexOf('\r') === -1 ? raw : raw.replace(/\r\n?/g, '\n');
}

/**
 * Turns raw character data into the text it stands for: line ends normalised (see
 * {@link normalizeLineEnds}), then the five predefined XML entities and numeric character
 * references (`&#34;`, `&#x22;`) decoded, so `&#13;` survives as a CR. Anything else
 * (`&nbsp;`, `&foo;`, a bare `&`) is an undeclared entity, which makes the document not
 * well-formed: DOCTYPEs are refused, so no other entity can be declared.
 * References to U+0001–U+001F are accepted (XML 1.1 allows them and some servers emit
 * them); U+0000, surrogates and values over U+10FFFF are refused.
 *
 * @throws EntityError - carrying the offset of the offending `&` in `raw`
 */
export function decodeXmlText(raw: string): string {
  let amp = raw.indexOf('&');
  if (amp === -1) return normalizeLineEnds(raw);
  let out = '';
  let last = 0;
  while (amp !== -1) {
    const semi = raw.indexOf(';', amp + 1);
    // Entity names and numeric references are short; a far-away ';' means a bare '&'.
    if (semi === -1 || semi - amp > 12) {
      throw new EntityError("a bare '&' that does not start an entity reference", amp);
    }
    out += normalizeLineEnds(raw.slice(last, amp)) + decodeEntity(raw.slice(amp + 1, semi), amp);
    last = semi + 1;
    amp = raw.indexOf('&', last);
  }
  return out + normalizeLineEnds(raw.slice(last));
}

function decodeEntity(body: string, at: number): string {
  const predefined = Object.hasOwn(PREDEFINED, body) ? PREDEFINED[body] : undefined;
  if (predefined !== undefined) return predefined;
  let code: number;
  if (/^#[0-9]{1,8}$/.test(body)) {
    code = Number.parseInt(body.slice(1), 10);
  } else if (/^#x[0-9A-Fa-f]{1,6}$/.test(body)) {
    code = Number.parseInt(body.slice(2), 16);
  } else {
    throw new EntityError(`the undeclared entity &${body.slice(0, 10)};`, at);
  }
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
    throw new EntityError(`the character reference &${body}; is not a legal XML character`, at);
  }
  return String.fromCodePoint(code);
}
