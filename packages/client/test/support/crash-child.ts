// Child process of upload-crash.test.ts: uploads a File with a durable checkpoint store,
// slowly, until the parent kills it with SIGKILL. Settings come from the environment.

import { fetchTransport } from '../../src/fetch-transport.ts';
import { createClient, fromBlob, upload } from '../../src/index.ts';
import { jsonFileStore } from './json-file-store.ts';
import { testBytes } from './upload-fixtures.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`crash-child: ${name} is not set`);
  return value;
};

const inner = fetchTransport();
const client = createClient({
  endpoint: env('OSSUP_ENDPOINT'),
  region: env('OSSUP_REGION'),
  credentials: { accessKeyId: env('OSSUP_AK'), accessKeySecret: env('OSSUP_SK') },
  // Each part waits a little before it is sent, so the parent can kill us mid-way.
  transport: async (request, options) => {
    if (request.url.includes('partNumber=')) await new Promise((r) => setTimeout(r, 40));
    return inner(request, options);
  },
});
const data = testBytes(Number(env('OSSUP_SIZE')), Number(env('OSSUP_SEED')));
await upload(client, {
  source: fromBlob(new File([data], 'crash.bin', { lastModified: 1_700_000_000_000 })),
  bucket: env('OSSUP_BUCKET'),
  key: env('OSSUP_KEY'),
  partSize: Number(env('OSSUP_PART')),
  limits: { minPartSize: 1024 },
  parallel: Number(env('OSSUP_PARALLEL')),
  checkpoint: jsonFileStore(env('OSSUP_STORE')),
});
process.stdout.write('finished\n');
