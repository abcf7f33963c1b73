import { describe, expect, it } from 'vitest';
import { sha256Hex, toHex, utf8 } from './crypto.ts';

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
    const subtle = crypto.subtle as { digest: SubtleCrypto['digest'] };
    const digest = subtle.digest;
    let webCryptoCalls = 0;
    subtle.digest = (...args: Parameters<SubtleCrypto['digest']>) => {
      webCryptoCalls++;
      return digest.apply(crypto.subtle, args);
    };
    try {
      for (const [i, value] of values.entries()) expect(await sha256Hex(value)).toBe(webCrypto[i]);
    } finally {
      subtle.digest = digest;
    }
    expect(webCryptoCalls).toBe(0);
  });

  it('matches the FIPS 180-2 vector for "abc"', async () => {
    expect(await sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
