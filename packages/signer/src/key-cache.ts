import { hmac, importHmacKey, sha256Hex, utf8 } from './crypto.ts';

/** Options of {@link createSigningKeyCache}. */
export interface SigningKeyCacheOptions {
  /**
   * Most keys kept; the least recently used is dropped first. A signer needs one V1 key, or
   * one V4 key per day and region, per secret. Default 16.
   */
  maxEntries?: number;
}

/**
 * Caches imported HMAC keys: the V1 HMAC-SHA1 key per secret and the V4 signing key per
 * secret + date + region + product, so that a burst of part uploads derives each key once.
 *
 * The cache never holds or exposes a secret: entries are indexed by a SHA-256 fingerprint
 * of the secret, and the keys are non-extractable `CryptoKey`s. It has no method that lists
 * entries. Create one with {@link createSigningKeyCache}; signers and `verifyRequest` share a
 * small default one when none is given.
 */
export interface SigningKeyCache {
  /** HMAC-SHA1 key of a V1 secret. */
  v1Key(accessKeySecret: string): Promise<CryptoKey>;
  /** V4 signing key (`kSigning`) for a scope. */
  v4Key(
    accessKeySecret: string,
    dateStamp: string,
    region: string,
    product: string,
  ): Promise<CryptoKey>;
  /** Number of cached keys (for tests and diagnostics). */
  readonly size: number;
  /** Drops every cached key. */
  clear(): void;
}

const V4_PREFIX = 'aliyun_v4';
const V4_TERMINATOR = 'aliyun_v4_request';

/**
 * Derives the V4 signing key bytes (`kSigning`):
 * `HMAC(HMAC(HMAC(HMAC("aliyun_v4" + secret, date), region), product), "aliyun_v4_request")`.
 * Pure and uncached; signers use the cached, non-extractable form internally.
 *
 * @param dateStamp - `YYYYMMDD`, the first 8 characters of `x-oss-date`.
 * @param product - `'oss'`, or `'oss-cloudbox'` for OSS on CloudBox.
 */
export async function deriveSigningKeyV4(
  accessKeySecret: string,
  dateStamp: string,
  region: string,
  product: string,
): Promise<Uint8Array> {
  let key = utf8(V4_PREFIX + accessKeySecret);
  for (const part of [dateStamp, region, product, V4_TERMINATOR]) {
    key = await hmac(await importHmacKey(key, 'SHA-256'), part);
  }
  return key;
}

// Entries are indexed by a domain-separated digest of the secret so that the cache's own
// data structure never holds the secret (a heap dump or a debugger view of the Map shows
// only hashes and opaque CryptoKeys).
function fingerprint(secret: string): Promise<string> {
  return sha256Hex(`ossup-signer-key-cache\0${secret}`);
}

/** Creates a bounded LRU {@link SigningKeyCache}. */
export function createSigningKeyCache(options: SigningKeyCacheOptions = {}): SigningKeyCache {
  const maxEntries = options.maxEntries ?? 16;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`maxEntries must be a positive integer, got ${String(maxEntries)}.`);
  }
  const entries = new Map<string, Promise<CryptoKey>>();

  const lookup = (id: string, create: () => Promise<CryptoKey>): Promise<CryptoKey> => {
    const hit = entries.get(id);
    if (hit) {
      entries.delete(id);
      entries.set(id, hit);
      return hit;
    }
    const created = create();
    entries.set(id, created);
    // A failed derivation must not stay cached.
    created.catch(() => {
      if (entries.get(id) === created) entries.delete(id);
    });
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next().value as string;
      entries.delete(oldest);
    }
    return created;
  };

  return {
    async v1Key(accessKeySecret) {
      const id = JSON.stringify(['v1', await fingerprint(accessKeySecret)]);
      return lookup(id, () => importHmacKey(utf8(accessKeySecret), 'SHA-1'));
    },
    async v4Key(accessKeySecret, dateStamp, region, product) {
      const id = JSON.stringify([
        'v4',
        await fingerprint(accessKeySecret),
        dateStamp,
        region,
        product,
      ]);
      return lookup(id, async () =>
        importHmacKey(
          (await deriveSigningKeyV4(
            accessKeySecret,
            dateStamp,
            region,
            product,
          )) as Uint8Array<ArrayBuffer>,
          'SHA-256',
        ),
      );
    },
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
    },
  };
}

/** The cache shared by the standalone functions when the caller passes none. */
export const defaultKeyCache: SigningKeyCache = createSigningKeyCache();
