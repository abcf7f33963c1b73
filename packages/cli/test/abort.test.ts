import { spawn } from 'node:child_process';
import type { OssClient } from '@ossup/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliServer, collect, jsonLines, pkgDir, runCli, startCliServer } from './helpers.ts';

const BUCKET = 'abort-bucket';

let t: CliServer;
let client: OssClient;

beforeAll(async () => {
  t = await startCliServer(BUCKET);
  client = t.client;
});

afterAll(async () => {
  await t?.close();
});

async function openUploads(prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const u of client.listAllMultipartUploads({ bucket: BUCKET, prefix }))
    ids.push(u.uploadId);
  return ids.sort();
}

describe('ossup abort --all', () => {
  it('counts an upload that is gone by the time it is aborted, and carries on', async () => {
    const ids: string[] = [];
    for (const key of ['gone/a.bin', 'gone/b.bin', 'gone/c.bin'])
      ids.push((await client.initiateMultipartUpload({ bucket: BUCKET, key })).uploadId);
    // b.bin completes (or is aborted by someone else) between the listing and its abort.
    t.server.faults.add({
      match: { operation: 'AbortMultipartUpload', key: 'gone/b.bin' },
      action: { kind: 'status', status: 404, code: 'NoSuchUpload' },
    });
    const r = await runCli(['abort', `oss://${BUCKET}/gone/`, '--all', '--yes', '--json'], t.env);
    t.server.faults.clear();
    expect(r.code).toBe(0);
    const docs = jsonLines(r.stdout);
    expect(docs.filter((d) => d.type === 'error')).toEqual([]);
    expect(docs.filter((d) => d.type === 'aborted').map((d) => d.uploadId)).toEqual([
      ids[0],
      ids[2],
    ]);
    const result = docs.find((d) => d.type === 'result');
    expect(result).toMatchObject({ command: 'abort', aborted: 2, alreadyGone: 1 });
    expect(await openUploads('gone/')).toEqual([ids[1]]);

    // Without --json: a summary that counts both.
    await client.initiateMultipartUpload({ bucket: BUCKET, key: 'gone/d.bin' });
    t.server.faults.add({
      match: { operation: 'AbortMultipartUpload', key: 'gone/b.bin' },
      action: { kind: 'status', status: 404, code: 'NoSuchUpload' },
    });
    const human = await runCli(['abort', `oss://${BUCKET}/gone/`, '--all', '--yes'], t.env);
    t.server.faults.clear();
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/aborted 1 upload; 1 was already gone/);
  });

  it('emits a final result document with --json when it aborted some', async () => {
    await client.initiateMultipartUpload({ bucket: BUCKET, key: 'some/a.bin' });
    const r = await runCli(['abort', `oss://${BUCKET}/some/`, '--all', '--yes', '--json'], t.env);
    expect(r.code).toBe(0);
    const last = jsonLines(r.stdout).at(-1);
    expect(last).toMatchObject({ type: 'result', command: 'abort', aborted: 1, alreadyGone: 0 });
  });

  it('stops at once, exit 130, on Ctrl-C at the confirmation prompt', async () => {
    const a = await client.initiateMultipartUpload({ bucket: BUCKET, key: 'prompt/a.bin' });
    const envs = Object.entries(t.env)
      .map(([k, v]) => `${k}=${JSON.stringify(v ?? '')}`)
      .join(' ');
    const cli = `node --conditions=source --import tsx src/bin.ts abort oss://${BUCKET}/prompt/ --all`;
    // `script` gives the CLI a real terminal, so it asks, and Ctrl-C (\x03) becomes SIGINT
    // through the terminal's line discipline, as when a person presses it.
    const child = spawn('script', ['-qec', `exec env ${envs} ${cli}`, '/dev/null'], {
      cwd: pkgDir,
      env: { PATH: process.env.PATH, TERM: 'xterm' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let seen = '';
    let pressed = false;
    child.stdout!.on('data', (d) => {
      seen += d;
      if (!pressed && seen.includes('[y/N]')) {
        pressed = true;
        child.stdin!.write('\x03');
      }
    });
    // A CLI that ignores the Ctrl-C would wait at the prompt for good: give up on it (and
    // fail) rather than hang the suite.
    let hung = false;
    const guard = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, 20_000);
    const r = await collect(child);
    clearTimeout(guard);
    expect(pressed).toBe(true);
    expect(hung).toBe(false);
    expect(r.code).toBe(130);
    expect(seen).toMatch(/interrupted/);
    expect(await openUploads('prompt/')).toEqual([a.uploadId]);
  });
});
