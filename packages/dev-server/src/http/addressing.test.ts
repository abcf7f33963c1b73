import { describe, expect, it } from 'vitest';
import { resolveAddress, splitHost } from './addressing.ts';

const base = new Set(['localhost', 'oss.localhost', '127.0.0.1', 'example.test']);

describe('splitHost', () => {
  it('splits host and port, IPv6 included', () => {
    expect(splitHost('Bucket.LOCALHOST:9000')).toEqual({
      hostname: 'bucket.localhost',
      port: '9000',
    });
    expect(splitHost('[::1]:9000')).toEqual({ hostname: '::1', port: '9000' });
    expect(splitHost('example.test')).toEqual({ hostname: 'example.test', port: undefined });
  });
});

describe('resolveAddress', () => {
  it('uses path style for IPs and base hosts', () => {
    expect(resolveAddress('127.0.0.1:9000', '/b/k/x', base)).toEqual({
      style: 'path',
      bucket: 'b',
      rawKey: 'k/x',
      hostname: '127.0.0.1',
    });
    expect(resolveAddress('[::1]:9000', '/b/', base)).toEqual({
      style: 'path',
      bucket: 'b',
      rawKey: undefined,
      hostname: '::1',
    });
    expect(resolveAddress('localhost', '/', base)).toEqual({
      style: 'path',
      bucket: undefined,
      rawKey: undefined,
      hostname: 'localhost',
    });
    expect(resolveAddress('10.1.2.3', '/b', base).bucket).toBe('b');
  });

  it('takes the bucket from <bucket>.<base host>', () => {
    expect(resolveAddress('my-bucket.localhost:9000', '/a/b', base)).toEqual({
      style: 'virtual',
      bucket: 'my-bucket',
      rawKey: 'a/b',
      hostname: 'my-bucket.localhost',
    });
    expect(resolveAddress('b.example.test', '/', base)).toEqual({
      style: 'virtual',
      bucket: 'b',
      rawKey: undefined,
      hostname: 'b.example.test',
    });
  });

  it('takes the bucket from OSS public host shapes (ali-oss to an IP endpoint)', () => {
    expect(resolveAddress('bkt.oss-cn-hangzhou.aliyuncs.com', '/k', base).bucket).toBe('bkt');
    expect(resolveAddress('bkt.oss-cn-hangzhou-internal.aliyuncs.com', '/k', base).bucket).toBe(
      'bkt',
    );
    expect(resolveAddress('bkt.cn-hangzhou.oss.aliyuncs.com', '/k', base).bucket).toBe('bkt');
    expect(resolveAddress('oss-cn-hangzhou.aliyuncs.com', '/bkt/k', base)).toEqual({
      style: 'path',
      bucket: 'bkt',
      rawKey: 'k',
      hostname: 'oss-cn-hangzhou.aliyuncs.com',
    });
  });

  it('falls back to path style for unknown hosts and nested subdomains', () => {
    expect(resolveAddress('foo.bar', '/b/k', base).style).toBe('path');
    expect(resolveAddress('a.b.localhost', '/b/k', base).style).toBe('path');
    expect(resolveAddress(undefined, '/b/k', base).bucket).toBe('b');
  });

  it('keeps the raw key, percent-encoding and all', () => {
    expect(resolveAddress('127.0.0.1', '/b/a%2Fb/..%2F', base).rawKey).toBe('a%2Fb/..%2F');
    expect(resolveAddress('b.localhost', '//k', base).rawKey).toBe('/k');
  });
});
