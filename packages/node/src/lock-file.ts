import { randomBytes } from 'node:crypto';
import { link, open, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { CheckpointError, type CheckpointUnlock } from '@ossup/checkpoint-store';
import { TEMP_SUFFIX } from './atomic-write.ts';
import { errnoCode } from './file-source-error.ts';

/** What a lock file records about its holder. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** ISO-8601 time the lock was taken. */
  createdAt: string;
  /** Random token telling this holder's lock apart from a later one with the same pid. */
  token: string;
}

/** How a lock file judges its holder; tests and containers replace the defaults. */
export interface LockFileOptions {
  /** Host name recorded in the lock and compared with the holder's. Default: `os.hostname()`. */
  hostname?: string;
  /** Whether a pid is alive on this host. Default: `process.kill(pid, 0)`. */
  isProcessAlive?: (pid: number) => boolean;
  /**
   * A lock file that cannot be parsed (written by hand, or by the O_EXCL fallback whose
   * creator died between create and write) counts as stale once it is this old.
   * Default: 10 000 ms.
   */
  incompleteAfterMs?: number;
}

const MAX_ATTEMPTS = 20;
const TAKEOVER_WAIT_MS = 25;

/** Whether `pid` is a live process on this host. EPERM means it exists but is not ours. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) !== 'ESRCH';
  }
}

type Holder = { owner: LockOwner; raw: string } | { owner: undefined; raw: string; ageMs: number };

async function readHolder(path: string): Promise<Holder | undefined> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const v = JSON.parse(raw) as Partial<LockOwner>;
    if (
      typeof v.pid === 'number' &&
      typeof v.hostname === 'string' &&
      typeof v.createdAt === 'string' &&
      typeof v.token === 'string'
    ) {
      return { owner: v as LockOwner, raw };
    }
  } catch {
    // Unparseable: judged by age below.
  }
  let ageMs = 0;
  try {
    ageMs = Date.now() - (await stat(path)).mtimeMs;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  return { owner: undefined, raw, ageMs };
}

/**
 * Creates `path` exclusively holding `owner`; false if it already exists.
 *
 * The content is written to a private temp file first and then hard-linked to `path`:
 * link(2) fails with EEXIST when `path` exists, exactly like O_CREAT|O_EXCL, but the lock
 * appears with its content complete. With a plain O_EXCL create, a process killed between
 * create and write would leave an empty lock that nobody could judge (whose pid?) until it
 * aged out. File systems without hard links fall back to O_EXCL.
 */
async function tryCreate(path: string, owner: LockOwner): Promise<boolean> {
  const text = JSON.stringify(owner);
  const temp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`,
  );
  await writeFile(temp, text, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, path);
    return true;
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'EEXIST') return false;
    if (!NO_HARD_LINKS.has(code ?? '')) throw err;
  } finally {
    await unlink(temp).catch(() => {});
  }
  return createExclusive(path, text);
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

async function createExclusive(path: string, text: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') return false;
    throw err;
  }
  try {
    await handle.writeFile(text, 'utf8');
    await handle.close();
  } catch (err) {
    await handle.close().catch(() => {});
    await unlink(path).catch(() => {});
    throw err;
  }
  return true;
}

/**
 * Takes an exclusive lock file for one upload.
 *
 * The lock is a file created exclusively (see `tryCreate`: a hard link of a complete temp
 * file, or O_EXCL where links are unsupported; both atomic on local file systems and on
 * NFSv3+) holding pid, host name, time and a random token. A lock whose holder ran on this host and
 * whose pid is no longer alive is stale and is taken over; a lock from another host is never
 * taken over automatically (its pid means nothing here), the error names the file to delete.
 *
 * Take-over is serialised by a second O_EXCL file, `<lock>.takeover`: only its holder may
 * remove a stale lock, and only after re-reading it and finding the same stale content, so
 * two processes that both saw a stale lock never end up both holding the new one.
 */
export async function acquireLockFile(
  path: string,
  id: string,
  options: LockFileOptions = {},
): Promise<CheckpointUnlock> {
  const hostname = options.hostname ?? osHostname();
  const alive = options.isProcessAlive ?? isProcessAlive;
  const incompleteAfterMs = options.incompleteAfterMs ?? 10_000;
  const owner: LockOwner = {
    pid: process.pid,
    hostname,
    createdAt: new Date().toISOString(),
    token: randomBytes(16).toString('hex'),
  };
  const isStale = (h: Holder): boolean =>
    h.owner === undefined
      ? h.ageMs >= incompleteAfterMs
      : h.owner.hostname === hostname && !alive(h.owner.pid);

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (await tryCreate(path, owner)) return makeUnlock(path, owner.token);
    const holder = await readHolder(path);
    if (holder === undefined) continue; // released in between: try again
    if (!isStale(holder)) throw lockedError(path, id, holder);

    const takeover = `${path}.takeover`;
    if (!(await tryCreate(takeover, owner))) {
      const other = await readHolder(takeover);
      if (other !== undefined && isStale(other)) {
        // A taker-over died in its few-microsecond window; clear its marker and retry.
        await unlinkIfSame(takeover, other.raw);
      } else {
        await sleep(TAKEOVER_WAIT_MS);
      }
      continue;
    }
    try {
      await unlinkIfSame(path, holder.raw);
    } finally {
      await unlink(takeover).catch(() => {});
    }
  }
  throw new CheckpointError(
    'locked',
    `Could not take the lock ${path} for upload ${id}: it kept changing hands. Another process is driving this upload; wait for it to finish and try again.`,
    { checkpointId: id },
  );
}

async function unlinkIfSame(path: string, raw: string): Promise<void> {
  let now: string;
  try {
    now = await readFile(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return;
    throw err;
  }
  if (now !== raw) return;
  await unlink(path).catch((err: unknown) => {
    if (errnoCode(err) !== 'ENOENT') throw err;
  });
}

function makeUnlock(path: string, token: string): CheckpointUnlock {
  let released: Promise<void> | undefined;
  return () => {
    released ??= (async () => {
      const holder = await readHolder(path);
      // Only remove our own lock: if it was (wrongly) taken over, the new holder keeps it.
      if (holder?.owner?.token !== token) return;
      await unlink(path).catch((err: unknown) => {
        if (errnoCode(err) !== 'ENOENT') throw err;
      });
    })();
    return released;
  };
}

function lockedError(path: string, id: string, holder: Holder): CheckpointError {
  const who =
    holder.owner === undefined
      ? 'a process that is still creating the lock'
      : `process ${holder.owner.pid} on host ${holder.owner.hostname} since ${holder.owner.createdAt}`;
  return new CheckpointError(
    'locked',
    `Upload ${id} is locked by ${who} (lock file ${path}). Wait for that upload to finish or stop it. If no ossup process is running there any more, delete the lock file and try again.`,
    { checkpointId: id },
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
