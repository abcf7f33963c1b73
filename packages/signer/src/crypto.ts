// Thin WebCrypto helpers, so the package runs unchanged in browsers, Node >= 20, Deno and
// Bun; SHA-256 takes node:crypto's faster path where the runtime has it.

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8(value: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(value) as Uint8Array<ArrayBuffer>;
}

/** Lower-case hex of bytes. */
export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = '';
  for (const byte of view) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Standard Base64 (with padding) of bytes. */
export function toBase64(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  for (const byte of view) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The sliver of node:crypto's `createHash` used here. */
type NodeSha256 = (algorithm: 'sha256') => {
  update(data: string, encoding: 'utf8'): { digest(encoding: 'hex'): string };
};

let nodeSha256: NodeSha256 | null | undefined;

/**
 * node:crypto's `createHash` where the runtime has one (Node >= 20.16, Bun, Deno), reached
 * without importing `node:` so the package still loads in browsers. Signing hashes a few
 * hundred bytes per request: node:crypto does that in microseconds, while every
 * `crypto.subtle.digest` call is a trip through a thread pool (measured ~0.2 ms, about 4% of
 * the CPU of a 1 GiB upload in 8 MiB parts).
 */
function nodeHasher(): NodeSha256 | null {
  if (nodeSha256 !== undefined) return nodeSha256;
  nodeSha256 = null;
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
      .process;
    const nodeCrypto = proc?.getBuiltinModule?.('node:crypto') as
      | { createHash?: NodeSha256 }
      | undefined;
    if (typeof nodeCrypto?.createHash === 'function') {
      nodeSha256 = nodeCrypto.createHash.bind(nodeCrypto);
    }
  } catch {
    // No usable node:crypto: WebCrypto it is.
  }
  return nodeSha256;
}

/** Lower-case hex SHA-256 of the UTF-8 bytes of `value`. */
export async function sha256Hex(value: string): Promise<string> {
  const createHash = nodeHasher();
  if (createHash !== null) return createHash('sha256').update(value, 'utf8').digest('hex');
  return toHex(await crypto.subtle.digest('SHA-256', utf8(value)));
}

/**
 * Imports raw key bytes as a non-extractable HMAC key: once imported, the key material
 * cannot be read back out of the CryptoKey.
 */
export function importHmacKey(
  raw: Uint8Array<ArrayBuffer>,
  hash: 'SHA-1' | 'SHA-256',
): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash }, false, ['sign']);
}

/** HMAC of the UTF-8 bytes of `message`. */
export async function hmac(key: CryptoKey, message: string): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8(message)));
}

/**
 * Compares two strings without an early exit, so the time taken does not reveal how many
 * leading characters of a guessed signature were right. Only the length may leak.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = utf8(a);
  const y = utf8(b);
  let diff = x.length ^ y.length;
  const length = Math.max(x.length, y.length);
  for (let i = 0; i < length; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
