import { Md5UnavailableError } from './errors.ts';
import { type NodeHashLike, probeNodeMd5 } from './md5-node-crypto.ts';
import { createPortableMd5, type PortableMd5Like } from './md5-portable.ts';

/**
 * Where MD5 is computed.
 * - `'node-crypto'`: `node:crypto` (OpenSSL), found through `process.getBuiltinModule`. Taken
 *   by default in Node (>= 20.16), Bun and Deno.
 * - `'portable'`: hash-wasm (WebAssembly), loaded on first use. Taken by default in browsers
 *   and anywhere `node:crypto` is missing or refuses MD5 (FIPS mode).
 */
export type Md5Implementation = 'node-crypto' | 'portable';

/** Options for {@link createMd5}, {@link md5} and {@link multipartEtag}. */
export interface Md5Options {
  /**
   * Which implementation to use. Default `'auto'`: `'node-crypto'` when the runtime has it,
   * else `'portable'`. Force `'portable'` to test or benchmark the browser path on a server
   * runtime; forcing `'node-crypto'` where it is missing throws {@link Md5UnavailableError}.
   */
  readonly implementation?: Md5Implementation | 'auto';
}

/**
 * A streaming MD5, as made by {@link createMd5}. WebCrypto has no MD5 and no streaming
 * digests, hence this interface.
 */
export interface Md5Hasher {
  /** The implementation behind this hasher. */
  readonly implementation: Md5Implementation;
  /**
   * Adds bytes and returns the same hasher, so calls can be chained.
   * @throws Error after {@link Md5Hasher.digest} has been called
   */
  update(bytes: Uint8Array): this;
  /**
   * Finishes and returns the 16-byte digest (a fresh plain Uint8Array). Call it once; the
   * hasher cannot be used afterwards. Encode with `toBase64` for `Content-MD5`, or with
   * `toHex(d, { upperCase: true })` to compare with an OSS ETag.
   * @throws Error if called a second time
   */
  digest(): Uint8Array;
}

/**
 * Which implementation `'auto'` picks in this runtime (see {@link Md5Implementation}).
 * Detection runs once and is cached.
 */
export function defaultMd5Implementation(): Md5Implementation {
  return probeNodeMd5().createHash ? 'node-crypto' : 'portable';
}

/**
 * Creates a streaming MD5 hasher.
 *
 * Asynchronous because the portable implementation must load its WebAssembly module; with
 * node:crypto it resolves at once.
 *
 * ```ts
 * const h = await createMd5();
 * for await (const chunk of partStream) h.update(chunk);
 * headers['content-md5'] = toBase64(h.digest());
 * ```
 *
 * @param options - see {@link Md5Options}
 * @throws Md5UnavailableError if `implementation: 'node-crypto'` is forced where it is missing
 * @throws TypeError if `implementation` is not one of the names above
 */
export async function createMd5(options: Md5Options = {}): Promise<Md5Hasher> {
  const wanted = options.implementation ?? 'auto';
  if (wanted !== 'auto' && wanted !== 'node-crypto' && wanted !== 'portable') {
    throw new TypeError(
      `Unknown MD5 implementation ${JSON.stringify(wanted)}; use 'auto', 'node-crypto' or 'portable'.`,
    );
  }
  if (wanted !== 'portable') {
    const probe = probeNodeMd5();
    if (probe.createHash) return nodeHasher(probe.createHash());
    if (wanted === 'node-crypto') throw new Md5UnavailableError(probe.reason);
  }
  return portableHasher(await createPortableMd5());
}

/**
 * Computes the MD5 digest of `bytes` in one go (16 bytes).
 *
 * @param bytes - the data
 * @param options - see {@link Md5Options}
 */
export async function md5(bytes: Uint8Array, options: Md5Options = {}): Promise<Uint8Array> {
  const hasher = await createMd5(options);
  return hasher.update(bytes).digest();
}

const FINISHED =
  'This MD5 hasher has already produced its digest; create a new one with createMd5().';

function assertBytes(bytes: unknown): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(
      `Expected a Uint8Array of data, got ${bytes === null ? 'null' : typeof bytes}. ` +
        'Encode strings with TextEncoder first.',
    );
  }
}

/**
 * One hasher over either backend: both take `update(bytes)` and give a digest once; only how
 * the digest is read differs.
 */
class Md5HasherImpl implements Md5Hasher {
  readonly implementation: Md5Implementation;
  #update: ((bytes: Uint8Array) => void) | undefined;
  readonly #digest: () => Uint8Array;

  constructor(
    implementation: Md5Implementation,
    update: (bytes: Uint8Array) => void,
    digest: () => Uint8Array,
  ) {
    this.implementation = implementation;
    this.#update = update;
    this.#digest = digest;
  }

  update(bytes: Uint8Array): this {
    assertBytes(bytes);
    if (!this.#update) throw new Error(FINISHED);
    this.#update(bytes);
    return this;
  }

  digest(): Uint8Array {
    if (!this.#update) throw new Error(FINISHED);
    this.#update = undefined;
    return this.#digest();
  }
}

function nodeHasher(hash: NodeHashLike): Md5Hasher {
  // Copy: node returns a Buffer, which may be a view into a shared pool and whose methods
  // differ from Uint8Array's (slice, toString).
  return new Md5HasherImpl(
    'node-crypto',
    (b) => hash.update(b),
    () => new Uint8Array(hash.digest()),
  );
}

function portableHasher(hash: PortableMd5Like): Md5Hasher {
  return new Md5HasherImpl(
    'portable',
    (b) => hash.update(b),
    () => new Uint8Array(hash.digest('binary')),
  );
}
