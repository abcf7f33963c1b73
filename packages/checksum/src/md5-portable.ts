// The portable MD5: hash-wasm (WebAssembly), for runtimes without node:crypto, i.e. browsers.
// It is loaded with a dynamic import so bundlers split it into its own chunk: an app that
// never hashes MD5 (or only on Node/Bun/Deno) never downloads or parses it.

/** The sliver of hash-wasm's IHasher this package uses. */
export interface PortableMd5Like {
  update(data: Uint8Array): unknown;
  digest(outputType: 'binary'): Uint8Array;
}

let factory: Promise<() => Promise<PortableMd5Like>> | undefined;

/** Creates a hash-wasm MD5 hasher, loading hash-wasm on first use. */
export async function createPortableMd5(): Promise<PortableMd5Like> {
  factory ??= import('hash-wasm').then(
    (module) => module.createMD5,
    (error: unknown) => {
      factory = undefined; // let a later call retry, e.g. after a network hiccup in a browser
      throw new Error(
        'Could not load hash-wasm, which provides MD5 where node:crypto is missing. ' +
          'Make sure the hash-wasm package is installed and bundled.',
        { cause: error },
      );
    },
  );
  const create = await factory;
  return create();
}
