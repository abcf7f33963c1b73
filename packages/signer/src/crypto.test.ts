import { describe, expect, it } from 'vitest';
import { hmac, importHmacKey, nodeHmac, sha256Hex, toHex, utf8 } from './crypto.ts';

/**
 * Counts calls of a `crypto.subtle` method until `restore()`. By hand, not with `vi`: these
 * leaf tests also run under Bun and Deno, whose test shims have no mocks.
 */
function countWebCrypto(method: 'digest' | 'sign'): { calls: () => number; restore: () => void } {
  const subtle = crypto.subtle as unknown as Record<string, (...args: unknown[]) => unknown>;
  const own = Object.getOwnPropertyDescriptor(subtle, method);
  const original = subtle[method]!;
  let calls = 0;
  subtle[method] = (...args: unknown[]) => {
    calls++;
    return original.apply(crypto.subtle, args);
  };
  return {
    calls: () => calls,
    restore: () => {
      if (own === undefined) delete subtle[method];
      else Object.defineProperty(subtle, method, own);
    },
  };
}

describe('sha256Hex', () => {
  it('takes the node:crypto path here, and agrees with WebCrypto (the browser path)', async () => {
    // Node >= 20.16, Bun and Deno have process.getBuiltinModule; the fast path is the one
    // every server-side signature goes through.
    expect(
      typeof (globalThis as { process?: { getBuiltinModule?: unknown } }).process?.getBuiltinModule,
    ).toBe('function');
    const values = ['', 'abc', 'PUT\n/bucket/k%20ey\n\nx-oss-date:20261126T000000Z', '键 🚀 é'];
    const webCrypto = await Promise.all(
      values.map(async (v) => toHex(await crypto.subtle.digest('SHA-256', utf8(v)))),
    );
    // No WebCrypto digest on this path: each one is a trip through a thread pool.
    const counter = countWebCrypto('digest');
    try {
      for (const [i, value] of values.entries()) expect(await sha256Hex(value)).toBe(webCrypto[i]);
    } finally {
      counter.restore();
    }
    expect(counter.calls()).toBe(0);
  });

  it('matches the FIPS 180-2 vector for "abc"', async () => {
    expect(await sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('hmac', () => {
  // RFC 2202 §3 and RFC 4231 §4.3, test case 2 of each (key "Jefe").
  const message = 'what do ya want for nothing?';
  const vectors = [
    ['SHA-1', 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79'],
    ['SHA-256', '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
  ] as const;

  it('takes the node:crypto path here, matching the RFC vectors and WebCrypto', async () => {
    const reference = async (key: CryptoKey, text: string) =>
      toHex(await crypto.subtle.sign('HMAC', key, utf8(text)));
    const keys = await Promise.all(vectors.map(([hash]) => importHmacKey(utf8('Jefe'), hash)));
    const expected = await Promise.all(keys.map((key) => reference(key, '键 🚀')));
    const counter = countWebCrypto('sign');
    try {
      for (const [i, [, vector]] of vectors.entries()) {
        expect(toHex(await hmac(keys[i]!, message))).toBe(vector);
        expect(toHex(await hmac(keys[i]!, '键 🚀'))).toBe(expected[i]);
      }
    } finally {
      counter.restore();
    }
    expect(counter.calls()).toBe(0);
  });

  it('signs with a CryptoKey it did not import through WebCrypto, correctly', async () => {
    const own = await crypto.subtle.importKey(
      'raw',
      utf8('Jefe'),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    const counter = countWebCrypto('sign');
    try {
      expect(toHex(await hmac(own, message))).toBe(vectors[1][1]);
    } finally {
      counter.restore();
    }
    expect(counter.calls()).toBe(1);
  });

  it('falls back to WebCrypto for good once node:crypto fails to sign with a key', async () => {
    const key = await importHmacKey(utf8('Jefe'), 'SHA-1');
    const failing = {
      createHmac: () => {
        throw new Error('not supported here');
      },
    };
    expect(nodeHmac(key, message, failing)).toBeUndefined();
    const counter = countWebCrypto('sign');
    try {
      expect(toHex(await hmac(key, message))).toBe(vectors[0][1]);
    } finally {
      counter.restore();
    }
    expect(counter.calls()).toBe(1);
  });
});
