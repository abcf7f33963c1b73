import { mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  type Checkpoint,
  CheckpointError,
  type CheckpointStore,
  type CheckpointSummary,
  type CheckpointUnlock,
  parseCheckpoint,
  serializeCheckpoint,
} from '@ossup/checkpoint-store';
import { TEMP_SUFFIX, writeFileAtomic } from './atomic-write.ts';
import { errnoCode } from './file-source-error.ts';
import { acquireLockFile, type LockFileOptions } from './lock-file.ts';

/** Options for {@link fileCheckpointStore}. */
export interface FileCheckpointStoreOptions {
  /**
   * fsync each checkpoint file and the directory after every write, so an acknowledged
   * checkpoint survives power loss, not only a crash. Turning it off makes writes cheaper
   * on slow disks; a `kill -9` still never leaves a torn file (the rename is atomic either
   * way). Default: `true`.
   */
  fsync?: boolean;
  /**
   * How the lock judges whether a holder is still alive. For tests and for hosts whose
   * pids are not meaningful (containers sharing a volume). Default: this host's name and
   * `process.kill(pid, 0)`.
   */
  lock?: LockFileOptions;
}

/** A {@link CheckpointStore} kept in a directory; see {@link fileCheckpointStore}. */
export interface FileCheckpointStore extends CheckpointStore {
  /** Absolute path of the directory holding the checkpoints. */
  readonly dir: string;
  /** Absolute path of the file that holds (or would hold) checkpoint `id`. */
  pathOf(id: string): string;
  /**
   * Takes the per-upload lock file `<id>.lock`; see {@link fileCheckpointStore}. Rejects
   * with a `CheckpointError` of kind `locked` naming the holder and the file.
   */
  lock(id: string): Promise<CheckpointUnlock>;
}

// Ids from checkpointId() are 64 hex digits; names a caller chooses must still be safe as a
// file name on every platform and unable to climb out of the directory.
const ID_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;
const ENTRY_SUFFIX = '.json';
// A temp file older than this is debris from a killed writer: no write takes an hour.
const TEMP_MAX_AGE_MS = 60 * 60 * 1000;

function checkId(id: string): void {
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw new RangeError(
      `fileCheckpointStore: checkpoint id ${JSON.stringify(id)} is not a safe file name; use 1-200 characters from A-Z a-z 0-9 _ - (checkpointId() returns hex).`,
    );
  }
}

/**
 * A checkpoint store that keeps one JSON file per upload, `<dir>/<id>.json`, for resuming
 * uploads across process restarts, crashes and `kill -9`.
 *
 * - Writes are atomic and durable: a temp file in the same directory is written, fsynced
 *   and renamed over the entry, then the directory is fsynced. A reader, or the next
 *   process after a crash, sees the old checkpoint or the new one, never a torn file.
 * - Files are created with mode 0600 (checkpoints hold no secret, but bucket, key and local
 *   path are nobody else's business); a missing directory is created with mode 0700. An
 *   existing directory keeps its permissions.
 * - `get` validates with `parseCheckpoint`: a corrupt, foreign or future-version file is
 *   reported as a `CheckpointError` whose message names the file; `list` skips such files.
 * - `lock(id)` creates `<id>.lock` exclusively (a hard link of a complete temp file, which
 *   fails if the lock exists, like O_EXCL, but never shows a half-written lock; plain O_EXCL
 *   where hard links are unsupported), holding pid, host name, time and a random token, so
 *   two processes never drive one upload. A lock left by a process that
 *   died on this host (its pid is gone) is taken over; a lock from another host (a shared
 *   network directory) is not, and the error names the file to delete once that host's
 *   process is known to be gone. Caveat: a crashed holder's pid reused by an unrelated
 *   process keeps the lock looking alive until the file is deleted; containers that share
 *   the directory but not a pid namespace should pass `lock.hostname` distinct per container.
 * - Temp files of a writer killed mid-write (`.<id>.json.<pid>.<random>.tmp`) are ignored,
 *   and removed by `list` once older than an hour.
 *
 * @param dir - directory for the checkpoint files; relative paths resolve against the
 *   current directory. The CLI uses a per-user directory such as `~/.ossup/checkpoints`.
 *
 * @example
 * ```ts
 * const store = fileCheckpointStore(join(homedir(), '.ossup', 'checkpoints'));
 * await upload(client, { source, bucket, key, checkpoint: store });
 * ```
 */
export function fileCheckpointStore(
  dir: string,
  options: FileCheckpointStoreOptions = {},
): FileCheckpointStore {
  const root = resolve(dir);
  const fsync = options.fsync ?? true;
  let ready: Promise<void> | undefined;
  const ensureDir = (): Promise<void> => {
    ready ??= mkdir(root, { recursive: true, mode: 0o700 }).then(
      () => {},
      (err: unknown) => {
        ready = undefined;
        throw new Error(
          `Cannot create the checkpoint directory ${root} (${errnoCode(err) ?? String(err)}). Create it (mode 0700) or choose another directory.`,
          { cause: err },
        );
      },
    );
    return ready;
  };
  const pathOf = (id: string): string => {
    checkId(id);
    return join(root, id + ENTRY_SUFFIX);
  };

  async function readEntry(id: string, path: string): Promise<Checkpoint | undefined> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw new Error(
        `Cannot read checkpoint file ${path} (${code ?? String(err)}). Fix its permissions, or delete it to start the upload afresh.`,
        { cause: err },
      );
    }
    try {
      return parseCheckpoint(text, id);
    } catch (err) {
      if (err instanceof CheckpointError) {
        throw new CheckpointError(err.kind, `${err.message} (file: ${path})`, {
          checkpointId: id,
          cause: err,
        });
      }
      throw err;
    }
  }

  return {
    dir: root,
    pathOf,

    async get(id) {
      return readEntry(id, pathOf(id));
    },

    async set(checkpoint) {
      const path = pathOf(checkpoint.id);
      // Validate before touching the disk: an invalid checkpoint never replaces a good one.
      const text = serializeCheckpoint(checkpoint);
      await ensureDir();
      await writeFileAtomic(path, text, { mode: 0o600, fsync });
    },

    async delete(id) {
      try {
        await unlink(pathOf(id));
      } catch (err) {
        const code = errnoCode(err);
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      }
    },

    async list() {
      let names: string[];
      try {
        names = await readdir(root);
      } catch (err) {
        if (errnoCode(err) === 'ENOENT') return [];
        throw err;
      }
      const out: CheckpointSummary[] = [];
      for (const name of names.sort()) {
        if (name.startsWith('.') && name.endsWith(TEMP_SUFFIX)) {
          await removeIfOld(join(root, name));
          continue;
        }
        if (!name.endsWith(ENTRY_SUFFIX)) continue;
        const id = name.slice(0, -ENTRY_SUFFIX.length);
        if (!ID_PATTERN.test(id)) continue;
        try {
          const cp = await readEntry(id, join(root, name));
          if (cp) {
            out.push({ id, target: cp.target, uploadId: cp.uploadId, updatedAt: cp.updatedAt });
          }
        } catch {
          // list() skips entries it cannot read, by contract; get() reports them.
        }
      }
      return out;
    },

    async lock(id) {
      checkId(id);
      await ensureDir();
      return acquireLockFile(join(root, `${id}.lock`), id, options.lock);
    },
  };
}

async function removeIfOld(path: string): Promise<void> {
  try {
    const st = await stat(path);
    if (Date.now() - st.mtimeMs > TEMP_MAX_AGE_MS) await unlink(path);
  } catch {
    // Best effort: another list() may have removed it, or it was just renamed.
  }
}
