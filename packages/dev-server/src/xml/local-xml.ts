// A tiny XML writer for the few documents @ossup/xml-protocol does not cover (they are not
// part of the multipart protocol): ListAllMyBucketsResult, BucketInfo, LocationConstraint,
// CopyObjectResult. Text is escaped; characters XML 1.0 cannot carry become U+FFFD (these
// documents hold bucket names, dates and ETags only).

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

const ILLEGAL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the characters XML forbids
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text content. */
export function escapeText(value: string): string {
  return value
    .replace(ILLEGAL, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A node: `[name, text]` leaf or `[name, children]` container. */
export type XmlNode = readonly [string, string | readonly XmlNode[]];

function render(node: XmlNode): string {
  const [name, content] = node;
  if (typeof content === 'string') return `<${name}>${escapeText(content)}</${name}>`;
  return `<${name}>${content.map(render).join('')}</${name}>`;
}

/** Renders a document with the XML declaration. */
export function renderDocument(root: XmlNode): string {
  return DECLARATION + render(root);
}
