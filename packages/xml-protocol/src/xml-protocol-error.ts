/**
 * What went wrong, as a stable string a caller can switch on.
 *
 * Parse side:
 * - `'empty'`: the body is empty or only whitespace (e.g. a HEAD response, or a proxy that
 *   dropped the body).
 * - `'not-xml'`: not well-formed XML: truncated, mismatched tags, text instead of markup,
 *   an undeclared entity such as `&nbsp;`, a JSON callback body.
 * - `'html'`: an HTML page (a proxy, load balancer or captive portal answered instead of OSS).
 * - `'doctype'`: the body carries a DOCTYPE or other markup declaration. OSS never sends
 *   one; it is refused before parsing so no entity is ever expanded ("billion laughs").
 * - `'too-large'`: the body is over the `maxBytes` limit; refused before parsing.
 * - `'too-deep'`: elements nest deeper than the `maxDepth` limit; refused before parsing.
 * - `'wrong-root'`: well-formed XML whose root element is not the expected one (often an
 *   `<Error>` document: hand the body to `parseOssErrorBody`).
 * - `'missing-element'`: a required element is absent (see each parser's doc comment).
 * - `'invalid-value'`: an element holds a value of the wrong shape (a size that is not a
 *   safe integer, a CRC-64 over 2^64-1, a bad percent-escape under `encoding-type=url`), or a
 *   builder was given such a value.
 *
 * Build side:
 * - `'needs-url-encoding'`: a builder was asked to write an object name (or prefix, marker,
 *   delimiter) holding a character XML 1.0 cannot carry (a control character such as U+000C)
 *   without `encodingType: 'url'`.
 */
export type XmlProtocolErrorKind =
  | 'empty'
  | 'not-xml'
  | 'html'
  | 'doctype'
  | 'too-large'
  | 'too-deep'
  | 'wrong-root'
  | 'missing-element'
  | 'invalid-value'
  | 'needs-url-encoding';

/** Optional details for {@link XmlProtocolError}. */
export interface XmlProtocolErrorOptions {
  /** Short, sanitised start of the offending body or value (see {@link XmlProtocolError.excerpt}). */
  excerpt?: string;
  /** Path of the element concerned, e.g. `ListPartsResult/Part/Size`. */
  element?: string;
  /** The root element actually found (set for `'wrong-root'`). */
  rootElement?: string;
  /** The underlying error, if any (e.g. the XML validator's complaint). */
  cause?: unknown;
}

/**
 * The one error class of this package: every parser and builder throws only this (never a
 * bare `Error` from the XML library), so a caller can map a bad body to a clear failure.
 *
 * ```ts
 * try {
 *   parseListPartsResult(text);
 * } catch (error) {
 *   if (error instanceof XmlProtocolError && error.kind === 'wrong-root') {
 *     const oss = parseOssErrorBody(text); // maybe an OSS <Error> document
 *   }
 *   throw error;
 * }
 * ```
 *
 * The message says what is wrong and what to do; it never includes more of the body than
 * {@link XmlProtocolError.excerpt}, which has signatures and tokens redacted.
 */
export class XmlProtocolError extends Error {
  /** Always `'XmlProtocolError'`, so `error.name` identifies it in logs. */
  override readonly name = 'XmlProtocolError';
  /** What went wrong; see {@link XmlProtocolErrorKind}. */
  readonly kind: XmlProtocolErrorKind;
  /**
   * At most about 160 characters from the start of the body (or of the offending value),
   * with control characters escaped and anything that looks like a signature, security
   * token or string-to-sign replaced by `[redacted]`. Empty when there is nothing to show.
   */
  readonly excerpt: string;
  /** Path of the element concerned, e.g. `ListPartsResult/Part/Size`, when known. */
  readonly element: string | undefined;
  /** Root element actually found, for `'wrong-root'` (and `'html'` when it was `<html>`). */
  readonly rootElement: string | undefined;

  /**
   * @param kind - what went wrong
   * @param message - what is wrong and what to do about it
   * @param options - excerpt, element path, root element, cause
   */
  constructor(kind: XmlProtocolErrorKind, message: string, options: XmlProtocolErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.excerpt = options.excerpt ?? '';
    this.element = options.element;
    this.rootElement = options.rootElement;
  }
}
