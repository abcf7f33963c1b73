import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildPresignedUrl,
  encodeKeyForPath,
  encodeQueryString,
  parseRequestTarget,
} from './url.ts';

describe('encodeQueryString', () => {
  it('encodes in order, bare names for empty values', () => {
    expect(
      encodeQueryString([
        ['uploads', ''],
        ['a b', 'c+d/e'],
        ['x', '~*'],
      ]),
    ).toBe('uploads&a%20b=c%2Bd%2Fe&x=~%2A');
    expect(encodeQueryString(undefined)).toBe('');
  });
});

describe('encodeKeyForPath', () => {
  it('keeps slashes unless a segment is a dot segment', () => {
    expect(encodeKeyForPath('a/b c')).toBe('a/b%20c');
    expect(encodeKeyForPath('a/../b')).toBe('a%2F..%2Fb');
    expect(encodeKeyForPath('./x')).toBe('.%2Fx');
    expect(encodeKeyForPath('a/.b/..c')).toBe('a/.b/..c');
    expect(() => encodeKeyForPath('.')).toThrow(TypeError);
    expect(() => encodeKeyForPath('..')).toThrow(TypeError);
  });
});

describe('buildPresignedUrl', () => {
  const query: Array<[string, string]> = [
    ['z', '1'],
    ['uploads', ''],
  ];

  it('uses virtual-hosted style for domain endpoints', () => {
    expect(buildPresignedUrl('https://oss-cn-hangzhou.aliyuncs.com', 'b', 'k 1', query)).toBe(
      'https://b.oss-cn-hangzhou.aliyuncs.com/k%201?uploads&z=1',
    );
    expect(buildPresignedUrl('oss-cn-hangzhou.aliyuncs.com', 'b', undefined, [])).toBe(
      'https://b.oss-cn-hangzhou.aliyuncs.com/',
    );
  });

  it('uses path style for IP and localhost endpoints, or when asked', () => {
    expect(buildPresignedUrl('http://127.0.0.1:9000', 'b', '/k', [])).toBe(
      'http://127.0.0.1:9000/b//k',
    );
    expect(buildPresignedUrl('http://localhost:9000/ignored', 'b', undefined, [])).toBe(
      'http://localhost:9000/b/',
    );
    expect(buildPresignedUrl('http://[::1]:9000', 'b', 'k', [])).toBe('http://[::1]:9000/b/k');
    expect(buildPresignedUrl('https://example.com', 'b', 'k', [], { pathStyle: true })).toBe(
      'https://example.com/b/k',
    );
    expect(buildPresignedUrl('http://127.0.0.1', 'b', 'k', [], { pathStyle: false })).toBe(
      'http://b.127.0.0.1/k',
    );
  });

  it('supports CNAME and service-level URLs', () => {
    expect(buildPresignedUrl('https://cdn.example.com', 'b', 'k', [], { cname: true })).toBe(
      'https://cdn.example.com/k',
    );
    expect(
      buildPresignedUrl('https://oss-cn-hangzhou.aliyuncs.com', undefined, undefined, []),
    ).toBe('https://oss-cn-hangzhou.aliyuncs.com/');
    expect(() => buildPresignedUrl('https://e.com', undefined, 'k', [])).toThrow(TypeError);
  });
});

describe('parseRequestTarget', () => {
  it('never lets an encoded slash move the boundary between bucket and key', () => {
    const t = parseRequestTarget('/b%2Fx/y');
    expect(t.bucket).toBe('b%2Fx');
    expect(t.key).toBe('y');
    expect(parseRequestTarget('/b%61/k').bucket).toBe('ba');
  });

  it('splits path style before decoding', () => {
    expect(parseRequestTarget('/bucket/a%2Fb/c+d%20e?uploadId=x&partNumber=2')).toEqual({
      bucket: 'bucket',
      key: 'a/b/c+d e',
      query: [
        ['uploadId', 'x'],
        ['partNumber', '2'],
      ],
    });
    expect(parseRequestTarget('/bucket//lead')).toEqual({
      bucket: 'bucket',
      key: '/lead',
      query: [],
    });
    expect(parseRequestTarget('/bucket')).toEqual({ bucket: 'bucket', key: undefined, query: [] });
    expect(parseRequestTarget('/bucket/?uploads')).toEqual({
      bucket: 'bucket',
      key: undefined,
      query: [['uploads', '']],
    });
    expect(parseRequestTarget('/')).toEqual({ bucket: undefined, key: undefined, query: [] });
  });

  it('takes the whole path as key when the bucket came from the host', () => {
    expect(parseRequestTarget('//x/%E4%B8%AD?a=1+2&b=%2B&&c', { bucket: 'b' })).toEqual({
      bucket: 'b',
      key: '/x/中',
      query: [
        ['a', '1 2'],
        ['b', '+'],
        ['c', ''],
      ],
    });
    expect(parseRequestTarget('/', { bucket: 'b' }).key).toBeUndefined();
  });

  it('accepts absolute-form targets and ignores fragments', () => {
    expect(parseRequestTarget('http://127.0.0.1:9000/b/k?x=1#frag')).toEqual({
      bucket: 'b',
      key: 'k',
      query: [['x', '1']],
    });
  });
});

describe('URL round trip of keys (what fetch sends is what the server decodes)', () => {
  const tricky = fc.constantFrom(
    '/',
    ' ',
    '+',
    '%',
    '~',
    '*',
    '?',
    '#',
    '😀',
    'ü',
    '中',
    '.',
    '..',
    '=',
    '&',
    '%2F',
    '\\',
    ';',
  );
  const key = fc
    .array(fc.oneof(tricky, fc.string({ unit: 'binary', minLength: 1, maxLength: 4 })), {
      minLength: 1,
      maxLength: 8,
    })
    .map((parts) => parts.join(''))
    .filter((k) => k !== '.' && k !== '..');

  it('survives WHATWG URL parsing in both address styles', () => {
    fc.assert(
      fc.property(key, fc.boolean(), (k, pathStyle) => {
        const url = new URL(
          buildPresignedUrl('http://oss-cn-hangzhou.aliyuncs.com', 'bucket', k, [['k', k]], {
            pathStyle,
          }),
        );
        const target = `${url.pathname}${url.search}`;
        const parsed = parseRequestTarget(target, pathStyle ? {} : { bucket: 'bucket' });
        expect(parsed.bucket).toBe('bucket');
        expect(parsed.key).toBe(k);
        expect(parsed.query).toEqual([['k', k]]);
      }),
      { numRuns: 300 },
    );
  });
});
