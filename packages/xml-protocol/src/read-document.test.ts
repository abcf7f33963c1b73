import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kindOf, RUNS, restyleXml, thrown, xmlSafeUnit } from '../test/helpers.ts';
import {
  buildCompleteMultipartUpload,
  parseCompleteMultipartUpload,
} from './complete-multipart-upload.ts';
import {
  buildCompleteMultipartUploadResult,
  parseCompleteMultipartUploadResult,
} from './complete-multipart-upload-result.ts';
import { buildCopyPartResult, parseCopyPartResult } from './copy-part-result.ts';
import {
  buildInitiateMultipartUploadResult,
  parseInitiateMultipartUploadResult,
} from './initiate-multipart-upload-result.ts';
import { buildListBucketResult, parseListBucketResult } from './list-bucket-result.ts';
import {
  buildListMultipartUploadsResult,
  parseListMultipartUploadsResult,
} from './list-multipart-uploads-result.ts';
import { buildListPartsResult, parseListPartsResult } from './list-parts-result.ts';
import { buildOssError, parseOssError } from './oss-error-document.ts';
import { readDocument, type XmlElement } from './read-document.ts';
import { XmlProtocolError } from './xml-protocol-error.ts';
import { escapeXmlText } from './xml-text.ts';

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

  it('keeps prototype-looking element names verbatim: they are values, never keys', () => {
    const root = readDocument(
      '<R><constructor>1</constructor><__proto__>2</__proto__><toString>3</toString></R>',
      ['R'],
    );
    expect(root.children.map((c) => c.name)).toEqual(['constructor', '__proto__', 'toString']);
    expect(root.children.map((c) => c.text)).toEqual(['1', '2', '3']);
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

describe('well-formedness: what is refused, and where it is reported', () => {
  const notXml = (xml: string): XmlProtocolError => {
    const error = thrown(() => readDocument(xml, ['R']));
    expect(error).toBeInstanceOf(XmlProtocolError);
    expect((error as XmlProtocolError).kind).toBe('not-xml');
    return error as XmlProtocolError;
  };

  it('names the line, the column and the open elements', () => {
    const error = notXml(`${DECL}\n<R>\n  <Part><PartNumber>1</Part>\n</R>`);
    expect(error.message).toContain('<PartNumber> is closed by </Part>');
    expect(error.message).toContain('line 3, column 22');
    expect(error.element).toBe('R/Part/PartNumber');
  });

  it('says where an undeclared entity is', () => {
    const error = notXml('<R>\n<A>ok &amp; then &nbsp;</A></R>');
    expect(error.message).toContain('&nbsp;');
    expect(error.message).toContain('line 2, column 18');
    expect(error.element).toBe('R/A');
  });

  it('a body that ends early names the element left open', () => {
    const error = notXml('<R><A>1</A><B>');
    expect(error.message).toContain('<B> is not closed');
    expect(error.element).toBe('R/B');
  });

  it('refuses malformed tags and names', () => {
    for (const xml of [
      '<R>< A/></R>',
      '<R><1A/></R>',
      '<R><-a/></R>',
      '<R><A/ ></R>',
      '<R><A></ A></R>',
      '<R><A></A</R>',
      '<R></>',
      '<R><A>x</a></R>',
      '</R>',
      '<R><A></A></B></R>',
      '<R',
    ]) {
      notXml(xml);
    }
  });

  it('checks attribute syntax but ignores the values', () => {
    for (const xml of [
      '<R a=1/>',
      '<R a/>',
      '<R a="1"b="2"/>',
      '<R a="1/>',
      '<R a="<"/>',
      '<R a="&nbsp;"/>',
      '<R "a"/>',
    ]) {
      notXml(xml);
    }
    const root = readDocument(
      `<R xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com" xmlns:x='y' x:a = "&amp;&#60;'>" ><A b="1"\n/></R >`,
      ['R'],
    );
    expect(root.children).toEqual([{ name: 'A', text: '', children: [] }]);
  });

  it('allows the XML declaration only at the start; other processing instructions anywhere', () => {
    expect(kindOf(() => readDocument(`<!-- c -->${DECL}<R/>`, ['R']))).toBe('not-xml');
    expect(kindOf(() => readDocument(`${DECL}${DECL}<R/>`, ['R']))).toBe('not-xml');
    expect(kindOf(() => readDocument(`<R>${DECL}</R>`, ['R']))).toBe('not-xml');
    expect(kindOf(() => readDocument('<R><? x?></R>', ['R']))).toBe('not-xml');
    expect(kindOf(() => readDocument('<R><?pi x', ['R']))).toBe('not-xml');
    expect(readDocument('<?xml-stylesheet href="a"?><R><?x?><?y data?>1</R>', ['R']).text).toBe(
      '1',
    );
  });

  it('refuses text outside the root, CDATA outside the root and unclosed markup', () => {
    for (const xml of [
      `${DECL}junk<R/>`,
      '<R/>junk',
      '<![CDATA[x]]><R/>',
      '<R><![CDATA[x</R>',
      '<R><!-- x</R>',
      '<R><!--></R>',
      `${DECL}<!-- only a comment -->`,
    ]) {
      notXml(xml);
    }
  });

  it('refuses every other markup declaration, wherever it is', () => {
    expect(kindOf(() => readDocument('<R><!ELEMENT R ANY></R>', ['R']))).toBe('doctype');
    expect(kindOf(() => readDocument('<R><![INCLUDE[x]]></R>', ['R']))).toBe('doctype');
    expect(kindOf(() => readDocument('<R/><!DOCTYPE R>', ['R']))).toBe('doctype');
  });
});

describe('readDocument: text, names and nesting', () => {
  it('keeps whitespace between child elements in the parent text', () => {
    const root = readDocument('<R>\n  <A>1</A>\n  <B/>\n</R>', ['R']);
    expect(root.text).toBe('\n  \n  \n');
    expect(root.children.map((c) => c.text)).toEqual(['1', '']);
  });

  it('joins text, CDATA and references around comments and processing instructions', () => {
    const root = readDocument('<R>a<![CDATA[<b>]]>c<!-- x -->d<?p?>&#x65;<A/>f</R>', ['R']);
    expect(root.text).toBe('a<b>cdef');
  });

  it('normalises line ends inside CDATA too', () => {
    expect(readDocument('<R><![CDATA[a\r\nb\rc]]></R>', ['R']).text).toBe('a\nb\nc');
    expect(readDocument('<R>a\r\rb</R>', ['R']).text).toBe('a\n\nb');
  });

  it('accepts any XML name, prefixes and non-ASCII letters included', () => {
    const root = readDocument('<R><oss:Key>1</oss:Key><a.b-c_d>2</a.b-c_d><中文>3</中文></R>', [
      'R',
    ]);
    expect(root.children.map((c) => c.name)).toEqual(['oss:Key', 'a.b-c_d', '中文']);
  });

  it('counts only elements that are open towards the depth limit', () => {
    const siblings = `<R>${'<a><b/></a>'.repeat(50)}</R>`;
    expect(kindOf(() => readDocument(siblings, ['R'], { maxDepth: 2 }))).toBe('no error');
    expect(kindOf(() => readDocument(siblings, ['R'], { maxDepth: 1 }))).toBe('too-deep');
  });

  it('counts every element, self-closing or not, towards the element limit', () => {
    const xml = '<R><a/><b></b><c><d/></c></R>';
    expect(kindOf(() => readDocument(xml, ['R'], { maxElements: 5 }))).toBe('no error');
    expect(kindOf(() => readDocument(xml, ['R'], { maxElements: 4 }))).toBe('too-large');
  });

  it('stays linear on long text and long runs of markup', () => {
    const text = `<R><A>${'x&amp;'.repeat(200_000)}</A></R>`;
    expect(readDocument(text, ['R']).children[0]?.text).toHaveLength(400_000);
    const comments = `<R>${'<!-- c -->'.repeat(100_000)}</R>`;
    expect(readDocument(comments, ['R']).text).toBe('');
  });
});

// ---- properties -------------------------------------------------------------------------------

interface Tree {
  name: string;
  /** Text before the first child, then after each child. */
  texts: string[];
  children: Tree[];
}

const treeName = fc.constantFrom(
  'R',
  'Key',
  'a',
  'oss:Part',
  'x.y-z',
  '_1',
  'é',
  '中文',
  'constructor',
  '__proto__',
);
const treeText = fc.string({ unit: xmlSafeUnit, maxLength: 6 });
const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { maxDepth: 4, depthIdentifier: 'tree' },
    fc.record({ name: treeName, text: treeText }).map(({ name, text }) => ({
      name,
      texts: [text],
      children: [],
    })),
    fc
      .record({
        name: treeName,
        first: treeText,
        children: fc.array(fc.tuple(tie('tree'), treeText), { maxLength: 3 }),
      })
      .map(({ name, first, children }) => ({
        name,
        texts: [first, ...children.map(([, text]) => text)],
        children: children.map(([child]) => child),
      })),
  ),
}));

function writeTree(node: Tree): string {
  let out = `<${node.name}>${escapeXmlText(node.texts[0] ?? '')}`;
  node.children.forEach((child, index) => {
    out += writeTree(child) + escapeXmlText(node.texts[index + 1] ?? '');
  });
  return `${out}</${node.name}>`;
}

function expected(node: Tree): XmlElement {
  return { name: node.name, text: node.texts.join(''), children: node.children.map(expected) };
}

const choices = fc.array(fc.nat(), { minLength: 1, maxLength: 40 });

describe('readDocument properties', () => {
  it('any element tree, written in any of the equivalent ways XML allows, reads back the same', () => {
    fc.assert(
      fc.property(tree, choices, fc.boolean(), (node, tape, declaration) => {
        const xml = restyleXml(`${declaration ? DECL : ''}${writeTree(node)}`, tape);
        expect(readDocument(xml, [node.name])).toEqual(expected(node));
      }),
      RUNS,
    );
  });

  it('random text, bytes and damaged documents give a tree or an XmlProtocolError, nothing else', () => {
    const tokens = [
      '<',
      '>',
      '</',
      '/>',
      DECL,
      '<!DOCTYPE R>',
      '<!ENTITY e "x">',
      '&e;',
      '&amp;',
      '&#0;',
      '&#xD800;',
      '<![CDATA[',
      ']]>',
      '<!--',
      '-->',
      '<?',
      '?>',
      '"',
      "'",
      '=',
      ' ',
      '\r\n',
      '\u0000',
      '\uD800',
      '<R>',
      '</R>',
      '<A>',
      '</A>',
      '<R a="1">',
    ];
    const damaged = fc
      .tuple(
        tree.map((node) => `${DECL}${writeTree({ ...node, name: 'R' })}`),
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.nat({ max: 8 }),
            fc.oneof(fc.constantFrom(...tokens), fc.string({ unit: 'binary', maxLength: 4 })),
          ),
          { minLength: 1, maxLength: 5 },
        ),
      )
      .map(([xml, edits]) => {
        let out = xml;
        for (const [at, cut, insert] of edits) {
          const i = at % (out.length + 1);
          out = out.slice(0, i) + insert + out.slice(i + cut);
        }
        return out;
      });
    const input = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.uint8Array({ maxLength: 120 }).map((bytes) => new TextDecoder().decode(bytes)),
      fc.array(fc.constantFrom(...tokens), { maxLength: 30 }).map((parts) => parts.join('')),
      damaged,
    );
    fc.assert(
      fc.property(input, (xml) => {
        const error = thrown(() => readDocument(xml, ['R'], { maxDepth: 4, maxElements: 20 }));
        if (error !== undefined && !(error instanceof XmlProtocolError)) throw error;
      }),
      { numRuns: 1000 },
    );
  });
});

describe('every OSS document reads back the same however it is written', () => {
  const tricky = ['007', '  padded  ', 'a&b<c>d"e\'f', 'line\r\nbreak', '中文/🙂', ']]>', ''];
  const owner = { id: '0022012****', displayName: 'user & co' };
  const documents: [string, (xml: string) => unknown, string, unknown][] = [];
  const add = <T>(name: string, build: (value: T) => string, parse: (xml: string) => T, value: T) =>
    documents.push([name, parse as (xml: string) => unknown, build(value), value]);

  for (const key of tricky.filter((k) => k !== '')) {
    add(
      'InitiateMultipartUploadResult',
      buildInitiateMultipartUploadResult,
      parseInitiateMultipartUploadResult,
      {
        bucket: 'b',
        key,
        uploadId: '0004B9894A22E5B1888A1E29F823****',
      },
    );
    add(
      'CompleteMultipartUploadResult',
      buildCompleteMultipartUploadResult,
      parseCompleteMultipartUploadResult,
      {
        encodingType: 'url',
        location: 'http://b.oss-cn-hangzhou.aliyuncs.com/k',
        bucket: 'b',
        key: `${key}\u000c`,
        etag: 'B864DB6A936D376F9F8D3ED3BBE5****-3',
      },
    );
  }
  add('CompleteMultipartUpload', buildCompleteMultipartUpload, parseCompleteMultipartUpload, {
    parts: [
      { partNumber: 1, etag: '8EFDA8BE206636A695359836FE0A****' },
      { partNumber: 10_000, etag: '8C315065167132444177411FDA14****' },
    ],
  });
  add('CopyPartResult', buildCopyPartResult, parseCopyPartResult, {
    lastModified: '2014-07-17T06:27:54.000Z',
    etag: '5B3C1A2E053D763E1B002CC607C5****',
  });
  add('ListPartsResult', buildListPartsResult, parseListPartsResult, {
    bucket: 'b',
    key: tricky[2] ?? '',
    uploadId: 'U',
    initiator: owner,
    owner,
    storageClass: 'Standard',
    partNumberMarker: 0,
    nextPartNumberMarker: 2,
    maxParts: 1000,
    isTruncated: true,
    parts: [1, 2].map((partNumber) => ({
      partNumber,
      lastModified: '2023-11-22T05:42:34.000Z',
      etag: 'CF3F46D505093571E916FCDD4967ABCD',
      hashCrc64ecma: 12066172435287683848n,
      size: 96316,
    })),
  });
  add(
    'ListMultipartUploadsResult',
    buildListMultipartUploadsResult,
    parseListMultipartUploadsResult,
    {
      bucket: 'b',
      keyMarker: tricky[1] ?? '',
      uploadIdMarker: '',
      nextKeyMarker: tricky[3] ?? '',
      nextUploadIdMarker: 'N',
      delimiter: '/',
      prefix: '',
      maxUploads: 1000,
      isTruncated: false,
      uploads: tricky
        .filter((k) => k !== '')
        .map((key) => ({
          key,
          uploadId: 'U',
          storageClass: 'Standard',
          initiated: '2023-11-22T05:45:57.000Z',
          initiator: owner,
        })),
      commonPrefixes: ['dir/', ' sp ace/'],
    },
  );
  add('ListBucketResult', buildListBucketResult, parseListBucketResult, {
    listType: 2,
    encodingType: 'url',
    name: 'b',
    prefix: 'a b/',
    startAfter: tricky[5] ?? '',
    continuationToken: 'CgJiYw--',
    nextContinuationToken: '',
    maxKeys: 100,
    keyCount: 2,
    delimiter: '/',
    isTruncated: false,
    contents: tricky.slice(0, 2).map((key) => ({
      key: `${key}\u0001`,
      lastModified: '2012-02-24T08:42:32.000Z',
      etag: '5B3C1A2E053D763E1B002CC607C5A0FE1****',
      type: 'Normal',
      size: 344606,
      storageClass: 'Standard',
      owner,
    })),
    commonPrefixes: ['d/'],
  });
  add('Error', buildOssError, parseOssError, {
    code: 'SignatureDoesNotMatch',
    message: 'The request signature we calculated does not match the signature you provided.',
    requestId: '5C3D9778CC1C2AEDF85B****',
    hostId: 'b.oss-cn-hangzhou.aliyuncs.com',
    ossAccessKeyId: 'LTAI****',
    stringToSign: 'PUT\n\n\n  spaces kept  \n/b/k',
    ec: '0002-00000040',
    extra: { Detail: 'x & y' },
  });

  it('covers every document type', () => {
    expect(new Set(documents.map(([name]) => name)).size).toBe(8);
  });

  documents.forEach(([name, parse, xml, value], index) => {
    it(`${name} (#${index}): whitespace, comments, attributes, CDATA and references change nothing`, () => {
      expect(parse(xml)).toEqual(value);
      fc.assert(
        fc.property(choices, (tape) => {
          expect(parse(restyleXml(xml, tape, { whitespace: true }))).toEqual(value);
        }),
        { numRuns: 60 },
      );
    });
  });
});
