import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc64 } from '@ossup/checksum';
import { createClient } from '@ossup/client';
import { type DevServer, startDevServer } from '@ossup/dev-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/commands/index.ts';
import { VERSION } from '../src/version.ts';
import { collect, jsonLines, randomFile, runCli, spawnCli, tempDir } from './helpers.ts';

const SECRET = 'cli-test-secret-XYZZY-0123456789';

let server: DevServer;
let work: { dir: string; cleanup: () => Promise<void> };
let env: Record<string, string | undefined>;

beforeAll(async () => {
  work = await tempDir();
  server = await startDevServer({
    buckets: ['cli-bucket'],
    credentials: { accessKeyId: 'cli-test-key', accessKeySecret: SECRET },
    limits: { minPartSize: 64 * 1024 },
  });
  env = {
    HOME: work.dir,
    OSSUP_STATE_DIR: join(work.dir, 'state'),
    OSS_ENDPOINT: server.endpoint,
    OSS_REGION: server.region,
    OSS_ACCESS_KEY_ID: 'cli-test-key',
    OSS_ACCESS_KEY_SECRET: SECRET,
  };
});

afterAll(async () => {
  await server?.close();
  await work?.cleanup();
});

function noSecret(...texts: string[]) {
  for (const t of texts) expect(t).not.toContain(SECRET);
}

describe('ossup basics', () => {
  it('prints its version, equal to package.json', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
    const r = await runCli(['--version'], env);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`ossup ${pkg.version}`);
  });

  it('lists every command in --help, and each command has its own --help', async () => {
    const r = await runCli(['--help'], env);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(`  ${c.name}`);
    const cp = await runCli(['cp', '--help'], env);
    expect(cp.code).toBe(0);
    for (const opt of Object.keys(COMMANDS.find((c) => c.name === 'cp')!.options))
      expect(cp.stdout).toContain(`--${opt}`);
  });

  it('exits 2 for an unknown command or flag', async () => {
    expect((await runCli(['frobnicate'], env)).code).toBe(2);
    const r = await runCli(['cp', '--frob', 'a', 'oss://cli-bucket/a'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown option '--frob'/);
  });
});

describe('ossup cp / stat / get', () => {
  it('uploads multipart, verifies, and downloads the same bytes', async () => {
    const { path, bytes } = await randomFile(work.dir, 'multi.bin', 700 * 1024 + 17);
    const r = await runCli(
      ['cp', path, 'oss://cli-bucket/dir/', '--part-size', '100KiB', '--parallel', '3', '--json'],
      env,
    );
    expect(r.code).toBe(0);
    const result = jsonLines(r.stdout).find((d) => d.type === 'result')!;
    expect(result.key).toBe('dir/multi.bin');
    expect(result.size).toBe(bytes.length);
    expect(result.crc64).toBe(crc64(bytes).toString());
    expect((result.parts as unknown[]).length).toBe(8);
    expect(jsonLines(r.stdout).some((d) => d.type === 'progress')).toBe(true);

    const s = await runCli(['stat', 'oss://cli-bucket/dir/multi.bin', '--json'], env);
    expect(s.code).toBe(0);
    const obj = jsonLines(s.stdout)[0]!;
    expect(obj.size).toBe(bytes.length);
    expect(obj.crc64).toBe(crc64(bytes).toString());
    expect(obj.objectType).toBe('Multipart');
    // `.bin` is no common type: OSS's default.
    expect(obj.contentType).toBe('application/octet-stream');

    const out = join(work.dir, 'downloaded.bin');
    const g = await runCli(['get', 'oss://cli-bucket/dir/multi.bin', out], env);
    expect(g.code).toBe(0);
    expect(Buffer.compare(await readFile(out), bytes)).toBe(0);
    noSecret(r.stdout, r.stderr, s.stdout, g.stdout, g.stderr);
  });

  it('uploads a small file with one PutObject, with metadata and content type', async () => {
    const { path, bytes } = await randomFile(work.dir, 'small.txt', 1000);
    const r = await runCli(
      [
        'cp',
        path,
        'oss://cli-bucket/small.txt',
        '--meta',
        'owner=ci',
        '--content-type',
        'text/x-note',
        '--md5',
      ],
      env,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('CRC-64');
    const s = jsonLines(
      (await runCli(['stat', 'oss://cli-bucket/small.txt', '--json'], env)).stdout,
    )[0]!;
    expect(s.size).toBe(bytes.length);
    // Asked for: it wins over the type of the key's extension (text/plain).
    expect(s.contentType).toBe('text/x-note');
    expect(s.meta).toEqual({ owner: 'ci' });
  });

  it("gives the object the type of its key's extension when none is asked for", async () => {
    const { path } = await randomFile(work.dir, 'clip.mp4', 3000);
    const r = await runCli(['cp', path, 'oss://cli-bucket/media/'], env);
    expect(r.code).toBe(0);
    const s = jsonLines(
      (await runCli(['stat', 'oss://cli-bucket/media/clip.mp4', '--json'], env)).stdout,
    )[0]!;
    expect(s.contentType).toBe('video/mp4');
  });

  it("takes the local file's extension when the key has none", async () => {
    const { path } = await randomFile(work.dir, 'report.pdf', 2000);
    const r = await runCli(['cp', path, 'oss://cli-bucket/docs/report'], env);
    expect(r.code).toBe(0);
    const s = jsonLines(
      (await runCli(['stat', 'oss://cli-bucket/docs/report', '--json'], env)).stdout,
    )[0]!;
    expect(s.contentType).toBe('application/pdf');
  });

  it('uploads a zero-byte file with a warning', async () => {
    const path = join(work.dir, 'empty.bin');
    await writeFile(path, '');
    const r = await runCli(['cp', path, 'oss://cli-bucket/empty.bin'], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/empty/);
    const s = jsonLines(
      (await runCli(['stat', 'oss://cli-bucket/empty.bin', '--json'], env)).stdout,
    )[0]!;
    expect(s.size).toBe(0);
  });

  it('refuses bad input with exit 2 and a clear message, before touching the network', async () => {
    const { path } = await randomFile(work.dir, 'bad-input.bin', 10);
    const cases: [string[], RegExp][] = [
      [['cp', join(work.dir, 'missing.bin'), 'oss://cli-bucket/a'], /no such file/],
      [['cp', work.dir, 'oss://cli-bucket/a'], /is a directory/],
      [['cp', path, 's3://cli-bucket/a'], /not an oss:\/\/ URL/],
      [['cp', path, 'oss://Bad_Bucket/a'], /not a valid bucket name/],
      [['cp', path, 'oss://cli-bucket//lead'], /cannot start with '\/'/],
      [['cp', path, 'oss://cli-bucket/a', '--part-size', 'big'], /--part-size/],
      [['cp', path, 'oss://cli-bucket/a', '--part-size', '8M'], /ambiguous/],
      [['cp', path, 'oss://cli-bucket/a', '--parallel', '0'], /--parallel must be/],
      [['cp', path, 'oss://cli-bucket/a', '--parallel', '65'], /--parallel must be/],
      [['cp', path], /expects 2 arguments/],
      [['uploads', 'oss://cli-bucket', '--older-than', 'soon'], /not a duration/],
      [['presign', 'FETCH', 'oss://cli-bucket/a'], /method must be one of/],
      [['abort', 'oss://cli-bucket/a'], /either --upload-id/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, env);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    }
  });

  it('fails with exit 1 and the request id for a missing bucket, wrong credentials, an unreachable endpoint', async () => {
    const { path } = await randomFile(work.dir, 'fail.bin', 10);
    const noBucket = await runCli(['cp', path, 'oss://no-such-bucket-here/a'], env);
    expect(noBucket.code).toBe(1);
    expect(noBucket.stderr).toMatch(/NoSuchBucket/);
    expect(noBucket.stderr).toMatch(/request id [0-9A-F]{24}/);

    const wrongSecret = await runCli(['stat', 'oss://cli-bucket/small.txt', '--verbose'], {
      ...env,
      OSS_ACCESS_KEY_SECRET: `${SECRET}-wrong`,
    });
    expect(wrongSecret.code).toBe(1);
    expect(wrongSecret.stderr).toMatch(/SignatureDoesNotMatch|403/);
    noSecret(wrongSecret.stdout, wrongSecret.stderr);

    const unknownKey = await runCli(['stat', 'oss://cli-bucket/small.txt'], {
      ...env,
      OSS_ACCESS_KEY_ID: 'nobody',
    });
    expect(unknownKey.code).toBe(1);
    expect(unknownKey.stderr).toMatch(/InvalidAccessKeyId/);

    const unreachable = await runCli(['stat', 'oss://cli-bucket/small.txt'], {
      ...env,
      OSS_ENDPOINT: 'http://127.0.0.1:9',
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr.length).toBeGreaterThan(0);

    const noCreds = await runCli(['stat', 'oss://cli-bucket/small.txt'], {
      ...env,
      OSS_ACCESS_KEY_SECRET: undefined,
    });
    expect(noCreds.code).toBe(2);
    expect(noCreds.stderr).toMatch(/No credentials/);
  });

  it('prints one JSON error document with --json', async () => {
    const r = await runCli(['stat', 'oss://cli-bucket/nope', '--json'], env);
    expect(r.code).toBe(1);
    const doc = jsonLines(r.stdout).find((d) => d.type === 'error')!;
    expect(doc.code).toBe('NoSuchKey');
    expect(doc.status).toBe(404);
    expect(typeof doc.requestId).toBe('string');
  });
});

describe('interrupt and resume', () => {
  async function uploadUntil(path: string, key: string, signal: 'SIGINT' | 'SIGKILL', dir: string) {
    const child = spawnCli(
      [
        'cp',
        path,
        `oss://cli-bucket/${key}`,
        '--part-size',
        '256KiB',
        '--parallel',
        '2',
        '--max-rate',
        '1MiB',
        '--json',
        '--checkpoint-dir',
        dir,
      ],
      env,
    );
    let sent = false;
    child.stdout?.on('data', (d: Buffer) => {
      for (const doc of jsonLines(String(d))) {
        if (!sent && doc.type === 'progress' && (doc.partsDone as number) >= 3) {
          sent = true;
          child.kill(signal);
        }
      }
    });
    return collect(child);
  }

  for (const signal of ['SIGINT', 'SIGKILL'] as const) {
    it(`resumes after ${signal} without re-uploading stored parts`, async () => {
      const { path, bytes } = await randomFile(
        work.dir,
        `resume-${signal}.bin`,
        16 * 256 * 1024 + 5,
      );
      const key = `resume/${signal}.bin`;
      const dir = join(work.dir, `ckpt-${signal}`);
      server.requests.clear();
      const first = await uploadUntil(path, key, signal, dir);
      if (signal === 'SIGINT') {
        expect(first.code).toBe(130);
        expect(jsonLines(first.stdout).find((d) => d.type === 'error')?.message).toMatch(
          /Run the same command again/,
        );
      } else {
        expect(first.signal).toBe('SIGKILL');
      }
      const storedBefore = server.requests.entries({ operation: 'UploadPart', status: 200 }).length;
      expect(storedBefore).toBeGreaterThanOrEqual(3);

      const second = await runCli(
        [
          'cp',
          path,
          `oss://cli-bucket/${key}`,
          '--part-size',
          '256KiB',
          '--json',
          '--checkpoint-dir',
          dir,
        ],
        env,
      );
      expect(second.code).toBe(0);
      const result = jsonLines(second.stdout).find((d) => d.type === 'result')!;
      expect(result.resumed).toBe(true);
      expect(result.crc64).toBe(crc64(bytes).toString());
      const total = server.requests.entries({ operation: 'UploadPart', status: 200 }).length;
      // 17 parts in all; at most the parts in flight at the kill (parallel = 2) are sent twice.
      expect(total).toBeLessThanOrEqual(17 + 2);
      const s = jsonLines(
        (await runCli(['stat', `oss://cli-bucket/${key}`, '--json'], env)).stdout,
      )[0]!;
      expect(s.crc64).toBe(crc64(bytes).toString());
      // The checkpoint is gone after success.
      const left = await import('node:fs/promises').then((fs) => fs.readdir(dir).catch(() => []));
      expect(left.filter((f) => f.endsWith('.json'))).toEqual([]);
    });
  }
});

describe('upload management', () => {
  it('lists uploads and parts, refuses --all without confirmation, aborts with --yes', async () => {
    const client = createClient({
      endpoint: server.endpoint,
      region: server.region,
      credentials: { accessKeyId: 'cli-test-key', accessKeySecret: SECRET },
    });
    const a = await client.initiateMultipartUpload({ bucket: 'cli-bucket', key: 'orphans/a.bin' });
    const b = await client.initiateMultipartUpload({ bucket: 'cli-bucket', key: 'orphans/b.bin' });
    await client.uploadPart({
      bucket: 'cli-bucket',
      key: 'orphans/a.bin',
      uploadId: a.uploadId,
      partNumber: 1,
      body: new Uint8Array(1000),
    });
    await client.uploadPart({
      bucket: 'cli-bucket',
      key: 'orphans/a.bin',
      uploadId: a.uploadId,
      partNumber: 2,
      body: new Uint8Array(500),
    });

    const list = await runCli(['uploads', 'oss://cli-bucket/orphans/', '--parts', '--json'], env);
    expect(list.code).toBe(0);
    const ups = jsonLines(list.stdout).filter((d) => d.type === 'upload');
    expect(ups.map((u) => u.uploadId).sort()).toEqual([a.uploadId, b.uploadId].sort());
    const ua = ups.find((u) => u.uploadId === a.uploadId)!;
    expect(ua.parts).toBe(2);
    expect(ua.bytes).toBe(1500);

    const recent = await runCli(
      ['uploads', 'oss://cli-bucket/orphans/', '--older-than', '1d', '--json'],
      env,
    );
    expect(jsonLines(recent.stdout).filter((d) => d.type === 'upload')).toEqual([]);

    const parts = await runCli(
      ['parts', 'oss://cli-bucket/orphans/a.bin', '--upload-id', a.uploadId, '--json'],
      env,
    );
    expect(jsonLines(parts.stdout).map((p) => p.partNumber)).toEqual([1, 2]);

    const refused = await runCli(['abort', 'oss://cli-bucket/orphans/', '--all'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not confirmed/);

    const one = await runCli(
      ['abort', 'oss://cli-bucket/orphans/b.bin', '--upload-id', b.uploadId],
      env,
    );
    expect(one.code).toBe(0);
    const all = await runCli(
      ['abort', 'oss://cli-bucket/orphans/', '--all', '--yes', '--json'],
      env,
    );
    expect(all.code).toBe(0);
    expect(
      jsonLines(all.stdout)
        .filter((d) => d.type === 'aborted')
        .map((d) => d.uploadId),
    ).toEqual([a.uploadId]);
    const after = await runCli(['uploads', 'oss://cli-bucket/orphans/', '--json'], env);
    expect(jsonLines(after.stdout).filter((d) => d.type === 'upload')).toEqual([]);
  });

  it('presigns a URL that plain fetch can use, and it stops working for another key', async () => {
    const r = await runCli(
      ['presign', 'get', 'oss://cli-bucket/small.txt', '--expires', '5m'],
      env,
    );
    expect(r.code).toBe(0);
    const url = r.stdout.trim();
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect((await ok.arrayBuffer()).byteLength).toBe(1000);
    const other = await fetch(url.replace('small.txt', 'empty.bin'));
    expect(other.status).toBe(403);
  });
});

describe('ossup serve and --local', () => {
  it('serves, is found by other commands with no configuration, and stops cleanly on SIGINT', async () => {
    const local = await tempDir();
    const lenv = { HOME: local.dir, OSSUP_STATE_DIR: join(local.dir, 'state') };
    const serve = spawnCli(
      ['serve', '--port', '0', '--bucket', 'local-bucket', '--data', join(local.dir, 'data')],
      lenv,
    );
    let banner = '';
    await new Promise<void>((resolve, reject) => {
      serve.stdout?.on('data', (d) => {
        banner += d;
        if (banner.includes('Press Ctrl+C')) resolve();
      });
      serve.once('exit', (c) => reject(new Error(`serve exited early with ${c}`)));
    });
    const done = collect(serve);
    try {
      expect(banner).toMatch(/endpoint:\s+http:\/\/127\.0\.0\.1:\d+/);
      const { path, bytes } = await randomFile(local.dir, 'local.bin', 3000);
      const cp = await runCli(['cp', path, 'oss://local-bucket/local.bin', '--json'], lenv);
      expect(cp.code).toBe(0);
      expect(jsonLines(cp.stdout).find((d) => d.type === 'result')?.crc64).toBe(
        crc64(bytes).toString(),
      );
      const forced = await runCli(
        ['stat', 'oss://local-bucket/local.bin', '--local', '--json'],
        lenv,
      );
      expect(jsonLines(forced.stdout)[0]?.size).toBe(3000);
    } finally {
      serve.kill('SIGINT');
    }
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('stopped');
    await expect(stat(join(local.dir, 'state', 'local-server.json'))).rejects.toThrow();
    const after = await runCli(['stat', 'oss://local-bucket/local.bin'], lenv);
    expect(after.code).toBe(2);
    expect(after.stderr).toMatch(/ossup serve/);
    await local.cleanup();
  });
});

describe('progress bar in a terminal', () => {
  it('renders the bar in a pseudo-terminal and ends on a clean line', async () => {
    const { path } = await randomFile(work.dir, 'tty.bin', 6 * 256 * 1024);
    await mkdir(join(work.dir, 'tty'), { recursive: true });
    const envs = Object.entries({ ...env, COLUMNS: '120' })
      .map(([k, v]) => `${k}=${JSON.stringify(v ?? '')}`)
      .join(' ');
    const cli = `node --conditions=source --import tsx src/bin.ts cp ${path} oss://cli-bucket/tty.bin --part-size 256KiB --max-rate 1MiB --checkpoint-dir ${join(work.dir, 'tty')}`;
    const { spawn } = await import('node:child_process');
    // `script` gives the CLI a real pseudo-terminal, so it draws the bar it draws for people.
    const child = spawn('script', ['-qec', `env ${envs} ${cli}`, '/dev/null'], {
      cwd: join(import.meta.dirname, '..'),
      env: { PATH: process.env.PATH, TERM: 'xterm' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const r = await collect(child);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/█/);
    expect(r.stdout).toMatch(/completing…/);
    expect(r.stdout).toMatch(/\r/);
    // After the last redraw the bar's line is closed with a newline, and the summary starts
    // on a line of its own.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal escape is part of what is checked
    expect(r.stdout).toMatch(/done {2}parts 6\/6(?:\x1b\[K)?\r?\n(?:\r)?uploaded .*tty\.bin/);
  });
});
