import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFile,
  chmod,
  mkdir,
  mkdtemp,
  rename,
  rm,
  stat,
  truncate,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromFile } from './file-source.ts';
import { FileSourceError, fileOpenError } from './file-source-error.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ossup-file-source-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function makeFile(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('fromFile', () => {
  it('reads exact half-open ranges into fresh arrays', async () => {
    const data = randomBytes(300_000);
    const source = await fromFile(await makeFile('ranges.bin', data));
    try {
      expect(source.size).toBe(data.length);
      for (const [s, e] of [
        [0, 1],
        [0, 0],
        [17, 70_017],
        [299_999, 300_000],
        [0, 300_000],
        [123_456, 123_456],
      ] as const) {
        const got = await source.read(s, e);
        expect(got.byteLength).toBe(e - s);
        expect(Buffer.from(got).equals(data.subarray(s, e))).toBe(true);
        // A fresh array of exactly the range, not a view into a larger buffer.
        expect(got.buffer.byteLength).toBe(e - s);
      }
    } finally {
      await source.close();
    }
  });

  it('serves concurrent reads on one handle', async () => {
    const data = randomBytes(1 << 20);
    const source = await fromFile(await makeFile('concurrent.bin', data));
    try {
      const step = 65_536;
      const parts = await Promise.all(
        Array.from({ length: 16 }, (_, i) => source.read(i * step, (i + 1) * step)),
      );
      expect(Buffer.concat(parts).equals(data)).toBe(true);
    } finally {
      await source.close();
    }
  });

  it("reports the media type of the file name's extension, or the one given", async () => {
    const pdf = await makeFile('Report.PDF', new Uint8Array(3));
    const bin = await makeFile('data.bin', new Uint8Array(3));
    const typeOf = async (path: string, options?: Parameters<typeof fromFile>[1]) => {
      const source = await fromFile(path, options);
      await source.close();
      return source.type;
    };
    expect(await typeOf(pdf)).toBe('application/pdf');
    expect(await typeOf(bin)).toBeUndefined();
    expect(await typeOf(bin, { type: 'application/x-mine' })).toBe('application/x-mine');
    expect(await typeOf(pdf, { type: '' })).toBeUndefined();
    await expect(fromFile(pdf, { type: 7 as unknown as string })).rejects.toThrow(TypeError);
  });

  it('fingerprints by absolute path, size and mtime', async () => {
    const path = await makeFile('fp.bin', new Uint8Array(10));
    await utimes(path, 1_700_000_000, 1_700_000_000.5);
    const source = await fromFile(relative(process.cwd(), path));
    await source.close();
    expect(source.path).toBe(path);
    expect(source.fingerprint).toBe(`${path}:10:1700000000500`);
    expect(source.mtimeMs).toBe(1_700_000_000_500);

    await utimes(path, 1_700_000_000, 1_700_000_001);
    const again = await fromFile(path);
    await again.close();
    expect(again.fingerprint).not.toBe(source.fingerprint);
  });

  it('gives another identity (ctime, inode) to other bytes behind the same fingerprint', async () => {
    const path = await makeFile('fp-same-time.bin', new Uint8Array(10).fill(1));
    await utimes(path, 1_700_000_000, 1_700_000_000);
    const first = await fromFile(path);
    await first.close();
    const st = await stat(path, { bigint: true });
    expect(first.identity).toBe(`${Math.trunc(Number(st.ctimeMs))}:${st.ino}`);

    // Replaced by a copy made elsewhere with the old timestamps (what `cp -p`, `rsync -t` and
    // backup restores do): same fingerprint, a new inode.
    const copy = await makeFile('fp-copy.bin', new Uint8Array(10).fill(2));
    await utimes(copy, 1_700_000_000, 1_700_000_000);
    await rename(copy, path);
    const replaced = await fromFile(path);
    await replaced.close();
    expect(replaced.fingerprint).toBe(first.fingerprint);
    expect(replaced.identity).not.toBe(first.identity);

    // Rewritten in place and its mtime set back (`touch -r`): same inode, but the change
    // time moved. The kernel's clock for it ticks every few ms, so let one tick pass.
    await new Promise((r) => setTimeout(r, 30));
    await writeFile(path, new Uint8Array(10).fill(3));
    await utimes(path, 1_700_000_000, 1_700_000_000);
    const rewritten = await fromFile(path);
    await rewritten.close();
    expect(rewritten.fingerprint).toBe(first.fingerprint);
    expect(rewritten.identity).not.toBe(replaced.identity);
  });

  it('notices a rewrite during the upload that puts the old mtime back (ctime)', async () => {
    const path = await makeFile('rewrite-mtime-back.bin', new Uint8Array(10).fill(1));
    await utimes(path, 1_700_000_000, 1_700_000_000);
    const source = await fromFile(path, { checkEvery: 0 });
    try {
      await new Promise((r) => setTimeout(r, 30));
      await writeFile(path, new Uint8Array(10).fill(2));
      await utimes(path, 1_700_000_000, 1_700_000_000);
      const err = await source.verifyUnchanged().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FileSourceError);
      expect((err as FileSourceError).kind).toBe('changed');
    } finally {
      await source.close();
    }
  });

  it('handles an empty file', async () => {
    const source = await fromFile(await makeFile('empty.bin', new Uint8Array(0)));
    expect(source.size).toBe(0);
    expect((await source.read(0, 0)).byteLength).toBe(0);
    await source.close();
  });

  it('rejects ranges outside the file', async () => {
    const source = await fromFile(await makeFile('range-err.bin', new Uint8Array(100)));
    try {
      await expect(source.read(0, 101)).rejects.toThrow(RangeError);
      await expect(source.read(-1, 10)).rejects.toThrow(RangeError);
      await expect(source.read(50, 40)).rejects.toThrow(RangeError);
      await expect(source.read(0.5, 10)).rejects.toThrow(RangeError);
    } finally {
      await source.close();
    }
  });

  it('fails a read with kind "changed" when the file grows', async () => {
    const path = await makeFile('grows.bin', randomBytes(4096));
    const source = await fromFile(path);
    try {
      await source.read(0, 1024);
      await appendFile(path, 'more');
      const err = await errorOf(source.read(1024, 2048));
      expect(err).toBeInstanceOf(FileSourceError);
      expect((err as FileSourceError).kind).toBe('changed');
      expect((err as FileSourceError).message).toContain(path);
      expect((err as FileSourceError).message).toMatch(/4096 to 4100/);
    } finally {
      await source.close();
    }
  });

  it('fails with kind "changed" when the file shrinks below the range', async () => {
    const path = await makeFile('shrinks.bin', randomBytes(8192));
    const source = await fromFile(path, { checkEvery: 0 });
    try {
      await truncate(path, 1000);
      const err = await errorOf(source.read(4096, 8192));
      expect((err as FileSourceError).kind).toBe('changed');
    } finally {
      await source.close();
    }
  });

  it('detects a same-size rewrite through the mtime', async () => {
    const path = await makeFile('rewrite.bin', randomBytes(2048));
    await utimes(path, 1_600_000_000, 1_600_000_000);
    const source = await fromFile(path, { checkEvery: 0 });
    try {
      await source.read(0, 2048);
      await source.verifyUnchanged();
      await writeFile(path, randomBytes(2048));
      // No periodic check: reads go on, the explicit check catches it.
      await source.read(0, 10);
      const err = await errorOf(source.verifyUnchanged());
      expect((err as FileSourceError).kind).toBe('changed');
      expect((err as FileSourceError).message).toMatch(/modified at/);
    } finally {
      await source.close();
    }
  });

  it('checks every N reads when asked', async () => {
    const path = await makeFile('every.bin', randomBytes(1000));
    const source = await fromFile(path, { checkEvery: 3 });
    try {
      await source.read(0, 10);
      await appendFile(path, 'x');
      await source.read(10, 20); // second read: no check yet
      await expect(source.read(20, 30)).rejects.toThrow(FileSourceError);
    } finally {
      await source.close();
    }
  });

  it('leaves the check of reads that continue a body to the read that ends it', async () => {
    const path = await makeFile('continues.bin', randomBytes(1000));
    const source = await fromFile(path);
    try {
      await source.read(0, 10, { continues: true });
      await appendFile(path, 'x');
      await source.read(10, 20, { continues: true }); // still more of the body: not checked
      await expect(source.read(20, 30)).rejects.toThrow(/changed while it was being uploaded/);
    } finally {
      await source.close();
    }
  });

  it('rejects with the signal reason when aborted', async () => {
    const source = await fromFile(await makeFile('abort.bin', new Uint8Array(100)));
    try {
      const controller = new AbortController();
      const reason = new Error('stop now');
      controller.abort(reason);
      const err = await errorOf(source.read(0, 10, { signal: controller.signal }));
      expect(err).toBe(reason);
    } finally {
      await source.close();
    }
  });

  it('closes idempotently and refuses reads afterwards', async () => {
    const source = await fromFile(await makeFile('closed.bin', new Uint8Array(100)));
    await source.close();
    await source.close();
    const err = await errorOf(source.read(0, 10));
    expect((err as FileSourceError).kind).toBe('closed');
    await expect(source.verifyUnchanged()).rejects.toThrow(FileSourceError);
  });

  it('names the path and the fix for a missing file', async () => {
    const path = join(dir, 'nope', 'missing.bin');
    const err = await errorOf(fromFile(path));
    expect(err).toBeInstanceOf(FileSourceError);
    expect((err as FileSourceError).kind).toBe('not-found');
    expect((err as FileSourceError).path).toBe(path);
    expect((err as FileSourceError).code).toBe('ENOENT');
    expect((err as FileSourceError).message).toContain(path);
    expect((err as FileSourceError).message).toMatch(/Check the path/);
  });

  it('refuses a directory', async () => {
    const sub = join(dir, 'a-directory');
    await mkdir(sub);
    const err = await errorOf(fromFile(sub));
    expect((err as FileSourceError).kind).toBe('not-a-file');
    expect((err as FileSourceError).message).toContain(`${sub} is a directory`);
    expect((err as FileSourceError).message).toMatch(/upload each file/);
  });

  it('refuses a path through a file as not found', async () => {
    const file = await makeFile('plain.bin', new Uint8Array(1));
    const err = await errorOf(fromFile(join(file, 'child')));
    expect((err as FileSourceError).kind).toBe('not-found');
    expect((err as FileSourceError).code).toBe('ENOTDIR');
  });

  it('reports an unreadable file as permission-denied, naming the path', async () => {
    // A world-searchable directory, so only the file's own mode stands in the way.
    const open = join(dir, 'open-dir');
    await mkdir(open, { mode: 0o755 });
    await chmod(open, 0o755);
    await chmod(dir, 0o755);
    const path = join(open, 'secret.bin');
    await writeFile(path, new Uint8Array(1));
    await chmod(path, 0o000);
    let result: { kind?: string; message: string };
    if (process.getuid?.() === 0) {
      // root reads anything, so the check runs in a child dropped to the "nobody" user.
      const script = join(open, 'probe.mjs');
      await writeFile(
        script,
        `const { fromFile } = await import(process.argv[2]);
try { await fromFile(process.argv[3]); console.log(JSON.stringify({ message: 'opened' })); }
catch (e) { console.log(JSON.stringify({ kind: e.kind, message: e.message })); }`,
      );
      await chmod(script, 0o644);
      const child = spawnSync(
        process.execPath,
        [
          '--conditions=source',
          '--import',
          'tsx',
          script,
          fileURLToPath(new URL('./file-source.ts', import.meta.url)),
          path,
        ],
        {
          uid: 65534,
          gid: 65534,
          // tsx resolves from the working directory: the package's own.
          cwd: fileURLToPath(new URL('..', import.meta.url)),
          encoding: 'utf8',
          timeout: 30_000,
        },
      );
      expect(child.stderr).toBe('');
      result = JSON.parse(child.stdout);
    } else {
      const err = await errorOf(fromFile(path));
      result = err as FileSourceError;
    }
    expect(result.kind).toBe('permission-denied');
    expect(result.message).toContain(path);
    expect(result.message).toMatch(/read permission/);
    await chmod(path, 0o600);
  });

  it('maps other system errors to kind "io" with the code', () => {
    const eio = Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    const mapped = fileOpenError(eio, '/data/x.bin', '/');
    expect(mapped.kind).toBe('io');
    expect(mapped.code).toBe('EIO');
    expect(mapped.message).toContain('/data/x.bin');
  });

  it('validates checkEvery', async () => {
    const path = await makeFile('opts.bin', new Uint8Array(1));
    await expect(fromFile(path, { checkEvery: -1 })).rejects.toThrow(RangeError);
    await expect(fromFile(path, { checkEvery: 1.5 })).rejects.toThrow(RangeError);
  });
});
