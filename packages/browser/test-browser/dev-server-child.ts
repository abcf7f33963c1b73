// The dev server for the transport tests, in a child process run by global-setup.ts with
// `--conditions=source --import tsx`, so the workspace packages load from their sources (the
// config and its global setup load with plain Node resolution, which finds only dist/).
// It reports where it listens, then answers requests from its parent over IPC.
import { createClient } from '@ossup/client';
import { type FaultSpec, startDevServer } from '@ossup/dev-server';

const server = await startDevServer({ buckets: ['browser'] });
const client = createClient({
  endpoint: server.endpoint,
  region: server.region,
  credentials: server.credentials,
});

type Request =
  | { id: number; op: 'fault'; spec: FaultSpec }
  | { id: number; op: 'clear'; faultId: string }
  | { id: number; op: 'object'; bucket: string; key: string };

async function answer(request: Request): Promise<unknown> {
  switch (request.op) {
    case 'fault':
      return server.faults.add(request.spec).id;
    case 'clear':
      server.faults.remove(request.faultId);
      return null;
    case 'object': {
      const head = await client.headObject({ bucket: request.bucket, key: request.key });
      const open = await client.listMultipartUploads({
        bucket: request.bucket,
        prefix: request.key,
      });
      return { size: head.size, crc64: String(head.crc64), openUploads: open.uploads.length };
    }
  }
}

// The parent going away (the run ended, or it crashed) closes the server and ends the process.
process.once('disconnect', () => {
  void server.close().finally(() => process.exit(0));
});
process.on('message', (request: Request) => {
  answer(request).then(
    (result) => process.send?.({ id: request.id, result }),
    (error: unknown) => process.send?.({ id: request.id, error: String(error) }),
  );
});
process.send?.({
  ready: { endpoint: server.endpoint, region: server.region, credentials: server.credentials },
});
