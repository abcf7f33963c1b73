import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errnoCode } from './file-source-error.ts';

/** Suffix of the temporary files {@link writeFileAtomic} leaves behind if killed mid-write. */
export const TEMP_SUFFIX = '.tmp';

/**
 * Replaces `path` with `text` so that a reader, even after a crash or power loss, sees the
 * old content or the new, never a mix: write a temp file in the same directory, fsync it,
 * rename it over the target (atomic within one file system), fsync the directory so the
 * rename itself is durable.
 */
export async function writeFileAtomic(
  path: string,
  text: string,
  options: { mode: number; fsync: boolean },
): Promise<void> {
  const dir = dirname(path);
  // Dot-prefixed so list() never mistakes it for an entry; pid + random keep concurrent
  // writers (threads, processes) from sharing one.
  const temp = join(
    dir,
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`,
  );
  let renamed = false;
  try {
    const handle = await open(temp, 'wx', options.mode);
    try {
      await handle.writeFile(text, 'utf8');
      if (options.fsync) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    renamed = true;
    if (options.fsync) await syncDirectory(dir);
  } finally {
    if (!renamed) await unlink(temp).catch(() => {});
  }
}

/**
 * fsyncs a directory so that a rename or create in it survives power loss. Windows cannot
 * open a directory for syncing (EPERM/EISDIR); NTFS journals metadata, so that is skipped.
 */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(dir, 'r');
  } catch (err) {
    if (isUnsupportedDirSync(err)) return;
    throw err;
  }
  try {
    await handle.sync();
  } catch (err) {
    if (!isUnsupportedDirSync(err)) throw err;
  } finally {
    await handle.close();
  }
}

function isUnsupportedDirSync(err: unknown): boolean {
  const code = errnoCode(err);
  return code === 'EPERM' || code === 'EISDIR' || code === 'EINVAL' || code === 'EBADF';
}
