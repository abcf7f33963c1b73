import { makeExcerpt } from './excerpt.ts';
import { XmlProtocolError } from './xml-protocol-error.ts';

/**
 * Percent-encodes a value the way `encoding-type=url` bodies carry object names: the RFC 3986
 * unreserved characters `A–Z a–z 0–9 - _ . ~` stay raw, every other byte of the UTF-8 form
 * becomes `%XX` with upper-case hex. So `/` becomes `%2F` (the real service does this:
 * `demo/gp-\f\n\v` is returned as `demo%2Fgp-%0C%0A%0B`, protocol §4.0), space becomes `%20`
 * and `+` becomes `%2B`, which both decoders in the wild (`+` as space, and `+` as plus)
 * read back correctly.
 *
 * Unlike `encodeURIComponent`, it also encodes `! ' ( ) *`.
 *
 * @throws XmlProtocolError kind `'invalid-value'` if the string holds a lone surrogate
 *   (it has no UTF-8 form, so it cannot be an object name).
 */
export function percentEncode(value: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch (cause) {
    throw new XmlProtocolError(
      'invalid-value',
      'The value holds a lone UTF-16 surrogate, which has no UTF-8 form; pass a well-formed string.',
      { excerpt: makeExcerpt(value), cause },
    );
  }
  return encoded.replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Decodes a value written under `encoding-type=url`: `%XX` escapes are UTF-8 bytes, and `+`
 * is read as a space.
 *
 * UNVERIFIED (protocol §4.0): whether the real service ever writes `+` for a space. The Go
 * (`QueryUnescape`) and Java (`URLDecoder`) SDKs read `+` as a space, oss2 keeps it as `+`.
 * We follow the Go/Java SDKs: that is right whenever the service escapes a literal `+` as
 * `%2B` (which {@link percentEncode}, and so our dev server, always does).
 *
 * @throws XmlProtocolError kind `'invalid-value'` for a malformed escape (`%`, `%G1`) or
 *   escapes that are not valid UTF-8.
 */
export function percentDecode(value: string): string {
  if (value.indexOf('%') === -1 && value.indexOf('+') === -1) return value;
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch (cause) {
    throw new XmlProtocolError(
      'invalid-value',
      'A URL-encoded value (encoding-type=url) has a malformed percent-escape or is not UTF-8; the server sent a broken body.',
      { excerpt: makeExcerpt(value), cause },
    );
  }
}
