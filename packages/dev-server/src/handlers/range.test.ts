import { describe, expect, it } from 'vitest';
import { OssError } from '../errors.ts';
import { resolveRange } from './range.ts';

describe('resolveRange', () => {
  it('reads the three single-range forms', () => {
    expect(resolveRange('bytes=0-9', 100, false)).toEqual({ first: 0, last: 9 });
    expect(resolveRange('bytes=90-', 100, false)).toEqual({ first: 90, last: 99 });
    expect(resolveRange('bytes=-10', 100, false)).toEqual({ first: 90, last: 99 });
    expect(resolveRange('bytes=0-9,20-29', 100, false)).toEqual({ first: 0, last: 9 });
  });

  it('ignores invalid and unsatisfiable ranges by default', () => {
    for (const r of [
      'byte=0-1',
      'bytes=50-200',
      'bytes=100-200',
      'bytes=-200',
      'bytes=9-1',
      'bytes=-',
      'bytes=x-1',
    ]) {
      expect(resolveRange(r, 100, false)).toBeUndefined();
    }
    expect(resolveRange(undefined, 100, false)).toBeUndefined();
  });

  it('clips or refuses with x-oss-range-behavior: standard', () => {
    expect(resolveRange('bytes=50-200', 100, true)).toEqual({ first: 50, last: 99 });
    expect(resolveRange('bytes=-200', 100, true)).toEqual({ first: 0, last: 99 });
    expect(() => resolveRange('bytes=100-200', 100, true)).toThrow(OssError);
    expect(() => resolveRange('bytes=0-', 0, true)).toThrow(OssError);
    expect(resolveRange('byte=0-1', 100, true)).toBeUndefined();
  });
});
