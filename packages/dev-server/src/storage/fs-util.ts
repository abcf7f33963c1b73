import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Makes `dir`'s entries (creations, renames, unlinks) durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } catch (err) {
    // Some filesystems refuse fsync on a directory (EINVAL/EISDIR); nothing more can be done.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EBADF') throw err;
  } finally {
    await fh.close();
  }
}

/** A unique suffix for temporary files: never reused, so concurrent writers never collide. */
export function tempSuffix(): string {
  return `${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
}

/** A file written and fsynced under a temporary name, not yet visible at its path. */
export interface StagedFile {
  /** Renames it over its path and fsyncs the directory: durable when this resolves. */
  publish(): Promise<void>;
  /** Removes the temporary file (after a failed or abandoned publish; never throws). */
  discard(): Promise<void>;
}

/**
 * Writes `data` to a temporary file beside `path` and fsyncs it, without touching `path`.
 * Split from the rename so that the slow part (write + fsync) can run outside a lock and only
 * the rename, the commit point, inside it.
 */
export async function stageFile(path: string, data: string | Uint8Array): Promise<StagedFile> {
  const tmp = `${path}.${tempSuffix()}`;
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await fh.close();
  const discard = () => unlink(tmp).catch(() => {});
  return {
    publish: async () => {
      try {
        await rename(tmp, path);
      } catch (err) {
        await discard();
        throw err;
      }
      await fsyncDir(dirname(path));
    },
    discard,
  };
}

/**
 * Writes `data` to `path` atomically and durably: temp file in the same directory, fsync,
 * rename over the target, fsync the directory. Readers (and a restart after `kill -9`) see
 * either the old file or the new one, never a torn one.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await (await stageFile(path, data)).publish();
}

/**
 * Creates `dir` (and missing parents) and makes each newly created entry durable by
 * fsyncing its parent. Remembers directories already known to exist.
 */
export async function ensureDir(dir: string, known?: Set<string>): Promise<void> {
  if (known?.has(dir)) return;
  const first = await mkdir(dir, { recursive: true });
  if (first !== undefined) {
    // fsync every parent from the first created directory down to `dir`'s parent.
    let d = dir;
    const chain: string[] = [];
    while (d.length >= first.length) {
      chain.push(dirname(d));
      if (d === first) break;
      d = dirname(d);
    }
    for (const p of chain.reverse()) await fsyncDir(p);
  }
  known?.add(dir);
}

/** Removes a file, ignoring "does not exist". */
export async function unlinkQuiet(path: string): Promise<void> {
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}

/** Removes a directory tree, ignoring errors (used for garbage that is already invisible). */
export async function rmQuiet(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true }).catch(() => {});
}
