import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RFC_1321 } from '../test/rfc-1321.ts';
import { split } from '../test/split-bytes.ts';
import { toHex } from './encoding.ts';
import { createMd5, defaultMd5Implementation, md5 } from './md5.ts';

const ascii = (s: string) => new TextEncoder().encode(s);

// Every runtime these tests run in (Node >= 20.16, Bun, Deno) has node:crypto, so both
// implementations are exercised everywhere.
const implementations = ['node-crypto', 'portable'] as const;

for (const implementation of implementations) {
  describe(`MD5 (${implementation})`, () => {
    for (const [input, expected] of RFC_1321) {
      it(`matches RFC 1321 for ${JSON.stringify(input)}`, async () => {
        const digest = await md5(ascii(input), { implementation });
        expect(toHex(digest)).toBe(expected);
      });
    }

    it('matches RFC 1321 when streamed in random chunks', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...RFC_1321),
          fc.array(fc.nat(), { maxLength: 8 }),
          async ([input, expected], cuts) => {
            const hasher = await createMd5({ implementation });
            for (const piece of split(ascii(input), cuts)) hasher.update(piece);
            expect(toHex(hasher.digest())).toBe(expected);
          },
        ),
        { numRuns: 100 },
      );
    });

    it('gives the one-shot digest for any chunking of random data', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 1000, size: 'max' }),
          fc.array(fc.nat(), { maxLength: 10 }),
          async (bytes, cuts) => {
            const hasher = await createMd5({ implementation });
            for (const piece of split(bytes, cuts)) hasher.update(piece);
            expect(hasher.digest()).toEqual(await md5(bytes, { implementation }));
          },
        ),
        { numRuns: 100 },
      );
    });

    it('reports its implementation and returns a plain 16-byte Uint8Array', async () => {
      const hasher = await createMd5({ implementation });
      expect(hasher.implementation).toBe(implementation);
      const digest = hasher.update(ascii('abc')).digest();
      expect(digest).toHaveLength(16);
      expect(Object.getPrototypeOf(digest)).toBe(Uint8Array.prototype);
    });

    it('refuses to be used after digest()', async () => {
      const hasher = await createMd5({ implementation });
      hasher.update(ascii('abc')).digest();
      expect(() => hasher.digest()).toThrow(/already produced its digest/);
      expect(() => hasher.update(ascii('d'))).toThrow(/createMd5/);
    });

    it('rejects non-bytes', async () => {
      const hasher = await createMd5({ implementation });
      expect(() => hasher.update('abc' as unknown as Uint8Array)).toThrow(TypeError);
    });
  });
}

describe('MD5 implementations', () => {
  it('agree with each other on random data, including unaligned views', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 5000, size: 'max' }),
        fc.nat({ max: 7 }),
        async (bytes, offset) => {
          const view = bytes.subarray(Math.min(offset, bytes.length));
          expect(await md5(view, { implementation: 'portable' })).toEqual(
            await md5(view, { implementation: 'node-crypto' }),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('agree on 1 MiB + 3 bytes fed in 64 KiB chunks', async () => {
    const bytes = new Uint8Array(1024 * 1024 + 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    const node = await createMd5({ implementation: 'node-crypto' });
    const portable = await createMd5({ implementation: 'portable' });
    for (let start = 0; start < bytes.length; start += 65536) {
      node.update(bytes.subarray(start, start + 65536));
      portable.update(bytes.subarray(start, start + 65536));
    }
    expect(toHex(portable.digest())).toBe(toHex(node.digest()));
  });

  it('pick node:crypto by default where process.getBuiltinModule exists', async () => {
    const proc = (globalThis as { process?: { getBuiltinModule?: unknown } }).process;
    const expected = typeof proc?.getBuiltinModule === 'function' ? 'node-crypto' : 'portable';
    expect(defaultMd5Implementation()).toBe(expected);
    expect((await createMd5()).implementation).toBe(expected);
    expect((await createMd5({ implementation: 'auto' })).implementation).toBe(expected);
  });

  it('reject an unknown implementation name', async () => {
    await expect(createMd5({ implementation: 'openssl' as unknown as 'portable' })).rejects.toThrow(
      TypeError,
    );
  });
});
