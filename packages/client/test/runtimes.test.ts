import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { type DevServer, startDevServer } from '@ossup/dev-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The same upload + pause + resume (test/runtime/smoke.ts) under Node, Bun and Deno, against
// one real dev server. Bun and Deno come from the root devDependencies (npm packages).
const root = join(import.meta.dirname, '..', '..', '..');
const RUNTIMES: Record<string, string[]> = {
  node: [process.execPath, '--conditions=source', '--import', 'tsx', 'test/runtime/smoke.ts'],
  bun: [join(root, 'node_modules', '.bin', 'bun'), '--conditions=source', 'test/runtime/smoke.ts'],
  deno: [
    join(root, 'node_modules', '.bin', 'deno'),
    'run',
    '--allow-env',
    '--allow-net',
    '--allow-read',
    '--conditions=source',
    'test/runtime/smoke.ts',
  ],
};

let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({ buckets: ['runtime-smoke'], limits: { minPartSize: 64 * 1024 } });
});
afterAll(async () => {
  await server?.close();
});

describe('upload and resume under every runtime', () => {
  for (const [runtime, [cmd, ...args]] of Object.entries(RUNTIMES)) {
    it(`works under ${runtime}`, async () => {
      const child = spawn(cmd!, args, {
        cwd: join(import.meta.dirname, '..'),
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NO_COLOR: '1',
          OSS_ENDPOINT: server.endpoint,
          OSS_REGION: server.region,
          OSS_ACCESS_KEY_ID: server.credentials.accessKeyId,
          OSS_ACCESS_KEY_SECRET: server.credentials.accessKeySecret,
          OSSUP_SMOKE_BUCKET: 'runtime-smoke',
          OSSUP_SMOKE_RUNTIME: runtime,
        },
      });
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      child.stderr.on('data', (d) => {
        out += d;
      });
      const code = await new Promise<number | null>((r) => child.once('close', r));
      expect({ runtime, code, out }).toEqual({
        runtime,
        code: 0,
        out: expect.stringContaining(`runtime-smoke ${runtime}: uploaded, paused, resumed`),
      });
      const head = await fetch(server.endpoint); // keep the server honest: still serving
      expect(head.status).toBeGreaterThan(0);
    });
  }
});
