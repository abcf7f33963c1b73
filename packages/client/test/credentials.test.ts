import type { DevServer } from '@ossup/dev-server';
import type { Credentials } from '@ossup/signer';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bytes, clientFor, startServer, VERSIONS } from './low-level-helpers.ts';

let server: DevServer;
let shiftMs = 0;
const bucket = 'sts';
beforeAll(async () => {
  server = await startServer([bucket], { now: () => Date.now() + shiftMs });
});
afterAll(async () => {
  await server.close();
});

function stsProvider(durationSeconds: number, reportExpiration: boolean) {
  const state = { calls: 0 };
  const provider = async (): Promise<Credentials> => {
    state.calls += 1;
    const issued = server.issueTemporaryCredentials({ durationSeconds });
    return {
      accessKeyId: issued.accessKeyId,
      accessKeySecret: issued.accessKeySecret,
      securityToken: issued.securityToken,
      ...(reportExpiration ? { expiration: new Date(issued.expiration) } : {}),
    };
  };
  return { provider, state };
}

describe.each(VERSIONS)('STS credentials (%s)', (version) => {
  it('refreshes credentials the server rejects as expired, once, and re-signs', async () => {
    shiftMs = 0;
    // The provider does not report the expiration, so only the server's answer reveals it.
    const { provider, state } = stsProvider(60, false);
    const client = clientFor(server, { signatureVersion: version, credentialsProvider: provider });
    const key = `sts-${version}.bin`;
    const { uploadId } = await client.initiateMultipartUpload({ bucket, key });
    await client.uploadPart({ bucket, key, uploadId, partNumber: 1, body: bytes(2048) });
    expect(state.calls).toBe(1);

    shiftMs = 120_000; // the server's clock passes the token's expiry (still within skew limits)
    server.requests.clear();
    const parts = await Promise.all(
      [2, 3, 4, 5].map((partNumber) =>
        client.uploadPart({ bucket, key, uploadId, partNumber, body: bytes(2048, partNumber) }),
      ),
    );
    expect(parts).toHaveLength(4);
    // Four parts in flight failed with SecurityTokenExpired; one refresh served them all.
    expect(state.calls).toBe(2);
    expect(server.requests.count('UploadPart')).toBe(8);
    await client.abortMultipartUpload({ bucket, key, uploadId });
    shiftMs = 0;
  });

  it('refreshes before expiration when the provider reports it', async () => {
    shiftMs = 0;
    let clientClock = Date.now();
    const { provider, state } = stsProvider(600, true);
    const client = clientFor(server, {
      signatureVersion: version,
      credentialsProvider: provider,
      now: () => clientClock,
      refreshMarginMs: 5 * 60_000,
    });
    await client.putObject({ bucket, key: 'early.bin', body: bytes(1) });
    clientClock += 6 * 60_000; // inside the 5-minute margin before the 10-minute expiry
    shiftMs = 6 * 60_000;
    server.requests.clear();
    await Promise.all(
      [1, 2, 3].map((n) => client.putObject({ bucket, key: `early-${n}.bin`, body: bytes(n) })),
    );
    // The cached token still signed them; one refresh ran behind them.
    await vi.waitFor(() => expect(state.calls).toBe(2));
    await client.putObject({ bucket, key: 'early-4.bin', body: bytes(4) });
    expect(state.calls).toBe(2);
    expect(server.requests.count('PutObject')).toBe(4);
    shiftMs = 0;
  });
});

describe('clock skew', () => {
  it('corrects a skewed local clock from the server Date and succeeds', async () => {
    shiftMs = 0;
    const client = clientFor(server, { now: () => Date.now() - 60 * 60_000 });
    server.requests.clear();
    await client.putObject({ bucket, key: 'skewed.bin', body: bytes(5) });
    expect(server.requests.count('PutObject')).toBe(2);
  });

  it('judges the expiry of provider credentials by the corrected clock', async () => {
    shiftMs = 0;
    // 15-minute tokens, and a local clock 20 minutes fast: by the local clock every token
    // has already expired, so without the correction each request would call the provider.
    const { provider, state } = stsProvider(900, true);
    const client = clientFor(server, {
      credentialsProvider: provider,
      now: () => Date.now() + 20 * 60_000,
    });
    for (let n = 0; n < 5; n++) {
      await client.putObject({ bucket, key: `skew-sts-${n}.bin`, body: bytes(n + 1) });
    }
    expect(state.calls).toBe(1);
  });
});
