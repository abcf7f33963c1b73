// kill -9 of an uploading process, then resume from its durable checkpoint: at most
// `parallel` parts are sent twice, and nothing the server had acknowledged is sent again.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc64 } from '@ossup/checksum';
import type { DevServer } from '@ossup/dev-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBlob, type OssClient, upload } from '../src/index.ts';
import { jsonFileStore } from './support/json-file-store.ts';
import {
  BUCKET,
  clientFor,
  SMALL_LIMITS,
  SMALL_PART,
  sameBytes,
  startServer,
  storedObject,
  storedPartCounts,
  testBytes,
} from './support/upload-fixtures.ts';

let server: DevServer;
let client: OssClient;
let storeDir: string;

beforeAll(async () => {
  server = await startServer();
  client = clientFor(server);
  storeDir = await mkdtemp(join(tmpdir(), 'ossup-crash-'));
});
afterAll(async () => {
  await server.close();
  await rm(storeDir, { recursive: true, force: true });
});

const PARTS = 24;
const PARALLEL = 3;
const SIZE = PARTS * SMALL_PART - 5;
const SEED = 99;
const KEY = 'crash/kill-9';

describe('crash', () => {
  it('resumes after kill -9 of the uploading process', async () => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        fileURLToPath(new URL('./support/crash-child.ts', import.meta.url)),
      ],
      {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        env: {
          ...process.env,
          OSSUP_ENDPOINT: server.endpoint,
          OSSUP_REGION: server.region,
          OSSUP_AK: server.credentials.accessKeyId,
          OSSUP_SK: server.credentials.accessKeySecret,
          OSSUP_BUCKET: BUCKET,
          OSSUP_KEY: KEY,
          OSSUP_SIZE: String(SIZE),
          OSSUP_PART: String(SMALL_PART),
          OSSUP_SEED: String(SEED),
          OSSUP_PARALLEL: String(PARALLEL),
          OSSUP_STORE: storeDir,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    let alive = true;
    void exited.then(() => (alive = false));
    // Kill it once a third of the parts are stored.
    while (alive && storedPartCounts(server, KEY).size < PARTS / 3) {
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(alive, `child ended before it could be killed:\n${output}`).toBe(true);
    child.kill('SIGKILL');
    await exited;
    expect(output).not.toContain('finished');

    const storedBefore = storedPartCounts(server, KEY);
    const requestsBefore = server.requests.entries({ operation: 'UploadPart', key: KEY }).length;
    const data = testBytes(SIZE, SEED);
    const result = await upload(client, {
      source: fromBlob(new File([data], 'crash.bin', { lastModified: 1_700_000_000_000 })),
      bucket: BUCKET,
      key: KEY,
      partSize: SMALL_PART,
      limits: SMALL_LIMITS,
      parallel: PARALLEL,
      checkpoint: jsonFileStore(storeDir),
    });
    expect(result.resumed).toBe(true);
    expect(result.resumedBytes).toBeGreaterThanOrEqual(storedBefore.size * SMALL_PART);
    const resent = server.requests
      .entries({ operation: 'UploadPart', key: KEY })
      .slice(requestsBefore)
      .map((e) => e.partNumber!);
    for (const partNumber of storedBefore.keys()) expect(resent).not.toContain(partNumber);
    // Parts sent more than once across both processes (cut by the kill, or stored but never
    // acknowledged and not recognised): at most `parallel`.
    const allRequests = server.requests.count({ operation: 'UploadPart', key: KEY });
    expect(allRequests - PARTS).toBeLessThanOrEqual(PARALLEL);
    const stored = await storedObject(client, KEY);
    expect(stored.crc64).toBe(crc64(data));
    expect(sameBytes(stored.bytes, data)).toBe(true);
    expect(await jsonFileStore(storeDir).list()).toEqual([]);
  });
});
