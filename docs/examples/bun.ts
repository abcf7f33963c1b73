// Upload a file to OSS from Bun, resumably, printing progress as parts complete.
// Interrupt it with Ctrl-C and run the same command again: it resumes.
//
//   bun bun.ts <file> [key]
//
// Settings come from the environment: OSS_ENDPOINT, OSS_REGION, OSS_BUCKET,
// OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET (see docs/getting-started.md).
import { createClient, fromBlob, upload } from '@ossup/client';
import { fileCheckpointStore } from '@ossup/node';

function env(name: string): string {
  const value = Bun.env[name];
  if (!value) throw new Error(`Set ${name} first (see docs/getting-started.md).`);
  return value;
}

const [file, key = file?.split(/[\\/]/).pop()] = Bun.argv.slice(2);
if (!file || !key) throw new Error('Usage: bun bun.ts <file> [key]');

// Bun's fetch is fast, so the portable client is all Bun needs.
const client = createClient({
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

// Bun.file() is a Blob with a name and a modification time, so it can be recognised again
// after a restart (its fingerprint is name + size + lastModified) and the upload resumed.
const source = fromBlob(Bun.file(file));
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
}
