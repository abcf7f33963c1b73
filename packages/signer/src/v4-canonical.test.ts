import { describe, expect, it } from 'vitest';
import {
  additionalHeadersV4,
  canonicalHeadersV4,
  canonicalQueryV4,
  canonicalRequestV4,
  canonicalUriV4,
} from './v4-canonical.ts';

describe('canonicalUriV4', () => {
  // Expectations computed by hand from the rule: UTF-8 bytes, keep A-Z a-z 0-9 - _ . ~ /,
  // everything else %XX upper-case.
  const cases: Array<[string | undefined, string | undefined, string]> = [
    [undefined, undefined, '/'],
    ['bucket', undefined, '/bucket/'],
    ['bucket', '', '/bucket/'],
    ['bucket', '1234+-/123/1.txt', '/bucket/1234%2B-/123/1.txt'],
    ['examplebucket', 'dir/ü k+y.bin', '/examplebucket/dir/%C3%BC%20k%2By.bin'],
    ['b', '/leading', '/b//leading'],
    ['b', '//two/leading', '/b///two/leading'],
    ['b', 'trailing/', '/b/trailing/'],
    ['b', 'a//b', '/b/a//b'],
    ['b', '100%', '/b/100%25'],
    ['b', 'a%2Fb', '/b/a%252Fb'],
    ['b', 'q?x#y', '/b/q%3Fx%23y'],
    ['b', 'star*tilde~', '/b/star%2Atilde~'],
    ['b', 'a b', '/b/a%20b'],
    ['b', "!$&'()*+,;=:@", '/b/%21%24%26%27%28%29%2A%2B%2C%3B%3D%3A%40'],
    ['b', '中文/文件', '/b/%E4%B8%AD%E6%96%87/%E6%96%87%E4%BB%B6'],
    ['b', '😀.txt', '/b/%F0%9F%98%80.txt'],
    ['b', 'ü', '/b/%C3%BC'],
    ['b', 'u\u0308', '/b/u%CC%88'],
    ['b', '..', '/b/..'],
    ['b', 'tab\there', '/b/tab%09here'],
    ['b', '\\back', '/b/%5Cback'],
    ['b', '[x]{y}|^`"<>', '/b/%5Bx%5D%7By%7D%7C%5E%60%22%3C%3E'],
  ];
  for (const [bucket, key, expected] of cases) {
    it(`${String(bucket)} + ${JSON.stringify(key)} -> ${expected}`, () => {
      expect(canonicalUriV4(bucket, key)).toBe(expected);
    });
  }

  it('refuses a key without a bucket', () => {
    expect(() => canonicalUriV4(undefined, 'k')).toThrow(TypeError);
  });
});

describe('canonicalQueryV4', () => {
  it('reproduces the vector query', () => {
    expect(
      canonicalQueryV4([
        ['param1', 'value1'],
        ['+param1', 'value3'],
        ['|param1', 'value4'],
        ['+param2', ''],
        ['|param2', ''],
        ['param2', ''],
      ]),
    ).toBe('%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2');
  });

  it('renders empty and undefined values as bare names', () => {
    expect(canonicalQueryV4({ uploads: undefined })).toBe('uploads');
    expect(canonicalQueryV4({ uploads: '' })).toBe('uploads');
  });

  it('encodes / and space in values, and sorts by encoded name then value', () => {
    expect(
      canonicalQueryV4([
        ['x-oss-credential', 'ak/20231217/cn-hangzhou/oss/aliyun_v4_request'],
        ['a b', 'c d+e'],
        ['Z', '2'],
        ['Z', '1'],
      ]),
    ).toBe(
      'Z=1&Z=2&a%20b=c%20d%2Be&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request',
    );
  });

  it('is empty without parameters', () => {
    expect(canonicalQueryV4(undefined)).toBe('');
    expect(canonicalQueryV4([])).toBe('');
  });
});

const vectorHeaders = {
  'x-oss-head1': 'value',
  abc: 'value',
  ZAbc: 'value',
  XYZ: 'value',
  'content-type': 'text/plain',
  'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
};

describe('additionalHeadersV4', () => {
  it('drops default-signed and absent names, lower-cases, dedupes and sorts', () => {
    expect(
      additionalHeadersV4(vectorHeaders, ['x-oss-no-exist', 'ZAbc', 'x-oss-head1', 'abc']),
    ).toEqual(['abc', 'zabc']);
    expect(additionalHeadersV4(vectorHeaders, ['ABC', 'abc', 'content-type', 'host'])).toEqual([
      'abc',
    ]);
    expect(additionalHeadersV4({ host: ' ' }, ['host'])).toEqual([]);
    expect(additionalHeadersV4(vectorHeaders, undefined)).toEqual([]);
  });

  it('is idempotent', () => {
    const once = additionalHeadersV4(vectorHeaders, ['ZAbc', 'abc', 'XYZ']);
    expect(additionalHeadersV4(vectorHeaders, once)).toEqual(once);
  });
});

describe('canonicalHeadersV4', () => {
  it('signs content-type, content-md5 and x-oss-* by default', () => {
    expect(canonicalHeadersV4(vectorHeaders)).toBe(
      'content-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-head1:value\n',
    );
  });

  it('adds the additional headers, trimmed and sorted', () => {
    expect(canonicalHeadersV4({ ...vectorHeaders, Host: ' h.example \t' }, ['abc', 'host'])).toBe(
      'abc:value\ncontent-type:text/plain\nhost:h.example\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-head1:value\n',
    );
  });

  it('is empty when nothing is signed', () => {
    expect(canonicalHeadersV4({ range: 'bytes=0-1' })).toBe('');
  });
});

describe('canonicalRequestV4', () => {
  it('joins the parts, with UNSIGNED-PAYLOAD when there is no payload header', () => {
    expect(
      canonicalRequestV4({
        method: 'get',
        bucket: 'b',
        key: 'a b',
        query: { uploadId: 'x y' },
        headers: { 'Content-MD5': 'm' },
      }),
    ).toBe('GET\n/b/a%20b\nuploadId=x%20y\ncontent-md5:m\n\n\nUNSIGNED-PAYLOAD');
  });

  it('uses the x-oss-content-sha256 header and additional headers', () => {
    expect(
      canonicalRequestV4(
        { method: 'PUT', headers: { 'x-oss-content-sha256': 'abc', Range: 'r' } },
        ['range'],
      ),
    ).toBe('PUT\n/\n\nrange:r\nx-oss-content-sha256:abc\n\nrange\nabc');
  });
});
