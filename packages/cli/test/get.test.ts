import { spawn, spawnSync } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CliServer,
  collect,
  jsonLines,
  pkgDir,
  runCli,
  spawnCli,
  startCliServer,
} from './helpers.ts';

const BUCKET = 'get-bucket';
const TEXT = 'plain text object for ossup get\n'.repeat(40);

let t: CliServer;
let big: Buffer;

beforeAll(async () => {
  t = await startCliServer(BUCKET);
  const client = t.client;
  big = Buffer.alloc(4 * 1024 * 1024);
  for (let i = 0; i < big.length; i += 4) big.writeUInt32LE((i * 2654435761) >>> 0, i);
  await client.putObject({
    bucket: BUCKET,
    key: 'dir/file.txt',
    body: new TextEncoder().encode(TEXT),
  });
  await client.putObject({ bucket: BUCKET, key: 'big.bin', body: big });
});

afterAll(async () => {
  await t?.close();
});

/** Files a download left behind in `dir` under a temporary name. */
async function leftovers(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.includes('.ossup-'));
}

function noStackTrace(text: string) {
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toMatch(/Unhandled|unexpected error/);
}

describe('ossup get: destination problems', () => {
  it('fails with a clear error (and a JSON error document) when the directory does not exist', async () => {
    const dest = join(t.work.dir, 'missing-dir', 'x.txt');
    const r = await runCli(['get', `oss://${BUCKET}/dir/file.txt`, dest], t.env);
    expect(r.code).toBe(1);
    noStackTrace(r.stderr);
    expect(r.stderr).toMatch(/^ossup: cannot write .*missing-dir.*x\.txt/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);

    const j = await runCli(['get', `oss://${BUCKET}/dir/file.txt`, dest, '--json'], t.env);
    expect(j.code).toBe(1);
    noStackTrace(j.stderr);
    const doc = jsonLines(j.stdout).find((d) => d.type === 'error');
    expect(doc?.code).toBe('ENOENT');
    expect(doc?.message).toMatch(/missing-dir/);
  });

  it('removes the temporary file and fails cleanly when a write fails mid-download', async () => {
    const dir = join(t.work.dir, 'efbig');
    await mkdir(dir);
    // A file-size limit makes the write fail part-way (EFBIG), like a full disk would.
    const child = spawn(
      'sh',
      [
        '-c',
        'ulimit -f 1024; exec "$0" "$@"',
        process.execPath,
        '--conditions=source',
        '--import',
        'tsx',
        join(pkgDir, 'src', 'bin.ts'),
        'get',
        `oss://${BUCKET}/big.bin`,
        join(dir, 'big.bin'),
      ],
      { cwd: pkgDir, env: { PATH: process.env.PATH, ...t.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const r = await collect(child);
    expect(r.code).toBe(1);
    noStackTrace(r.stderr);
    expect(r.stderr).toMatch(/^ossup: cannot write .*big\.bin/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('saves into an existing directory under the key’s base name, like cp', async () => {
    const dir = join(t.work.dir, 'into-dir');
    await mkdir(dir);
    const r = await runCli(['get', `oss://${BUCKET}/dir/file.txt`, dir], t.env);
    expect(r.code).toBe(0);
    expect(await readFile(join(dir, 'file.txt'), 'utf8')).toBe(TEXT);
    expect(r.stdout).toContain(join(dir, 'file.txt'));
    expect(await leftovers(dir)).toEqual([]);
  });

  it('refuses a key ending in / when the destination is a directory', async () => {
    const dir = join(t.work.dir, 'dir-key');
    await mkdir(dir);
    const r = await runCli(['get', `oss://${BUCKET}/dir/`, dir], t.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ends in '\/'/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('does not loosen the permissions of the file it replaces', async () => {
    const dest = join(t.work.dir, 'private.txt');
    await writeFile(dest, 'old');
    await chmod(dest, 0o600);
    const r = await runCli(['get', `oss://${BUCKET}/dir/file.txt`, dest], t.env);
    expect(r.code).toBe(0);
    expect(await readFile(dest, 'utf8')).toBe(TEXT);
    expect((await stat(dest)).mode & 0o777).toBe(0o600);
  });

  it('writes a pipe or a device as it is instead of renaming a file over it', async () => {
    const fifo = join(t.work.dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    const read = collect(reader);
    const r = await runCli(['get', `oss://${BUCKET}/dir/file.txt`, fifo], t.env);
    const stillFifo = (await stat(fifo)).isFIFO();
    // With no writer ever opening the pipe, `cat` would wait for good.
    if (r.code !== 0 || !stillFifo) reader.kill();
    expect(r.code).toBe(0);
    expect(stillFifo).toBe(true);
    expect((await read).stdout).toBe(TEXT);

    const devNull = await runCli(['get', `oss://${BUCKET}/dir/file.txt`, '/dev/null'], t.env);
    expect(devNull.code).toBe(0);
    expect((await stat('/dev/null')).isCharacterDevice()).toBe(true);
  });
});

describe('ossup get to stdout (-)', () => {
  it('ends quietly with exit 141 when the reader closes stdout early', async () => {
    const child = spawnCli(['get', `oss://${BUCKET}/big.bin`, '-'], t.env);
    child.stdout!.once('data', () => child.stdout!.destroy());
    const r = await collect(child);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(141);
  });

  it('writes only the object to stdout; --json documents go to stderr', async () => {
    const r = await runCli(['get', `oss://${BUCKET}/dir/file.txt`, '-', '--json'], t.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(TEXT);
    const result = jsonLines(r.stderr).find((d) => d.type === 'result');
    expect(result?.size).toBe(TEXT.length);
    expect(result?.verified).toBe(true);

    const missing = await runCli(['get', `oss://${BUCKET}/nope`, '-', '--json'], t.env);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(jsonLines(missing.stderr).find((d) => d.type === 'error')?.code).toBe('NoSuchKey');
  });

  it('on a CRC-64 mismatch says the bytes already went to stdout instead of "discarded"', async () => {
    const body = Buffer.from('bytes that will rot on the server\n'.repeat(20));
    await t.client.putObject({ bucket: BUCKET, key: 'rotten.txt', body });
    // Flip one byte of the stored data file: the server then serves bytes that do not match
    // the CRC-64 it recorded at upload.
    const dataDir = join(t.server.dataDir, 'buckets', BUCKET, 'data');
    let flipped = false;
    for (const f of await readdir(dataDir)) {
      const bytes = await readFile(join(dataDir, f));
      if (bytes.equals(body)) {
        bytes[5] = bytes[5]! ^ 0xff;
        await writeFile(join(dataDir, f), bytes);
        flipped = true;
      }
    }
    expect(flipped).toBe(true);
    const r = await runCli(['get', `oss://${BUCKET}/rotten.txt`, '-'], t.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/CRC-64 mismatch/);
    expect(r.stderr).toMatch(/already written to standard output/);
    expect(r.stderr).not.toMatch(/discarded/);
  });
});
