/**
 * Normalises an ETag to the bare form this package stores in every model: surrounding
 * whitespace removed, `&quot;` / `&#34;` / `&#x22;` turned into `"` (for values copied out
 * of raw XML), then one leading and one trailing double quote stripped. Case is kept: OSS
 * writes upper-case hex; compare case-insensitively if you must (protocol §4.4).
 *
 * Use it on `ETag` response headers too, so header and XML values compare equal:
 *
 * ```ts
 * normalizeEtag('"7265F4D211B56873A381D321F586ABCD"'); // '7265F4D211B56873A381D321F586ABCD'
 * normalizeEtag('&quot;097DE458AD02B5F89F9D0530231876AB-3&quot;'); // '097DE458AD02B5F89F9D0530231876AB-3'
 * normalizeEtag('7265F4D211B56873A381D321F586ABCD'); // unchanged
 * ```
 */
export function normalizeEtag(etag: string): string {
  let value = etag.trim();
  if (value.indexOf('&') !== -1) {
    value = value.replace(/&quot;|&#34;|&#x22;/gi, '"');
  }
  if (value.startsWith('"')) value = value.slice(1);
  if (value.endsWith('"')) value = value.slice(0, -1);
  return value;
}

/**
 * The wire form of an ETag, exactly as OSS writes it in headers and XML: the bare value
 * wrapped in double quotes (`"7265F4D2…"`). Accepts a bare or already-quoted value.
 */
export function formatEtag(etag: string): string {
  return `"${normalizeEtag(etag)}"`;
}
