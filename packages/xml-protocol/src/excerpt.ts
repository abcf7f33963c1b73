const EXCERPT_CHARS = 160;
// Redaction runs on a window a little wider than the excerpt so that a secret straddling the
// cut is still recognised; the window keeps the regexes' work bounded whatever the body size.
const WINDOW_CHARS = 1024;

// Elements of an OSS/S3 SignatureDoesNotMatch body (and STS documents) that echo what the
// caller signed or a credential. The string to sign is not secret by itself but it can carry
// a security token, so it goes too.
const SECRET_ELEMENT =
  /<(SignatureProvided|Signature|StringToSign|StringToSignBytes|CanonicalRequest|CanonicalRequestBytes|SecurityToken|AccessKeySecret|SecretAccessKey|SessionToken)>[^<]*/gi;
// Query-string and header-style credentials (presigned URLs echoed in an HTML error page).
const SECRET_PARAM =
  /\b(Signature|x-oss-signature|security-token|x-oss-security-token|OSSAccessKeyId|x-oss-credential)=[^&\s"'<>]*/gi;
const V1_AUTHORIZATION = /\b(OSS\s+[A-Za-z0-9._-]+:)[A-Za-z0-9+/=]+/g;

/**
 * A short, safe preview of a body or value for an error: redacted, control characters
 * escaped, never more than {@link EXCERPT_CHARS} characters (plus an ellipsis).
 */
export function makeExcerpt(text: string): string {
  let window = text.length > WINDOW_CHARS ? text.slice(0, WINDOW_CHARS) : text;
  window = window
    .replace(SECRET_ELEMENT, '<$1>[redacted]')
    .replace(SECRET_PARAM, '$1=[redacted]')
    .replace(V1_AUTHORIZATION, '$1[redacted]');
  let out = '';
  let count = 0;
  for (const ch of window) {
    if (count >= EXCERPT_CHARS) {
      return `${out}…`;
    }
    out += escapeForDisplay(ch);
    count += 1;
  }
  return text.length > WINDOW_CHARS ? `${out}…` : out;
}

function escapeForDisplay(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (ch === '\n' || ch === '\r' || ch === '\t') {
    return ' ';
  }
  if (
    code < 0x20 ||
    code === 0x7f ||
    (code >= 0xd800 && code <= 0xdfff) ||
    code === 0xfffe ||
    code === 0xffff
  ) {
    return `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return ch;
}
