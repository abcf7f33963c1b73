import { describe, expect, it } from 'vitest';
import {
  canonicalizedOssHeadersV1,
  canonicalizedResourceV1,
  isV1SubResource,
  stringToSignV1,
  V1_SUB_RESOURCES,
} from './v1-canonical.ts';

describe('V1 sub-resources', () => {
  it('contains the go-v2 set and the multipart names', () => {
    for (const name of [
      'acl',
      'uploads',
      'uploadId',
      'partNumber',
      'security-token',
      'versionId',
      'response-content-disposition',
      'continuation-token',
      'symlink',
      'resourceGroup',
      'cors',
      'x-oss-process',
    ]) {
      expect(V1_SUB_RESOURCES.has(name)).toBe(true);
    }
  });

  it('signs x-oss-* and registered extras, nothing else', () => {
    expect(isV1SubResource('x-oss-anything')).toBe(true);
    expect(isV1SubResource('max-parts')).toBe(false);
    expect(isV1SubResource('encoding-type')).toBe(false);
    expect(isV1SubResource('OSSAccessKeyId')).toBe(false);
    expect(isV1SubResource('Uploads')).toBe(false);
    expect(isV1SubResource('myParam')).toBe(false);
    expect(isV1SubResource('myParam', ['myParam'])).toBe(true);
  });
});

describe('canonicalizedOssHeadersV1', () => {
  it('keeps x-oss-* headers, lower-cased, trimmed, sorted, one per line', () => {
    expect(
      canonicalizedOssHeadersV1({
        'X-OSS-Meta-Zeta': ' z ',
        'x-oss-meta-alpha': 'a',
        'Content-Type': 'text/plain',
        'x-oss-date': 'Wed, 28 Dec 2022 10:27:41 GMT',
        Host: 'example.com',
      }),
    ).toBe('x-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\nx-oss-meta-alpha:a\nx-oss-meta-zeta:z\n');
  });

  it('joins case variants of one header with a comma', () => {
    expect(canonicalizedOssHeadersV1({ 'x-oss-meta-a': '1', 'X-Oss-Meta-A': '2' })).toBe(
      'x-oss-meta-a:1,2\n',
    );
  });

  it('is empty without x-oss-* headers', () => {
    expect(canonicalizedOssHeadersV1({ 'content-md5': 'x' })).toBe('');
    expect(canonicalizedOssHeadersV1(undefined)).toBe('');
  });
});

describe('canonicalizedResourceV1', () => {
  it('builds service, bucket and object resources', () => {
    expect(canonicalizedResourceV1(undefined, undefined)).toBe('/');
    expect(canonicalizedResourceV1('examplebucket', undefined)).toBe('/examplebucket/');
    expect(canonicalizedResourceV1('examplebucket', '')).toBe('/examplebucket/');
    expect(canonicalizedResourceV1('examplebucket', 'nelson')).toBe('/examplebucket/nelson');
  });

  it('keeps the key raw, never percent-encoded', () => {
    expect(canonicalizedResourceV1('bucket', 'key+123')).toBe('/bucket/key+123');
    expect(canonicalizedResourceV1('b', 'dir/ü k+y%20?#*~.bin')).toBe('/b/dir/ü k+y%20?#*~.bin');
    expect(canonicalizedResourceV1('b', '/lead//trail/')).toBe('/b//lead//trail/');
    expect(canonicalizedResourceV1('b', '😀')).toBe('/b/😀');
  });

  it('keeps only signable parameters, sorted, bare when empty, values raw', () => {
    expect(
      canonicalizedResourceV1('b', 'k', [
        ['uploadId', 'abc'],
        ['partNumber', '3'],
        ['max-parts', '10'],
        ['encoding-type', 'url'],
        ['x-oss-process', 'image/resize,w_10'],
      ]),
    ).toBe('/b/k?partNumber=3&uploadId=abc&x-oss-process=image/resize,w_10');
    expect(canonicalizedResourceV1('b', undefined, { uploads: undefined, prefix: 'a' })).toBe(
      '/b/?uploads',
    );
    expect(canonicalizedResourceV1('b', 'k', { uploads: '' })).toBe('/b/k?uploads');
    expect(
      canonicalizedResourceV1('b', 'k', {
        'response-content-disposition': 'attachment; filename=example.txt',
      }),
    ).toBe('/b/k?response-content-disposition=attachment; filename=example.txt');
  });

  it('signs caller-registered sub-resources', () => {
    expect(canonicalizedResourceV1('b', undefined, { resourceGroup: 'rg', foo: '1' })).toBe(
      '/b/?resourceGroup=rg',
    );
    expect(canonicalizedResourceV1('b', undefined, { foo: '1', bar: '' }, ['foo', 'bar'])).toBe(
      '/b/?bar&foo=1',
    );
  });

  it('orders repeated names by value', () => {
    expect(
      canonicalizedResourceV1('b', 'k', [
        ['versionId', 'b'],
        ['versionId', 'a'],
      ]),
    ).toBe('/b/k?versionId=a&versionId=b');
  });

  it('refuses a key without a bucket', () => {
    expect(() => canonicalizedResourceV1(undefined, 'k')).toThrow(TypeError);
  });
});

describe('stringToSignV1', () => {
  const headers = {
    'Content-MD5': 'eB5eJF1ptWaXm4bijSPyxw==',
    'Content-Type': 'text/html',
    'x-oss-meta-author': 'alice',
  };

  it('uses x-oss-date in preference to Date', () => {
    expect(
      stringToSignV1({
        method: 'put',
        bucket: 'b',
        key: 'k',
        headers: { ...headers, Date: 'Thu, 01 Jan 2015 00:00:00 GMT', 'x-oss-date': 'X' },
      }),
    ).toBe(
      'PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\nX\nx-oss-date:X\nx-oss-meta-author:alice\n/b/k',
    );
  });

  it('falls back to Date, and to empty lines for absent headers', () => {
    expect(
      stringToSignV1({ method: 'GET', bucket: 'b', headers: { Date: 'D' }, query: { acl: '' } }),
    ).toBe('GET\n\n\nD\n/b/?acl');
  });

  it('takes the date line from options (presign Expires)', () => {
    expect(
      stringToSignV1(
        { method: 'GET', bucket: 'b', key: 'k', headers: { 'x-oss-date': 'X' } },
        { date: '1699807420' },
      ),
    ).toBe('GET\n\n\n1699807420\nx-oss-date:X\n/b/k');
  });
});
