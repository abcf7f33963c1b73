// MD5 through node:crypto, reached without importing `node:` (core packages must load in a
// browser and compile without @types/node). Node >= 20.16, Bun and Deno 2 all expose
// `process.getBuiltinModule`; a browser has no `process`, so detection yields undefined there.

/** The sliver of node:crypto this package uses. */
interface NodeCryptoLike {
  createHash(algorithm: 'md5'): NodeHashLike;
}

/** The sliver of node:crypto's Hash this package uses. */
export interface NodeHashLike {
  update(data: Uint8Array): unknown;
  /** Returns a Buffer, which is a Uint8Array. */
  digest(): Uint8Array;
}

interface ProcessLike {
  getBuiltinModule?: (id: string) => unknown;
}

/** Detection result: a hash factory, or why there is none. */
export type NodeMd5Probe =
  | { readonly createHash: () => NodeHashLike }
  | { readonly createHash: undefined; readonly reason: string };

let probe: NodeMd5Probe | undefined;

/** Finds node:crypto's MD5 once and remembers the answer. */
export function probeNodeMd5(): NodeMd5Probe {
  probe ??= detect();
  return probe;
}

function detect(): NodeMd5Probe {
  const proc = (globalThis as { process?: ProcessLike }).process;
  if (typeof proc?.getBuiltinModule !== 'function') {
    return { createHash: undefined, reason: 'no process.getBuiltinModule in this runtime' };
  }
  let crypto: NodeCryptoLike | undefined;
  try {
    crypto = proc.getBuiltinModule('node:crypto') as NodeCryptoLike | undefined;
  } catch {
    crypto = undefined;
  }
  if (typeof crypto?.createHash !== 'function') {
    return {
      createHash: undefined,
      reason: "process.getBuiltinModule('node:crypto') gave nothing",
    };
  }
  const createHash = crypto.createHash.bind(crypto);
  try {
    // A FIPS-mode OpenSSL lists md5 but throws on use; find out now, not mid-upload.
    createHash('md5').digest();
  } catch (error) {
    return {
      createHash: undefined,
      reason: `node:crypto refuses MD5 (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  return { createHash: () => createHash('md5') };
}
