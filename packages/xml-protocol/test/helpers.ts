// Small helpers shared by the unit tests (src/**/*.test.ts) and the fixture tests. They use
// only what Bun and Deno support too.

import fc from 'fast-check';
import { XmlProtocolError, type XmlProtocolErrorKind } from '../src/xml-protocol-error.ts';
import { decodeXmlText, escapeXmlText, findIllegalXmlChar, xmlTrim } from '../src/xml-text.ts';

/** Runs `fn` and returns what it threw, or undefined if it returned normally. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** The `kind` of the XmlProtocolError `fn` throws; `'no error'` / `'other error'` otherwise. */
export function kindOf(fn: () => unknown): XmlProtocolErrorKind | 'no error' | 'other error' {
  const error = thrown(fn);
  if (error === undefined) return 'no error';
  return error instanceof XmlProtocolError ? error.kind : 'other error';
}

const SPECIALS = [
  '&',
  '<',
  '>',
  '"',
  "'",
  ' ',
  '+',
  '%',
  '/',
  '\\',
  '?',
  '#',
  '=',
  '~',
  '*',
  '!',
  '(',
  ')',
  ']]>',
  '&amp;',
  '%2F',
  '%zz',
  'é',
  'ü',
  '中',
  '🙂',
  '\u00a0',
  '\t',
  '\n',
  '\r',
  '\r\n',
];
const ILLEGAL = ['\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\u001f', '\ufffe', '\uffff'];

const binaryUnit = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });
const legalBinaryUnit = binaryUnit.filter((ch) => findIllegalXmlChar(ch) === -1);

/** Characters XML 1.0 can carry, biased towards ones that break naive XML or URL code. */
export const xmlSafeUnit: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SPECIALS),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
  legalBinaryUnit,
);

/** Any code point (no lone surrogates), including control characters XML cannot carry. */
export const anyUnit: fc.Arbitrary<string> = fc.oneof(
  xmlSafeUnit,
  fc.constantFrom(...ILLEGAL),
  binaryUnit,
);

/** An object name XML can carry raw (may start or end with spaces). */
export const xmlSafeKey: fc.Arbitrary<string> = fc.string({
  unit: xmlSafeUnit,
  minLength: 1,
  maxLength: 30,
});

/** Any object name, control characters included: only writable under encoding-type=url. */
export const anyKey: fc.Arbitrary<string> = fc.string({
  unit: anyUnit,
  minLength: 1,
  maxLength: 30,
});

/** Possibly empty variants, for markers and prefixes. */
export const xmlSafeName: fc.Arbitrary<string> = fc.string({ unit: xmlSafeUnit, maxLength: 20 });
export const anyName: fc.Arbitrary<string> = fc.string({ unit: anyUnit, maxLength: 20 });

/** A plain text value as parsers return it: XML-safe and trimmed. */
export const trimmedText: fc.Arbitrary<string> = fc
  .string({ unit: xmlSafeUnit, maxLength: 20 })
  .map((value) => xmlTrim(value));

/** An identifier-like value (bucket, upload id, storage class). */
export const identifier: fc.Arbitrary<string> = fc.stringMatching(
  /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/,
);

/** A bare ETag: 32 upper-case hex, optionally a multipart `-N` suffix. */
export const etag: fc.Arbitrary<string> = fc.stringMatching(/^[0-9A-F]{32}(-[1-9][0-9]{0,3})?$/);

/** An ISO 8601 timestamp with milliseconds, as OSS writes them. */
export const isoDate: fc.Arbitrary<string> = fc
  .date({ min: new Date(0), max: new Date(4102444800000), noInvalidDate: true })
  .map((date) => date.toISOString());

/** A CRC-64 value. */
export const crc64: fc.Arbitrary<bigint> = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

/** An Owner / Initiator container. */
export const owner = fc.record({ id: identifier, displayName: trimmedText });

/** Property-run settings: modest, the CI machines have two cores. */
export const RUNS = { numRuns: 150 } as const;

// Attribute lists a start tag may carry without changing what a reader returns.
const ATTRIBUTES = [
  '',
  ' ',
  '\n\t',
  ' a="1"',
  " b='x&amp;y'",
  ' xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com"',
  ' c = "&#60;&#x3E;" d=\'"\'',
];
const MARKUP = ['', '<!-- c -->', '<!---->', '<?pi data?>', '<?xml-stylesheet href="x"?>'];
const WHITESPACE = ['\n', '\r\n  ', ' \t'];

/**
 * Rewrites a document in the canonical form the builders write (declaration, `<Name>`,
 * `</Name>`, text escaped with `escapeXmlText`) into another form XML defines as equivalent,
 * steered by `choices`: whitespace and ignored attributes inside tags, `<X/>` for an empty
 * element, comments and processing instructions after end tags, and text written as CDATA,
 * as character references, or split by a comment. With `whitespace`, whitespace may also
 * follow an end tag; that changes the text of the parent (which OSS documents never read).
 */
export function restyleXml(
  xml: string,
  choices: readonly number[],
  options: { whitespace?: boolean } = {},
): string {
  let next = 0;
  const pick = (count: number): number =>
    choices.length === 0 ? 0 : (choices[next++ % choices.length] ?? 0) % count;
  const after = (): string => {
    const markup = MARKUP[pick(MARKUP.length)] ?? '';
    return options.whitespace === true && pick(2) === 0
      ? `${WHITESPACE[pick(WHITESPACE.length)]}${markup}`
      : markup;
  };
  const tokens = xml.match(/<\?[^>]*>|<\/?[^<>]+>|[^<]+/g) ?? [];
  let out = '';
  for (let t = 0; t < tokens.length; t += 1) {
    const token = tokens[t] ?? '';
    if (token.startsWith('<?')) {
      out += token;
    } else if (token.startsWith('</')) {
      out += `${token.slice(0, -1)}${pick(3) === 0 ? ' \n' : ''}>${after()}`;
    } else if (token.startsWith('<')) {
      const name = token.slice(1, -1);
      if (tokens[t + 1] === `</${name}>` && pick(2) === 0) {
        out += `<${name}${ATTRIBUTES[pick(ATTRIBUTES.length)]}/>${after()}`;
        t += 1;
      } else {
        out += `<${name}${ATTRIBUTES[pick(ATTRIBUTES.length)]}>`;
      }
    } else {
      const text = decodeXmlText(token);
      const style = pick(4);
      if (style === 1 && !text.includes(']]>') && !text.includes('\r')) {
        out += `<![CDATA[${text}]]>`;
      } else if (style === 2) {
        for (const ch of text) out += `&#x${(ch.codePointAt(0) ?? 0).toString(16)};`;
      } else if (style === 3) {
        const chars = [...text];
        const cut = pick(chars.length + 1);
        out += `${escapeXmlText(chars.slice(0, cut).join(''))}<!-- split -->${escapeXmlText(chars.slice(cut).join(''))}`;
      } else {
        out += token;
      }
    }
  }
  return out;
}
