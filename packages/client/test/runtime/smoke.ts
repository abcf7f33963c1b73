// The same upload + resume under whichever runtime runs this file (Node via tsx, Bun, Deno).
// It talks to a dev server started by the caller (endpoint and credentials in the
// environment), through the portable core only: fetch transport, fromBytes, memory store.

import { memoryCheckpointStore } from '@ossup/checkpoint-store';
import { crc64 } from '@ossup/checksum';
import { createClient, fromBytes, upload } from '../../src/index.ts';

const env = (name: string): string => {
  const v = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env[
    name
  ];
  if (!v) throw new Error(`runtime-smoke: ${name} is not set`);
  return v;
};

const client = createClient({
  endpoint: env('OSS_ENDPOINT'),
  region: env('OSS_REGION'),
  credentials: {
    accessKeyId: env('OSS_ACCESS_KEY_ID'),
    accessKeySecret: env('OSS_ACCESS_KEY_SECRET'),
  },
});
const bucket = env('OSSUP_SMOKE_BUCKET');
const runtime = env('OSSUP_SMOKE_RUNTIME');
const key = `smoke/${runtime}.bin`;

const data = new Uint8Array(3 * 1024 * 1024 + 12345);
for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
const source = fromBytes(data, { fingerprint: `smoke-${runtime}` });
const store = memoryCheckpointStore();
const partSize = 256 * 1024;

// 1. Start, and pause (abort) after a few parts are stored.
const controller = new AbortController();
let paused = false;
try {
  await upload(client, {
    source,
    bucket,
    key,
    partSize,
    parallel: 2,
    checkpoint: store,
    signal: controller.signal,
    onProgress: (p) => {
      if (p.partsDone >= 4 && !controller.signal.aborted) controller.abort(new Error('pause'));
    },
  });
} catch (e) {
  paused = controller.signal.aborted;
  if (!paused) throw e;
}
if (!paused) throw new Error('runtime-smoke: the upload finished before it could be paused');

// 2. Resume from the checkpoint.
const result = await upload(client, {
  source,
  bucket,
  key,
  partSize,
  parallel: 2,
  checkpoint: store,
});
if (!result.resumed) throw new Error('runtime-smoke: the second upload did not resume');
const expected = crc64(data);
if (result.crc64 !== expected)
  throw new Error(`runtime-smoke: CRC-64 ${result.crc64} != ${expected}`);

// 3. Read it back.
const got = await client.getObject({ bucket, key });
const bytes = new Uint8Array(await new Response(got.body).arrayBuffer());
if (bytes.length !== data.length || crc64(bytes) !== expected)
  throw new Error('runtime-smoke: read-back mismatch');
console.log(
  `runtime-smoke ${runtime}: uploaded, paused, resumed (${result.resumedBytes} bytes kept), verified CRC-64 ${expected}`,
);
