import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { RFC_1321 } from '../test/rfc-1321.ts';
import { split } from '../test/split-bytes.ts';
import { toHex } from './encoding.ts';
import { createMd5, md5 } from './md5.ts';
import { createMd5Lanes, type Md5Lanes } from './md5-lanes.ts';

// This package compiles without Node's types; the files this test reads come through untyped
// specifiers.
const NODE_FS = 'node:fs/promises';
const { readFile } = (await import(NODE_FS)) as {
  readFile(path: URL, encoding: 'utf8'): Promise<string>;
};
const GENERATOR = '../scripts/md5-lanes-wat.mjs';
const { md5LanesWat } = (await import(GENERATOR)) as { md5LanesWat(): string };

const ascii = (s: string) => new TextEncoder().encode(s);

function lanes(): Md5Lanes {
  const made = createMd5Lanes();
  if (made === undefined) throw new Error('the WebAssembly SIMD kernel did not start');
  return made;
}

function bytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('createMd5Lanes', () => {
  it('embeds exactly the module that scripts/md5-lanes-wat.mjs generates (run build:wasm after editing)', async () => {
    const wabt = await wabtInit();
    const assembled = wabt
      .parseWat('md5-lanes.wat', md5LanesWat(), { simd: true })
      .toBinary({}).buffer;
    const source = await readFile(new URL('./md5-lanes.ts', import.meta.url), 'utf8');
    const embedded = /wasm:begin \*\/ '([^']+)'/.exec(source)?.[1];
    expect(embedded).toBe(btoa(String.fromCharCode(...assembled)));
  });

  it('matches RFC 1321 on every lane, four at once', () => {
    const pool = lanes();
    for (let start = 0; start < RFC_1321.length; start += 4) {
      const batch = RFC_1321.slice(start, start + 4);
      const hashers = batch.map(([input]) => pool.open()!.update(ascii(input)));
      const digests = hashers.map((h) => toHex(h.digest()));
      expect(digests).toEqual(batch.map(([, digest]) => digest));
    }
  });

  it('gives one input alone the same digest as node:crypto / the portable MD5', async () => {
    const pool = lanes();
    for (const length of [55, 56, 63, 64, 65, 119, 120, 128, 65535, 65536, 65537, 200_003]) {
      const data = bytes(length, length);
      expect(toHex(pool.open()!.update(data).digest())).toBe(toHex(await md5(data)));
    }
  });

  it('counts lengths of 512 MiB and more right (the high word of the bit length)', async () => {
    // update() does not copy, so one 64 MiB array fed 9 times makes 576 MiB.
    const chunk = bytes(64 * 1024 * 1024, 5);
    const lane = lanes().open()!;
    const whole = await createMd5();
    for (let i = 0; i < 9; i++) {
      lane.update(chunk);
      whole.update(chunk);
    }
    expect(toHex(lane.digest())).toBe(toHex(whole.digest()));
    // 576 MiB through two MD5s takes seconds; Bun's default limit is 5 s, too tight under load.
  }, 60_000);

  it('has four lanes: open gives undefined when all are in use, digest and close free one', () => {
    const pool = lanes();
    const hashers = [pool.open(), pool.open(), pool.open(), pool.open()];
    expect(hashers.every((h) => h !== undefined)).toBe(true);
    expect(pool.free).toBe(0);
    expect(pool.open()).toBeUndefined();
    hashers[1]!.close();
    expect(pool.free).toBe(1);
    const reopened = pool.open()!;
    expect(pool.free).toBe(0);
    // The reopened lane starts from MD5's initial state, not from what the closed one left.
    expect(toHex(reopened.update(ascii('abc')).digest())).toBe(RFC_1321[2]![1]);
    hashers[0]!.digest();
    expect(pool.free).toBe(2);
    expect(() => hashers[0]!.update(ascii('x'))).toThrow(/already digested or closed/);
    expect(() => hashers[0]!.digest()).toThrow(/already digested or closed/);
  });

  it('agrees with MD5 for interleaved inputs of any lengths, chunkings and digest order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            length: fc.oneof(fc.nat(300), fc.integer({ min: 60_000, max: 140_000 })),
            cuts: fc.array(fc.nat(), { maxLength: 6 }),
            seed: fc.nat(),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.array(fc.nat(3), { maxLength: 40 }),
        fc.array(fc.nat(3), { maxLength: 40 }),
        async (inputs, order, stepsAfter) => {
          const pool = lanes();
          const jobs = inputs.map((input) => {
            const data = bytes(input.length, input.seed);
            return { data, pieces: split(data, input.cuts), hasher: pool.open()! };
          });
          // Feed pieces in the order drawn, stepping the lanes as often as drawn after each;
          // then whatever is left, then digest in reverse order of opening.
          for (const [at, pick] of order.entries()) {
            const job = jobs[pick % jobs.length]!;
            const piece = job.pieces.shift();
            if (piece !== undefined) job.hasher.update(piece);
            for (let i = 0; i < (stepsAfter[at] ?? 0); i++) pool.step();
          }
          for (const job of jobs) for (const piece of job.pieces) job.hasher.update(piece);
          for (const job of [...jobs].reverse()) {
            expect(toHex(job.hasher.digest())).toBe(toHex(await md5(job.data)));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('Md5Lanes.step', () => {
  it('hashes up to 64 KiB of every lane with a whole block queued, the same amount on each', async () => {
    const pool = lanes();
    const a = bytes(200_000, 1);
    const b = bytes(100_000, 2);
    const ha = pool.open()!.update(a);
    const hb = pool.open()!.update(b);
    expect([ha.queued, hb.queued]).toEqual([200_000, 100_000]);
    expect(pool.step()).toBe(true);
    expect([ha.queued, hb.queued]).toEqual([200_000 - 65536, 100_000 - 65536]);
    expect(pool.step()).toBe(true); // b's whole blocks left: 34,432 bytes, so both take that
    expect([ha.queued, hb.queued]).toEqual([200_000 - 65536 - 34_432, 100_000 - 65536 - 34_432]);
    while (pool.step()) {}
    expect([ha.queued, hb.queued]).toEqual([200_000 % 64, 100_000 % 64]);
    expect(toHex(ha.digest())).toBe(toHex(await md5(a)));
    expect(toHex(hb.digest())).toBe(toHex(await md5(b)));
    expect(pool.step()).toBe(false);
  });
});
