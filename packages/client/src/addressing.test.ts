import { describe, expect, it } from 'vitest';
import {
  buildRequestUrl,
  regionFromEndpoint,
  resolveEndpoint,
  validateBucketName,
  validateObjectKey,
} from './addressing.ts';
import { OssArgumentError } from './errors.ts';

describe('resolveEndpoint', () => {
  it('picks the address style from the host and the options', () => {
    const cases: Array<[string, { pathStyle?: boolean; cname?: boolean }, string, string]> = [
      [
        'https://oss-cn-hangzhou.aliyuncs.com',
        {},
        'virtual-hosted',
        'https://oss-cn-hangzhou.aliyuncs.com',
      ],
      [
        'oss-cn-hangzhou.aliyuncs.com',
        {},
        'virtual-hosted',
        'https://oss-cn-hangzhou.aliyuncs.com',
      ],
      ['http://127.0.0.1:9000', {}, 'path', 'http://127.0.0.1:9000'],
      ['http://localhost:9000/', {}, 'path', 'http://localhost:9000'],
      ['http://[::1]:9000', {}, 'path', 'http://[::1]:9000'],
      ['http://127.0.0.1:9000', { pathStyle: false }, 'virtual-hosted', 'http://127.0.0.1:9000'],
      [
        'https://oss-cn-hangzhou.aliyuncs.com',
        { pathStyle: true },
        'path',
        'https://oss-cn-hangzhou.aliyuncs.com',
      ],
      ['https://files.example.com', { cname: true }, 'cname', 'https://files.example.com'],
    ];
    for (const [endpoint, options, style, origin] of cases) {
      const resolved = resolveEndpoint(endpoint, options);
      expect([endpoint, resolved.style, resolved.origin]).toEqual([endpoint, style, origin]);
    }
  });

  it('rejects malformed endpoints with a message that says what to pass', () => {
    const bad = [
      '',
      'ftp://oss-cn-hangzhou.aliyuncs.com',
      'https://oss-cn-hangzhou.aliyuncs.com/some/path',
      'https://oss-cn-hangzhou.aliyuncs.com/?x=1',
      'https://user:pw@oss-cn-hangzhou.aliyuncs.com',
      'http://exa mple.com',
      'https://mybucket.oss-cn-hangzhou.aliyuncs.com',
    ];
    for (const endpoint of bad) {
      expect(() => resolveEndpoint(endpoint)).toThrow(OssArgumentError);
    }
    expect(() => resolveEndpoint('https://mybucket.oss-cn-hangzhou.aliyuncs.com')).toThrow(
      /already contains the bucket "mybucket"/,
    );
    expect(() =>
      resolveEndpoint('https://a.example.com', { cname: true, pathStyle: true }),
    ).toThrow(/cannot both be set/);
  });
});

describe('regionFromEndpoint', () => {
  it('reads the region from standard OSS host names only', () => {
    expect(regionFromEndpoint('oss-cn-hangzhou.aliyuncs.com')).toBe('cn-hangzhou');
    expect(regionFromEndpoint('oss-ap-southeast-1-internal.aliyuncs.com')).toBe('ap-southeast-1');
    expect(regionFromEndpoint('cn-shanghai.oss.aliyuncs.com')).toBe('cn-shanghai');
    expect(regionFromEndpoint('oss-accelerate.aliyuncs.com')).toBeUndefined();
    expect(regionFromEndpoint('127.0.0.1')).toBeUndefined();
    expect(regionFromEndpoint('files.example.com')).toBeUndefined();
  });
});

describe('buildRequestUrl', () => {
  const vhost = resolveEndpoint('https://oss-cn-hangzhou.aliyuncs.com');
  const path = resolveEndpoint('http://127.0.0.1:9000');
  const cname = resolveEndpoint('https://files.example.com', { cname: true });

  // Expected wire paths written by hand from RFC 3986: unreserved A-Z a-z 0-9 - _ . ~ stay,
  // '/' stays, every other UTF-8 byte is %XX upper case.
  const keys: Array<[string, string]> = [
    ['plain.txt', 'plain.txt'],
    ['dir/sub/file.bin', 'dir/sub/file.bin'],
    ['a b', 'a%20b'],
    ['1+1=2', '1%2B1%3D2'],
    ['100%', '100%25'],
    ['~tilde*star', '~tilde%2Astar'],
    ["it's (ok)!", 'it%27s%20%28ok%29%21'],
    ['ü/ß', '%C3%BC/%C3%9F'],
    ['😀', '%F0%9F%98%80'],
    ['q?x#y&z', 'q%3Fx%23y%26z'],
    ['dir//double', 'dir//double'],
    ['tab\tnew\nline', 'tab%09new%0Aline'],
    ['a/./b', 'a%2F.%2Fb'],
    ['../up', '..%2Fup'],
  ];

  it('encodes keys per RFC 3986 in every address style', () => {
    for (const [key, encoded] of keys) {
      expect(buildRequestUrl(vhost, 'bucket', key)).toBe(
        `https://bucket.oss-cn-hangzhou.aliyuncs.com/${encoded}`,
      );
      expect(buildRequestUrl(path, 'bucket', key)).toBe(`http://127.0.0.1:9000/bucket/${encoded}`);
      expect(buildRequestUrl(cname, 'bucket', key)).toBe(`https://files.example.com/${encoded}`);
    }
  });

  it('keeps URL parsers from rewriting the path', () => {
    for (const [key] of keys) {
      const url = new URL(buildRequestUrl(path, 'bucket', key));
      expect(decodeURIComponent(url.pathname.slice('/bucket/'.length))).toBe(key);
    }
  });

  it('addresses bucket-level requests and encodes the query in order', () => {
    const query: Array<[string, string]> = [
      ['uploads', ''],
      ['prefix', 'a b+c/ü'],
      ['encoding-type', 'url'],
    ];
    expect(buildRequestUrl(vhost, 'bucket', undefined, query)).toBe(
      'https://bucket.oss-cn-hangzhou.aliyuncs.com/?uploads&prefix=a%20b%2Bc%2F%C3%BC&encoding-type=url',
    );
    expect(buildRequestUrl(path, 'bucket', undefined, [['uploads', '']])).toBe(
      'http://127.0.0.1:9000/bucket/?uploads',
    );
    expect(buildRequestUrl(cname, 'bucket', undefined, [['uploads', '']])).toBe(
      'https://files.example.com/?uploads',
    );
  });
});

describe('validateBucketName', () => {
  it('accepts valid names and rejects the rest with the rule that failed', () => {
    for (const ok of ['abc', 'my-bucket-1', 'a'.repeat(63), '123']) {
      expect(() => validateBucketName(ok)).not.toThrow();
    }
    expect(() => validateBucketName('')).toThrow(/required/);
    expect(() => validateBucketName('ab')).toThrow(/3 to 63/);
    expect(() => validateBucketName('a'.repeat(64))).toThrow(/3 to 63/);
    expect(() => validateBucketName('My_Bucket')).toThrow(/lower-case/);
    expect(() => validateBucketName('-abc')).toThrow(/start and end/);
    expect(() => validateBucketName('abc-')).toThrow(/start and end/);
    expect(() => validateBucketName(undefined)).toThrow(OssArgumentError);
  });
});

describe('validateObjectKey', () => {
  it('accepts any UTF-8 key of 1..1023 bytes, control characters included', () => {
    for (const ok of [
      'a',
      'dir/file',
      'demo/gp-\f\n\v',
      '😀'.repeat(255),
      'x'.repeat(1023),
      'a\\b',
      ' lead',
    ]) {
      expect(() => validateObjectKey(ok)).not.toThrow();
    }
  });

  it('rejects empty, oversized, leading-slash, lone-surrogate and dot keys', () => {
    expect(() => validateObjectKey('')).toThrow(/required/);
    expect(() => validateObjectKey('x'.repeat(1024))).toThrow(/1024 bytes/);
    expect(() => validateObjectKey('é'.repeat(512))).toThrow(/1024 bytes of UTF-8/);
    expect(() => validateObjectKey('/abs')).toThrow(/must not start with/);
    expect(() => validateObjectKey('\\abs')).toThrow(/must not start with/);
    expect(() => validateObjectKey('bad\uD800')).toThrow(/surrogate/);
    expect(() => validateObjectKey('.')).toThrow(/"\." or "\.\."/);
    expect(() => validateObjectKey('..')).toThrow(OssArgumentError);
  });

  it('names the bucket and key on the error', () => {
    let caught: unknown;
    try {
      validateObjectKey('/x', 'bkt');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OssArgumentError);
    expect((caught as OssArgumentError).argument).toBe('key');
    expect((caught as OssArgumentError).bucket).toBe('bkt');
  });
});
