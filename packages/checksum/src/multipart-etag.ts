import { toHex } from './encoding.ts';
import { ChecksumFormatError } from './errors.ts';
import { type Md5Options, md5 } from './md5.ts';

/**
 * The ETag OSS gives a part or a single-request object: the upper-case hex MD5 of its bytes,
 * in double quotes, e.g. `"4DE8075FB607DF4D13FBC480EA488EFA"`. Useful to a server emulating OSS
 * and to a client checking an UploadPart response against the MD5 it computed.
 *
 * @param md5Digest - the 16-byte MD5 digest of the part
 * @throws TypeError if it is not a 16-byte Uint8Array
 */
export function partEtag(md5Digest: Uint8Array): string {
  if (!(md5Digest instanceof Uint8Array) || md5Digest.length !== 16) {
    throw new TypeError('partEtag() needs the 16-byte MD5 digest of the part as a Uint8Array.');
  }
  return `"${toHex(md5Digest, { upperCase: true })}"`;
}

/**
 * Computes the ETag OSS gives an object made by CompleteMultipartUpload (oss-protocol §5.2):
 *
 * ```text
 * '"' + UPPER_HEX(MD5(ASCII(concat(part ETags as 32 upper-case hex digits)))) + '-' + N + '"'
 * ```
 *
 * Unlike S3, OSS hashes the concatenated hex strings, not the binary digests. The result
 * includes the surrounding double quotes, exactly as the service sends it in the `ETag` header
 * and in `<ETag>` of the Complete response (once XML entities are decoded), e.g.
 * `"1C787C506EABFB9B45EAAA8DB039F4B2-2"`.
 *
 * A multipart ETag is not an MD5 of the content: use CRC-64 (`combineCrc64Parts`) to check the
 * data; this is for matching what the service reports and for emulating it.
 *
 * @param partMd5s - one entry per part listed in the Complete request, in that order: the part's
 *   ETag as text (quoted or not, either case; it is upper-cased) or its 16-byte MD5 digest
 * @param options - which MD5 implementation to use; see {@link Md5Options}
 * @returns the quoted multipart ETag, `"HEX-N"`
 * @throws RangeError if the list is empty (OSS has no ETag for a Complete without parts; what
 *   it answers for one is UNVERIFIED)
 * @throws ChecksumFormatError (a RangeError) if a text entry is not 32 hex digits
 * @throws TypeError if an entry is neither a string nor a 16-byte Uint8Array
 */
export async function multipartEtag(
  partMd5s: readonly (string | Uint8Array)[],
  options: Md5Options = {},
): Promise<string> {
  if (partMd5s.length === 0) {
    throw new RangeError('multipartEtag() needs at least one part ETag.');
  }
  let concatenated = '';
  for (const part of partMd5s) concatenated += normalizePartEtag(part);
  const digest = await md5(new TextEncoder().encode(concatenated), options);
  return `"${toHex(digest, { upperCase: true })}-${partMd5s.length}"`;
}

function normalizePartEtag(part: string | Uint8Array): string {
  if (part instanceof Uint8Array) {
    if (part.length !== 16) {
      throw new TypeError(`A part MD5 digest must be 16 bytes, got ${part.length}.`);
    }
    return toHex(part, { upperCase: true });
  }
  if (typeof part !== 'string') {
    throw new TypeError(
      `A part ETag must be a string or a 16-byte Uint8Array, got ${part === null ? 'null' : typeof part}.`,
    );
  }
  const unquoted =
    part.length >= 2 && part.startsWith('"') && part.endsWith('"') ? part.slice(1, -1) : part;
  if (!/^[0-9a-fA-F]{32}$/.test(unquoted)) {
    throw new ChecksumFormatError(
      'etag',
      part,
      'a part ETag must be 32 hex digits (the MD5 of the part), optionally in double quotes',
    );
  }
  // Assumption (UNVERIFIED, oss-protocol §9): OSS treats part ETags case-insensitively in
  // Complete; they are upper-case on the wire, so upper-casing matches what it hashes.
  return unquoted.toUpperCase();
}
