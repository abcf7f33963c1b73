import { describe, expect, it } from 'vitest';
import { hmac, importHmacKey, toHex } from './crypto.ts';
import { createSigningKeyCache, deriveSigningKeyV4 } from './key-cache.ts';

const SECRET = 'very-secret-value-123';

describe('createSigningKeyCache', () => {
  it('returns the same key for the same inputs and a working V4 key', async () => {
    const cache = createSigningKeyCache();
    const a = await cache.v4Key(SECRET, '20240501', 'cn-hangzhou', 'oss');
    const b = await cache.v4Key(SECRET, '20240501', 'cn-hangzhou', 'oss');
    expect(a).toBe(b);
    expect(cache.size).toBe(1);
    const raw = await deriveSigningKeyV4(SECRET, '20240501', 'cn-hangzhou', 'oss');
    const reference = await importHmacKey(new Uint8Array(raw), 'SHA-256');
    expect(toHex(await hmac(a, 'msg'))).toBe(toHex(await hmac(reference, 'msg')));
  });

  it('keys entries by secret, date, region and product', async () => {
    const cache = createSigningKeyCache();
    const base = await cache.v4Key(SECRET, '20240501', 'r', 'oss');
    expect(await cache.v4Key(`${SECRET}x`, '20240501', 'r', 'oss')).not.toBe(base);
    expect(await cache.v4Key(SECRET, '20240502', 'r', 'oss')).not.toBe(base);
    expect(await cache.v4Key(SECRET, '20240501', 'r2', 'oss')).not.toBe(base);
    expect(await cache.v4Key(SECRET, '20240501', 'r', 'oss-cloudbox')).not.toBe(base);
    expect(await cache.v1Key(SECRET)).not.toBe(base);
    expect(cache.size).toBe(6);
  });

  it('stays bounded, dropping the least recently used entry', async () => {
    const cache = createSigningKeyCache({ maxEntries: 2 });
    const one = await cache.v1Key('one');
    await cache.v1Key('two');
    expect(await cache.v1Key('one')).toBe(one); // refreshes "one"
    await cache.v1Key('three'); // evicts "two"
    expect(cache.size).toBe(2);
    expect(await cache.v1Key('one')).toBe(one);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(await cache.v1Key('one')).not.toBe(one);
  });

  it('never exposes the secret: non-extractable keys, nothing enumerable', async () => {
    const cache = createSigningKeyCache();
    const v1 = await cache.v1Key(SECRET);
    const v4 = await cache.v4Key(SECRET, '20240501', 'r', 'oss');
    expect(v1.extractable).toBe(false);
    expect(v4.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', v1)).rejects.toThrow();
    expect(JSON.stringify(cache)).not.toContain(SECRET);
    expect(JSON.stringify(Object.entries(cache))).not.toContain(SECRET);
    expect(String(cache)).not.toContain(SECRET);
  });

  it('rejects a non-positive size', () => {
    expect(() => createSigningKeyCache({ maxEntries: 0 })).toThrow(RangeError);
  });
});
