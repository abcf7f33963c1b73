import { describe, expect, it } from 'vitest';
import { kindOf, thrown } from '../test/helpers.ts';
import { parseListPartsResult } from './list-parts-result.ts';
import { parseOssError } from './oss-error-document.ts';
import { readDocument } from './read-document.ts';
import { XmlProtocolError } from './xml-protocol-error.ts';

const DECL = '<?xml version="1.0" encoding="UTF-8"?>';
const minimalListParts = `${DECL}<ListPartsResult><Bucket>b</Bucket><Key>k</Key><UploadId>u</UploadId><IsTruncated>false</IsTruncated></ListPartsResult>`;

describe('readDocument: what a well-formed body gives', () => {
  it('returns the root with decoded text and children in order', () => {
    const root = readDocument('<R><A>x &amp; y</A><B/><A>2</A></R>', ['R']);
    expect(root.name).toBe('R');
    expect(root.children.map((c) => c.name)).toEqual(['A', 'B', 'A']);
    expect(root.children[0]?.text).toBe('x & y');
    expect(root.children[1]?.text).toBe('');
  });

  it('keeps leading zeros and surrounding spaces as text', () => {
    const root = readDocument('<R><Key>007</Key><K2>  a b  </K2></R>', ['R']);
    expect(root.children[0]?.text).toBe('007');
    expect(root.children[1]?.text).toBe('  a b  ');
  });

  it('decodes only the five XML entities and numeric references', () => {
    const root = readDocument(
      '<R><A>&lt;&gt;&amp;&quot;&apos;&#34;&#x22;&#233;&#x1F642;&#12;</A></R>',
      ['R'],
    );
    expect(root.children[0]?.text).toBe('<>&"\'""é🙂\f');
  });

  it('does not decode entities inside CDATA', () => {
    const root = readDocument('<R><A>a<![CDATA[&amp;<b>]]>c</A></R>', ['R']);
    expect(root.children[0]?.text).toBe('a&amp;<b>c');
  });

  it('accepts a BOM, leading whitespace, comments, processing instructions and a namespace', () => {
    const xml = `\uFEFF \n${DECL}<!-- hi --><?pi data?><R xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com"><A>1</A><!-- c --></R>\n`;
    expect(readDocument(xml, ['R']).children[0]?.text).toBe('1');
  });

  it('normalises a raw CR LF in text to LF, but keeps &#13;', () => {
    const root = readDocument('<R><A>a\r\nb&#13;c</A></R>', ['R']);
    expect(root.children[0]?.text).toBe('a\nb\rc');
  });

  it('renames element names the XML library refuses instead of failing', () => {
    const root = readDocument(
      '<R><constructor>1</constructor><__proto__>2</__proto__><toString>3</toString></R>',
      ['R'],
    );
    expect(root.children.map((c) => c.name)).toEqual(['#constructor', '#__proto__', 'toString']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('hostile and broken bodies each get a typed error', () => {
  it('empty body', () => {
    expect(kindOf(() => parseListPartsResult(''))).toBe('empty');
    expect(kindOf(() => parseListPartsResult('  \r\n\t '))).toBe('empty');
    expect(kindOf(() => parseListPartsResult('\uFEFF'))).toBe('empty');
  });

  it('a body that is not XML at all', () => {
    expect(kindOf(() => parseListPartsResult('{"Status":"OK"}'))).toBe('not-xml');
    expect(kindOf(() => parseListPartsResult('502 Bad Gateway'))).toBe('not-xml');
  });

  it('a non-string argument', () => {
    expect(kindOf(() => parseListPartsResult(42 as unknown as string))).toBe('not-xml');
  });

  it('an HTML error page from a proxy, with or without a doctype', () => {
    const nginx =
      '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
    expect(kindOf(() => parseListPartsResult(nginx))).toBe('html');
    expect(kindOf(() => parseListPartsResult(`<!DOCTYPE html>\n${nginx}`))).toBe('html');
    expect(kindOf(() => parseListPartsResult('<!doctype HTML><HTML><BODY>x</BODY></HTML>'))).toBe(
      'html',
    );
    const error = thrown(() => parseListPartsResult(nginx));
    expect(error).toBeInstanceOf(XmlProtocolError);
    expect((error as XmlProtocolError).excerpt).toContain('502 Bad Gateway');
  });

  it('a DOCTYPE is refused before parsing', () => {
    const xml = `${DECL}<!DOCTYPE ListPartsResult [<!ENTITY x "y">]><ListPartsResult><Key>&x;</Key></ListPartsResult>`;
    expect(kindOf(() => parseListPartsResult(xml))).toBe('doctype');
  });

  it('billion laughs: refused as a DOCTYPE, nothing is expanded', () => {
    const entities = ['<!ENTITY lol0 "lol">'];
    for (let i = 1; i < 10; i += 1) {
      entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
    }
    const xml = `${DECL}<!DOCTYPE lolz [${entities.join('')}]><ListPartsResult><Key>&lol9;</Key></ListPartsResult>`;
    expect(kindOf(() => parseListPartsResult(xml))).toBe('doctype');
  });

  it('an entity declaration without a DOCTYPE, and external entities, are refused too', () => {
    expect(
      kindOf(() =>
        parseListPartsResult('<!ENTITY x SYSTEM "file:///etc/passwd"><ListPartsResult/>'),
      ),
    ).toBe('doctype');
    const xxe = `${DECL}<!DOCTYPE r SYSTEM "http://example.invalid/x.dtd"><ListPartsResult/>`;
    expect(kindOf(() => parseListPartsResult(xxe))).toBe('doctype');
  });

  it('an undeclared entity reference makes the body not well-formed', () => {
    expect(
      kindOf(() => parseListPartsResult('<ListPartsResult><Key>&lol9;</Key></ListPartsResult>')),
    ).toBe('not-xml');
    expect(
      kindOf(() => parseListPartsResult('<ListPartsResult><Key>&nbsp;</Key></ListPartsResult>')),
    ).toBe('not-xml');
    expect(
      kindOf(() => parseListPartsResult('<ListPartsResult><Key>&#0;</Key></ListPartsResult>')),
    ).toBe('not-xml');
    expect(
      kindOf(() => parseListPartsResult('<ListPartsResult><Key>&#xD800;</Key></ListPartsResult>')),
    ).toBe('not-xml');
    expect(
      kindOf(() => parseListPartsResult('<ListPartsResult><Key>a & b</Key></ListPartsResult>')),
    ).toBe('not-xml');
  });

  it('a 50 MB body is refused by size before parsing', () => {
    const huge = `<ListPartsResult><Key>${'a'.repeat(50 * 1024 * 1024)}</Key></ListPartsResult>`;
    const error = thrown(() => parseListPartsResult(huge));
    expect(error).toBeInstanceOf(XmlProtocolError);
    expect((error as XmlProtocolError).kind).toBe('too-large');
    expect((error as XmlProtocolError).excerpt.length).toBeLessThan(200);
  });

  it('maxBytes counts UTF-8 bytes, not string length', () => {
    const body = `<ListPartsResult><Key>${'中'.repeat(40)}🙂</Key></ListPartsResult>`;
    const bytes = new TextEncoder().encode(body).length;
    expect(bytes).toBe(46 + 40 * 3 + 4);
    expect(body.length).toBe(46 + 40 + 2);
    expect(kindOf(() => parseListPartsResult(body, { maxBytes: bytes - 1 }))).toBe('too-large');
    expect(kindOf(() => parseListPartsResult(body, { maxBytes: bytes }))).toBe('no error');
  });

  it('deep nesting is refused before parsing', () => {
    const depth = 100_000;
    const xml = `<ListPartsResult>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</ListPartsResult>`;
    expect(kindOf(() => parseListPartsResult(xml))).toBe('too-deep');
    const unclosed = `<ListPartsResult>${'<a>'.repeat(depth)}`;
    expect(kindOf(() => parseListPartsResult(unclosed))).toBe('too-deep');
  });

  it('maxDepth is configurable and self-closing elements do not count', () => {
    const xml = '<ListPartsResult><a><b><c/></b></a></ListPartsResult>';
    expect(kindOf(() => parseListPartsResult(xml, { maxDepth: 3 }))).toBe('no error');
    expect(kindOf(() => parseListPartsResult(xml, { maxDepth: 2 }))).toBe('too-deep');
  });

  it('a truncated body', () => {
    for (const cut of [20, 60, minimalListParts.length - 5, minimalListParts.length - 1]) {
      expect(kindOf(() => parseListPartsResult(minimalListParts.slice(0, cut)))).toBe('not-xml');
    }
  });

  it('mismatched tags, two roots, text after the root', () => {
    expect(
      kindOf(() => parseListPartsResult('<ListPartsResult><Key>a</Bucket></ListPartsResult>')),
    ).toBe('not-xml');
    expect(kindOf(() => parseListPartsResult('<ListPartsResult/><ListPartsResult/>'))).toBe(
      'not-xml',
    );
    expect(kindOf(() => parseListPartsResult('<ListPartsResult/>trailing'))).toBe('not-xml');
    expect(kindOf(() => parseListPartsResult('<ListPartsResult><Key>a</Key>'))).toBe('not-xml');
    expect(kindOf(() => parseListPartsResult('<ListPartsResult></ListPartsResult><X/>'))).toBe(
      'not-xml',
    );
    expect(kindOf(() => parseListPartsResult('<ListPartsResult/> <!-- ok --> <?pi ok?>\n'))).toBe(
      'no error',
    );
  });

  it('the wrong root element, with a hint for OSS error documents', () => {
    const error = thrown(() => parseListPartsResult('<Error><Code>NoSuchUpload</Code></Error>'));
    expect(error).toBeInstanceOf(XmlProtocolError);
    expect((error as XmlProtocolError).kind).toBe('wrong-root');
    expect((error as XmlProtocolError).rootElement).toBe('Error');
    expect((error as XmlProtocolError).message).toContain('parseOssErrorBody');
    expect(kindOf(() => parseListPartsResult('<ListMultipartUploadsResult/>'))).toBe('wrong-root');
    expect(kindOf(() => parseListPartsResult('<oss:ListPartsResult xmlns:oss="x"/>'))).toBe(
      'wrong-root',
    );
  });

  it('unknown elements, attributes and nested unknown structures are ignored', () => {
    const xml = `${DECL}<ListPartsResult a="1"><Bucket>b</Bucket><Key>k</Key><UploadId>u</UploadId><Future x='>'><Deep><Er>1</Er></Deep></Future><IsTruncated>true</IsTruncated><Part><PartNumber>1</PartNumber><ETag>"E"</ETag><Size>5</Size><NewThing>?</NewThing></Part></ListPartsResult>`;
    const result = parseListPartsResult(xml);
    expect(result.isTruncated).toBe(true);
    expect(result.parts).toEqual([{ partNumber: 1, lastModified: '', etag: 'E', size: 5 }]);
  });

  it('many unknown sibling elements stay cheap and are ignored', () => {
    const xml = `<ListPartsResult>${'<X>1</X>'.repeat(100_000)}<Key>k</Key></ListPartsResult>`;
    expect(parseListPartsResult(xml).key).toBe('k');
  });

  it('a flood of tiny elements is refused before parsing (maxElements)', () => {
    const xml = `<ListPartsResult>${'<a/>'.repeat(250_000)}</ListPartsResult>`;
    expect(kindOf(() => parseListPartsResult(xml))).toBe('too-large');
    expect(kindOf(() => parseListPartsResult(xml, { maxElements: 250_001 }))).toBe('no error');
    expect(kindOf(() => parseListPartsResult(xml, { maxElements: 250_000 }))).toBe('too-large');
  });

  it('errors never carry more than a short excerpt, and redact signatures', () => {
    const body = `${DECL}<Error><Code>SignatureDoesNotMatch</Code><SignatureProvided>c2VjcmV0LXNpZ25hdHVyZQ==</SignatureProvided><StringToSign>GET\n\n\n/b/k?security-token=abc</StringToSign>${'x'.repeat(10_000)}`;
    const error = thrown(() => parseOssError(body));
    expect(error).toBeInstanceOf(XmlProtocolError);
    const { excerpt, message } = error as XmlProtocolError;
    expect(excerpt.length).toBeLessThanOrEqual(161);
    expect(excerpt).not.toContain('c2VjcmV0LXNpZ25hdHVyZQ==');
    expect(message).not.toContain('c2VjcmV0LXNpZ25hdHVyZQ==');
    expect(excerpt).toContain('[redacted]');
  });

  it('control characters in the excerpt are escaped', () => {
    const error = thrown(() => parseListPartsResult('\u0001\u0002 not xml'));
    expect((error as XmlProtocolError).excerpt).toBe('\\u0001\\u0002 not xml');
  });
});
