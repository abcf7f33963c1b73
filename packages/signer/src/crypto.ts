// Thin WebCrypto helpers, so the package runs unchanged in browsers, Node >= 20, Deno and
// Bun; SHA-256 and HMAC take node:crypto's faster path where the runtime has it.

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

/** The sliver of node:crypto used here. */
interface NodeCrypto {
  createHash(algorithm: 'sha256'): {
    update(data: string, encoding: 'utf8'): { digest(encoding: 'hex'): string };
  };
  createHmac(
    algorithm: 'sha1' | 'sha256',
    key: NodeKeyObject,
  ): { update(data: string, encoding: 'utf8'): { digest(): Uint8Array } };
  createSecretKey(key: Uint8Array): NodeKeyObject;
}
/** node:crypto's handle on key material (opaque here). */
type NodeKeyObject = object;

let nodeCryptoModule: NodeCrypto | null | undefined;

/**
 * node:crypto where the runtime has it (Node >= 20.16, Bun, Deno), reached without importing
 * `node:` so the package still loads in browsers. Signing hashes a few hundred bytes per
 * request: node:crypto does that in microseconds, while every `crypto.subtle` call is a trip
 * through a thread pool (measured ~0.2 ms; through it, SHA-256 cost about 4% of the client
 * CPU of a 1 GiB upload in 8 MiB parts, and HMAC about 2% more, within the noise alone).
 */
function nodeCrypto(): NodeCrypto | null {
  if (nodeCryptoModule !== undefined) return nodeCryptoModule;
  nodeCryptoModule = null;
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
      .process;
    const mod = proc?.getBuiltinModule?.('node:crypto') as Partial<NodeCrypto> | undefined;
    if (typeof mod?.createHash === 'function') nodeCryptoModule = mod as NodeCrypto;
  } catch {
    // No usable node:crypto: WebCrypto it is.
  }
  return nodeCryptoModule;
}

/** Lower-case hex SHA-256 of the UTF-8 bytes of `value`. */
export async function sha256Hex(value: string): Promise<string> {
  const node = nodeCrypto();
  if (node !== null) return node.createHash('sha256').update(value, 'utf8').digest('hex');
  return toHex(await crypto.subtle.digest('SHA-256', utf8(value)));
}

// node:crypto's copy of each key imported here, made from the same bytes, with its hash. It
// lives only in this map, keyed weakly by the CryptoKey: nothing hands it out, so the key
// material stays as unreadable to callers as the non-extractable CryptoKey. (Asking node:crypto
// to take the CryptoKey itself, `KeyObject.from`, is deprecated for non-extractable keys.)
// CryptoKeys imported elsewhere (a caller's own) are signed with through WebCrypto.
const nodeKeys = new WeakMap<CryptoKey, { key: NodeKeyObject; hash: 'sha1' | 'sha256' }>();

/**
 * Imports raw key bytes as a non-extractable HMAC key: once imported, the key material
 * cannot be read back out of the CryptoKey.
 */
export async function importHmacKey(
  raw: Uint8Array<ArrayBuffer>,
  hash: 'SHA-1' | 'SHA-256',
): Promise<CryptoKey> {
  const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash }, false, ['sign']);
  const node = nodeCrypto();
  if (typeof node?.createHmac === 'function' && typeof node.createSecretKey === 'function') {
    try {
      nodeKeys.set(key, {
        key: node.createSecretKey(raw),
        hash: hash === 'SHA-1' ? 'sha1' : 'sha256',
      });
    } catch {
      // This key is signed with through WebCrypto.
    }
  }
  return key;
}

/**
 * HMAC through node:crypto's copy of `key`, or `undefined` where it has none, or where signing
 * with it fails: the copy is then dropped, and the key signs through WebCrypto from then on.
 * `node` is the node:crypto module to use (tests pass one that fails).
 */
export function nodeHmac(
  key: CryptoKey,
  message: string,
  node: Pick<NodeCrypto, 'createHmac'> | null = nodeCrypto(),
): Uint8Array<ArrayBuffer> | undefined {
  const nodeKey = nodeKeys.get(key);
  if (nodeKey === undefined || node === null) return undefined;
  try {
    return new Uint8Array(
      node.createHmac(nodeKey.hash, nodeKey.key).update(message, 'utf8').digest(),
    );
  } catch {
    nodeKeys.delete(key);
    return undefined;
  }
}

/** HMAC of the UTF-8 bytes of `message`. */
export async function hmac(key: CryptoKey, message: string): Promise<Uint8Array<ArrayBuffer>> {
  return (
    nodeHmac(key, message) ?? new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8(message)))
  );
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
