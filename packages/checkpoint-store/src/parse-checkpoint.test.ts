import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_KIND, CHECKPOINT_VERSION } from './checkpoint.ts';
import { CheckpointError } from './checkpoint-error.ts';
import { sampleCheckpoint } from './conformance.ts';
import { parseCheckpoint, serializeCheckpoint } from './parse-checkpoint.ts';

function kindOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof CheckpointError) return e.kind;
    throw e;
  }
  return undefined;
}

describe('parseCheckpoint', () => {
  it('round-trips through serializeCheckpoint', () => {
    const cp = sampleCheckpoint('x');
    const text = serializeCheckpoint(cp);
    expect(JSON.parse(text).kind).toBe(CHECKPOINT_KIND);
    expect(parseCheckpoint(text)).toEqual(cp);
    expect(parseCheckpoint(JSON.parse(text), 'x')).toEqual(cp);
  });

  it('keeps the optional source identity, and refuses one that is not a non-empty string', () => {
    const good = { kind: CHECKPOINT_KIND, ...sampleCheckpoint('x') };
    const withIdentity = { ...good, source: { ...good.source, identity: '1700000000123:42' } };
    expect(parseCheckpoint(withIdentity).source.identity).toBe('1700000000123:42');
    expect(parseCheckpoint(serializeCheckpoint(parseCheckpoint(withIdentity)))).toEqual(
      parseCheckpoint(withIdentity),
    );
    expect('identity' in parseCheckpoint(good).source).toBe(false);
    for (const identity of ['', 42, null]) {
      expect(kindOf(() => parseCheckpoint({ ...good, source: { ...good.source, identity } }))).toBe(
        'corrupt',
      );
    }
  });

  it('drops unknown fields at every level', () => {
    const raw = {
      kind: CHECKPOINT_KIND,
      ...sampleCheckpoint('x'),
      accessKeySecret: 's',
      target: { ...sampleCheckpoint('x').target, securityToken: 't' },
    };
    const parsed = parseCheckpoint(raw);
    expect(JSON.stringify(parsed)).not.toContain('accessKeySecret');
    expect(JSON.stringify(parsed)).not.toContain('securityToken');
  });

  it('tells corrupt, foreign and future documents apart', () => {
    const good = { kind: CHECKPOINT_KIND, ...sampleCheckpoint('x') };
    expect(kindOf(() => parseCheckpoint('{"kind":'))).toBe('corrupt');
    expect(kindOf(() => parseCheckpoint('[]'))).toBe('foreign');
    expect(kindOf(() => parseCheckpoint('null'))).toBe('foreign');
    expect(kindOf(() => parseCheckpoint({ ...good, kind: 'other' }))).toBe('foreign');
    expect(kindOf(() => parseCheckpoint({ ...good, version: CHECKPOINT_VERSION + 1 }))).toBe(
      'future-version',
    );
    expect(kindOf(() => parseCheckpoint({ ...good, version: 0 }))).toBe('corrupt');
    expect(kindOf(() => parseCheckpoint({ ...good, uploadId: '' }))).toBe('corrupt');
    expect(kindOf(() => parseCheckpoint({ ...good, partSize: 1.5 }))).toBe('corrupt');
    expect(kindOf(() => parseCheckpoint({ ...good, source: { fingerprint: 'f', size: -1 } }))).toBe(
      'corrupt',
    );
    expect(kindOf(() => parseCheckpoint({ ...good, createdAt: 'yesterday' }))).toBe('corrupt');
    expect(kindOf(() => parseCheckpoint(good, 'other-id'))).toBe('corrupt');
  });

  it('validates parts: numbers, order, CRC-64 range', () => {
    const base = { kind: CHECKPOINT_KIND, ...sampleCheckpoint('x') };
    const withParts = (parts: unknown[]) => ({ ...base, parts });
    expect(kindOf(() => parseCheckpoint(withParts([{ partNumber: 0, etag: 'e', size: 1 }])))).toBe(
      'corrupt',
    );
    expect(
      kindOf(() => parseCheckpoint(withParts([{ partNumber: 10001, etag: 'e', size: 1 }]))),
    ).toBe('corrupt');
    expect(
      kindOf(() =>
        parseCheckpoint(
          withParts([
            { partNumber: 2, etag: 'e', size: 1 },
            { partNumber: 2, etag: 'e', size: 1 },
          ]),
        ),
      ),
    ).toBe('corrupt');
    expect(
      kindOf(() =>
        parseCheckpoint(
          withParts([{ partNumber: 1, etag: 'e', size: 1, crc64: '18446744073709551616' }]),
        ),
      ),
    ).toBe('corrupt');
    expect(
      kindOf(() =>
        parseCheckpoint(withParts([{ partNumber: 1, etag: 'e', size: 1, crc64: '-1' }])),
      ),
    ).toBe('corrupt');
    expect(
      kindOf(() => parseCheckpoint(withParts([{ partNumber: 1, etag: 'e', size: 1, crc64: 7 }]))),
    ).toBe('corrupt');
    expect(parseCheckpoint(withParts([{ partNumber: 1, etag: 'e', size: 0 }])).parts).toEqual([
      { partNumber: 1, etag: 'e', size: 0 },
    ]);
  });

  it('names the checkpoint and the way out in its messages', () => {
    expect(() => parseCheckpoint('{', 'abc')).toThrow(/abc.*Delete it/);
    expect(() =>
      parseCheckpoint({ kind: CHECKPOINT_KIND, ...sampleCheckpoint('abc'), version: 99 }, 'abc'),
    ).toThrow(/version 99.*Upgrade ossup/);
  });

  it('never throws anything but CheckpointError on arbitrary input (fuzz)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue(), fc.anything()), (input) => {
        try {
          parseCheckpoint(input);
        } catch (e) {
          expect(e).toBeInstanceOf(CheckpointError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throws anything but CheckpointError on mutated valid checkpoints (fuzz)', () => {
    const good = { kind: CHECKPOINT_KIND, ...sampleCheckpoint('x') } as Record<string, unknown>;
    const keys = Object.keys(good);
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.anything(), (key, value) => {
        try {
          const out = parseCheckpoint({ ...good, [key]: value });
          // Whatever was accepted must still be a well-formed checkpoint.
          expect(typeof out.id).toBe('string');
          expect(Array.isArray(out.parts)).toBe(true);
          expect(Number.isSafeInteger(out.partSize)).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(CheckpointError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
