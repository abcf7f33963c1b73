// Upload a file to OSS from Node, resumably, printing progress as parts complete.
// Interrupt it with Ctrl-C and run the same command again: it resumes from the parts
// already stored instead of starting over.
//
//   npx tsx node.ts <file> [key]
//
// Settings come from the environment: OSS_ENDPOINT, OSS_REGION, OSS_BUCKET,
// OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET (see docs/getting-started.md).
import { basename } from 'node:path';
import { upload } from '@ossup/client';
import { createNodeClient, fileCheckpointStore, fromFile } from '@ossup/node';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name} first (see docs/getting-started.md).`);
  return value;
}

const [file, key = basename(file ?? '')] = process.argv.slice(2);
if (!file) throw new Error('Usage: node.ts <file> [key]');

// createNodeClient = createClient with a keep-alive node:http transport (faster than fetch).
const client = createNodeClient({
  endpoint: env('OSS_ENDPOINT'),
  region: env('OSS_REGION'),
  credentials: {
    accessKeyId: env('OSS_ACCESS_KEY_ID'),
    accessKeySecret: env('OSS_ACCESS_KEY_SECRET'),
  },
});

// Ctrl-C pauses: the parts on the server and the checkpoint file are kept.
const pause = new AbortController();
process.once('SIGINT', () => pause.abort(new Error('paused by Ctrl-C')));

const source = await fromFile(file);
let partsShown = -1;
try {
  const result = await upload(client, {
    source,
    bucket: env('OSS_BUCKET'),
    key,
    checkpoint: fileCheckpointStore('.ossup-checkpoints'),
    signal: pause.signal,
    onProgress: (p) => {
      if (p.partsDone === partsShown) return;
      partsShown = p.partsDone;
      console.log(`${p.phase}: ${p.partsDone}/${p.partsTotal} parts, ${p.loaded}/${p.total} bytes`);
    },
  });
  const resumed = result.resumed
    ? `, resumed (${result.resumedBytes} bytes were already there)`
    : '';
  console.log(`uploaded ${result.size} bytes to ${result.key}, CRC-64 ${result.crc64}${resumed}`);
} catch (error) {
  if (!pause.signal.aborted) throw error;
  console.log('paused: run the same command again to resume');
  process.exitCode = 130;
} finally {
  await source.close(); // upload() never closes the source
}
