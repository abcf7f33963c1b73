// Upload a file to OSS from Deno, resumably, printing progress as parts complete.
// Interrupt it with Ctrl-C and run the same command again: it resumes.
//
//   deno run --allow-net --allow-env --allow-read --allow-write --allow-sys=hostname \
//     deno.ts <file> [key]
//
// Settings come from the environment: OSS_ENDPOINT, OSS_REGION, OSS_BUCKET,
// OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET (see docs/getting-started.md).
import { createClient, upload } from '@ossup/client';
import { fileCheckpointStore, fromFile } from '@ossup/node';

function env(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`Set ${name} first (see docs/getting-started.md).`);
  return value;
}

const [file, key = file?.split(/[\\/]/).pop()] = Deno.args;
if (!file || !key) throw new Error('Usage: deno.ts <file> [key]');

// Deno's fetch is the transport; @ossup/node's file source and checkpoint store run on
// Deno's Node compatibility layer (the store's lock records the host name: --allow-sys).
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
const onSigint = () => pause.abort(new Error('paused by Ctrl-C'));
Deno.addSignalListener('SIGINT', onSigint);

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
  Deno.exitCode = 130;
} finally {
  await source.close(); // upload() never closes the source
  Deno.removeSignalListener('SIGINT', onSigint); // a listener would keep Deno running
}
