import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { referenceCrc64 } from '../test/reference-crc64.ts';
import { split } from '../test/split-bytes.ts';
import vectors from '../test/vectors/checksums.json' with { type: 'json' };
import { createWasmCrc64Kernel } from './crc64-wasm.ts';

// This package compiles without Node's types; the one test that reads files gets `readFile`
// through an untyped specifier.
const NODE_FS = 'node:fs/promises';
const { readFile } = (await import(NODE_FS)) as {
  readFile(path: URL, encoding: 'utf8'): Promise<string>;
};

/** The kernel's CRC of `bytes` fed in the given pieces, as a bigint (seed 0). */
function kernelCrc(pieces: Uint8Array[]): bigint {
  const kernel = createWasmCrc64Kernel();
  if (kernel === undefined) throw new Error('the WebAssembly kernel did not start');
  const register = Int32Array.of(-1, -1);
  for (const piece of pieces) kernel(piece, register);
  return (BigInt(~register[1]! >>> 0) << 32n) | BigInt(~register[0]! >>> 0);
}

describe('createWasmCrc64Kernel', () => {
  it('embeds exactly the module that crc64-kernel.wat assembles to (run build:wasm after editing)', async () => {
    const wat = await readFile(new URL('./crc64-kernel.wat', import.meta.url), 'utf8');
    const wabt = await wabtInit();
    const assembled = wabt.parseWat('crc64-kernel.wat', wat).toBinary({}).buffer;
    const source = await readFile(new URL('./crc64-wasm.ts', import.meta.url), 'utf8');
    const embedded = /wasm:begin \*\/ '([^']+)'/.exec(source)?.[1];
    expect(embedded).toBe(btoa(String.fromCharCode(...assembled)));
  });

  it('matches the shared check vectors', () => {
    const ascii = (s: string) => new TextEncoder().encode(s);
    for (const { input, crc64 } of vectors.check) {
      expect(kernelCrc([ascii(input)])).toBe(BigInt(crc64));
    }
  });

  it('matches the BigInt reference at every offset and length around the 16-byte blocks', () => {
    const data = new Uint8Array(96).map((_, i) => (i * 151 + 7) & 0xff);
    for (let start = 0; start < 17; start++) {
      for (let end = start; end <= data.length; end++) {
        const bytes = data.subarray(start, end);
        expect(kernelCrc([bytes])).toBe(referenceCrc64(bytes));
      }
    }
  });

  it('gives the same CRC however the input is split, across its 256 KiB window', () => {
    const size = 2 * 262144 + 37;
    const data = new Uint8Array(size).map((_, i) => (i * 2654435761) >>> 24);
    const whole = kernelCrc([data]);
    expect(whole).toBe(referenceCrc64(data));
    fc.assert(
      fc.property(fc.array(fc.nat(size), { maxLength: 6 }), (cuts) => {
        expect(kernelCrc(split(data, cuts))).toBe(whole);
      }),
      { numRuns: 25 },
    );
  });

  it('reads bytes in shared memory', () => {
    const shared = new Uint8Array(new SharedArrayBuffer(70_001)).map((_, i) => i & 0xff);
    expect(kernelCrc([shared.subarray(3)])).toBe(referenceCrc64(shared.subarray(3)));
  });

  it('is self-contained, so workers can evaluate it from its source text', () => {
    const rebuilt = new Function(`return (${String(createWasmCrc64Kernel)})();`)() as
      | ((bytes: Uint8Array, register: Int32Array) => void)
      | undefined;
    expect(typeof rebuilt).toBe('function');
    const register = Int32Array.of(-1, -1);
    rebuilt?.(new TextEncoder().encode('123456789'), register);
    expect((BigInt(~register[1]! >>> 0) << 32n) | BigInt(~register[0]! >>> 0)).toBe(
      0x995dc9bbdf1939fan,
    );
  });
});
