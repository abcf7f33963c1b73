import { describe, expect, it } from 'vitest';
import { Faults, InvalidFaultError } from './faults.ts';

const target = {
  method: 'PUT',
  operation: 'UploadPart' as const,
  bucket: 'b',
  key: 'k',
  partNumber: 2,
};

describe('Faults', () => {
  it('matches on every given field', () => {
    const f = new Faults();
    f.add({ match: { operation: 'UploadPart', partNumber: 3 }, action: { kind: 'delay', ms: 1 } });
    f.add({
      match: { method: 'put', key: 'k', bucket: 'b' },
      action: { kind: 'drop-after-store' },
    });
    expect(f.take(target)).toEqual({ kind: 'drop-after-store' });
    expect(f.take(target)).toBeUndefined();
    expect(f.take({ ...target, partNumber: 3 })).toEqual({ kind: 'delay', ms: 1 });
  });

  it('counts down times and keeps "always" rules', () => {
    const f = new Faults();
    const rule = f.add({ times: 2, action: { kind: 'reset' } });
    expect(rule.remaining).toBe(2);
    expect(f.take(target)).toEqual({ kind: 'reset', afterBodyBytes: 0 });
    expect(f.list()[0]?.remaining).toBe(1);
    f.take(target);
    expect(f.list()).toHaveLength(0);
    f.add({ times: 'always', action: { kind: 'status', status: 500 } });
    for (let i = 0; i < 5; i++)
      expect(f.take(target)).toEqual({ kind: 'status', status: 500, code: 'ServiceUnavailable' });
    expect(f.list()[0]?.fired).toBe(5);
    f.clear();
    expect(f.take(target)).toBeUndefined();
  });

  it('validates its input', () => {
    const f = new Faults();
    expect(() => f.add({ action: { kind: 'status', status: 302 } })).toThrow(InvalidFaultError);
    expect(() => f.add({ action: { kind: 'delay', ms: -1 } })).toThrow(InvalidFaultError);
    expect(() => f.add({ action: { kind: 'reset', afterBodyBytes: 1.5 } })).toThrow(
      InvalidFaultError,
    );
    expect(() => f.add({ match: { partNumber: 'x' as never }, action: { kind: 'reset' } })).toThrow(
      InvalidFaultError,
    );
    expect(() => f.add({ match: { nope: 1 } as never, action: { kind: 'reset' } })).toThrow(
      InvalidFaultError,
    );
    expect(() => f.add({ times: 1.5, action: { kind: 'reset' } })).toThrow(InvalidFaultError);
    expect(() => f.add(null as never)).toThrow(InvalidFaultError);
  });
});
