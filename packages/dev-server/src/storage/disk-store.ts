import { createHash, randomBytes } from 'node:crypto';
import { open, readdir, readFile, realpath, rename } from 'node:fs/promises';
import { join } from 'node:path';
import {
  bucketAlreadyExists,
  bucketNotEmpty,
  fileAlreadyExists,
  noSuchBucket,
  noSuchUpload,
} from '../error-codes.ts';
import { DataFileWriter } from './data-file.ts';
import {
  ensureDir,
  fsyncDir,
  rmQuiet,
  type StagedFile,
  stageFile,
  unlinkQuiet,
  writeFileAtomic,
} from './fs-util.ts';
import { KeyedMutex } from './keyed-mutex.ts';
import {
  type BucketRecord,
  type ObjectRecord,
  type PartRecord,
  type StoredHeaders,
  toBucketRecord,
  toObjectRecord,
  toPartRecord,
  toUploadRecord,
  type UploadRecord,
} from './records.ts';

/** An in-progress multipart upload and its parts, in memory. */
export interface UploadState {
  readonly record: UploadRecord;
  readonly parts: Map<number, PartRecord>;
}

/** A bucket and everything in it, in memory (metadata only; bytes stay on disk). */
export interface BucketState {
  readonly record: BucketRecord;
  readonly objects: Map<string, ObjectRecord>;
  readonly uploads: Map<string, UploadState>;
  /**
   * Objects and uploads being committed (on disk, not yet in the maps): DeleteBucket must
   * not see the bucket as empty while one of them is about to be acknowledged.
   */
  writing: number;
  /** DeleteBucket passed its checks: the bucket takes no new object or upload. */
  deleting: boolean;
}

function bucketState(record: BucketRecord): BucketState {
  return { record, objects: new Map(), uploads: new Map(), writing: 0, deleting: false };
}

/**
 * Runs a commit of an object or an upload into `state`, counted in `state.writing` from its
 * first step (before any await) to its last, so DeleteBucket never sees the bucket empty while
 * something in it is about to be acknowledged.
 */
async function whileCommitting(state: BucketState, commit: () => Promise<void>): Promise<void> {
  state.writing++;
  try {
    await commit();
  } finally {
    state.writing--;
  }
}

/** Thrown by {@link startDevServer} when another live server (this process or another) uses the data directory. */
export class DataDirInUseError extends Error {
  constructor(
    /** The directory in use. */
    readonly dataDir: string,
    /** Process id of the server using it. */
    readonly pid: number,
  ) {
    super(
      `The data directory ${dataDir} is in use by another ossup dev server (pid ${pid}). ` +
        'Stop it or choose another directory with --data.',
    );
    this.name = 'DataDirInUseError';
  }
}

const FORMAT = 1;

// Data directories opened by this process: the pid in `.lock` cannot tell two servers of
// the same process apart.
const openInProcess = new Set<string>();
const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** Hex SHA-256 of the UTF-8 key: the object's file name, whatever bytes the key holds. */
function keyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The dev server's durable storage.
 *
 * Layout under the data directory (every name is generated, never taken from a key):
 * ```
 * ossup-dev-server.json                       format marker
 * .lock                                       pid of the server using the directory
 * tmp/                                        trash being deleted (emptied at start)
 * buckets/<bucket>/bucket.json                bucket exists iff this file exists
 * buckets/<bucket>/objects/<h2>/<sha256>.json object metadata (key inside), h2 = hash prefix
 * buckets/<bucket>/data/<id>                  immutable data files (object segments, parts)
 * buckets/<bucket>/uploads/<uploadId>/upload.json, part-<N>.json
 * ```
 * Bytes are written to `data/<id>.tmp`, fsynced and renamed to `data/<id>` before any
 * metadata names them; metadata files are replaced atomically (temp, fsync, rename, fsync
 * directory). A metadata rename is the commit point of every operation, so after a crash a
 * reader sees the state before or after it, and data files nobody names are garbage that
 * {@link DiskStore.open} deletes. Metadata is also kept in memory for fast listings; only
 * one process may use a directory at a time (`.lock`).
 */
export class DiskStore {
  private readonly buckets = new Map<string, BucketState>();
  private readonly locks = new KeyedMutex();
  private readonly knownDirs = new Set<string>();
  private readonly pins = new Map<string, number>();
  private readonly pendingDeletes = new Set<string>();
  private closed = false;

  private constructor(
    readonly root: string,
    private readonly warn: (message: string) => void,
  ) {}

  /** Opens (creating if needed) a data directory, recovers from any crash and loads metadata. */
  static async open(root: string, warn: (message: string) => void = () => {}): Promise<DiskStore> {
    await ensureDir(root);
    const real = await realpath(root);
    if (openInProcess.has(real)) throw new DataDirInUseError(root, process.pid);
    openInProcess.add(real);
    const store = new DiskStore(real, warn);
    try {
      await store.acquireLock();
    } catch (err) {
      openInProcess.delete(real);
      throw err;
    }
    try {
      const marker = join(real, 'ossup-dev-server.json');
      const existing = await readJson(marker);
      if (existing === undefined) {
        await writeFileAtomic(marker, `${JSON.stringify({ format: FORMAT })}\n`);
      } else if (existing['format'] !== FORMAT) {
        throw new Error(
          `${root} holds data in format ${String(existing['format'])}; this server reads format ${FORMAT}.`,
        );
      }
      await rmQuiet(join(real, 'tmp'));
      await ensureDir(join(real, 'tmp'), store.knownDirs);
      await ensureDir(join(real, 'buckets'), store.knownDirs);
      for (const name of await listDir(join(real, 'buckets'))) {
        await store.loadBucket(name);
      }
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  }

  private async acquireLock(): Promise<void> {
    const lockPath = join(this.root, '.lock');
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fh = await open(lockPath, 'wx', 0o600);
        await fh.writeFile(String(process.pid));
        await fh.close();
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const pid = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
        throw new DataDirInUseError(this.root, pid);
      }
      // The previous owner died (kill -9) or is this very process: take the lock over.
      await unlinkQuiet(lockPath);
    }
    throw new Error(`Could not take the lock file ${lockPath}.`);
  }

  /** Releases the data directory. Metadata is already durable; nothing is flushed here. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    openInProcess.delete(this.root);
    const lockPath = join(this.root, '.lock');
    const pid = await readFile(lockPath, 'utf8').catch(() => '');
    if (pid === String(process.pid)) await unlinkQuiet(lockPath);
  }

  // ---- paths -------------------------------------------------------------------------------

  private bucketDir(bucket: string): string {
    return join(this.root, 'buckets', bucket);
  }

  /** Directory holding a bucket's data files. */
  dataDir(bucket: string): string {
    return join(this.bucketDir(bucket), 'data');
  }

  /** Path of a committed data file. */
  dataPath(bucket: string, id: string): string {
    return join(this.bucketDir(bucket), 'data', id);
  }

  private objectMetaPath(bucket: string, key: string): { dir: string; file: string } {
    const h = keyHash(key);
    const dir = join(this.bucketDir(bucket), 'objects', h.slice(0, 2));
    return { dir, file: join(dir, `${h}.json`) };
  }

  private uploadDir(bucket: string, uploadId: string): string {
    return join(this.bucketDir(bucket), 'uploads', uploadId);
  }

  // ---- loading and recovery ---------------------------------------------------------------

  private async loadBucket(name: string): Promise<void> {
    const dir = this.bucketDir(name);
    if (!BUCKET_NAME.test(name)) {
      this.warn(`ignoring ${dir}: not a bucket name`);
      return;
    }
    const rec = await readJson(join(dir, 'bucket.json'));
    const record = rec ? toBucketRecord(rec) : undefined;
    if (record === undefined || record.name !== name) {
      // CreateBucket never committed (crash before bucket.json was renamed into place).
      await rmQuiet(dir);
      return;
    }
    const state = bucketState(record);
    for (const sub of ['objects', 'data', 'uploads']) {
      await ensureDir(join(dir, sub), this.knownDirs);
    }
    for (const file of await listDir(dir)) {
      if (file.endsWith('.tmp')) await unlinkQuiet(join(dir, file));
    }

    const objectsDir = join(dir, 'objects');
    for (const sub of await listDir(objectsDir)) {
      const subDir = join(objectsDir, sub);
      this.knownDirs.add(subDir);
      for (const file of await listDir(subDir)) {
        const path = join(subDir, file);
        if (!file.endsWith('.json')) {
          await unlinkQuiet(path);
          continue;
        }
        const j = await readJson(path);
        const obj = j ? toObjectRecord(j) : undefined;
        if (obj === undefined || `${keyHash(obj.key)}.json` !== file) {
          this.warn(`ignoring unreadable object metadata ${path}`);
          continue;
        }
        state.objects.set(obj.key, obj);
      }
    }

    const uploadsDir = join(dir, 'uploads');
    for (const uploadId of await listDir(uploadsDir)) {
      const udir = join(uploadsDir, uploadId);
      const uj = await readJson(join(udir, 'upload.json'));
      const upload = uj ? toUploadRecord(uj) : undefined;
      if (upload === undefined || upload.uploadId !== uploadId) {
        await rmQuiet(udir); // Initiate never committed.
        continue;
      }
      const parts = new Map<number, PartRecord>();
      for (const file of await listDir(udir)) {
        if (file.endsWith('.tmp')) {
          await unlinkQuiet(join(udir, file));
          continue;
        }
        const m = /^part-(\d+)\.json$/.exec(file);
        if (!m) continue;
        const pj = await readJson(join(udir, file));
        const part = pj ? toPartRecord(pj) : undefined;
        if (part === undefined || part.partNumber !== Number(m[1])) {
          this.warn(`ignoring unreadable part metadata ${join(udir, file)}`);
          continue;
        }
        parts.set(part.partNumber, part);
      }
      state.uploads.set(uploadId, { record: upload, parts });
    }

    // A crash between Complete's commit (object metadata naming the upload) and the removal
    // of the upload directory leaves both: finish the Complete now.
    for (const obj of state.objects.values()) {
      if (obj.uploadId !== undefined && state.uploads.has(obj.uploadId)) {
        await rmQuiet(this.uploadDir(name, obj.uploadId));
        state.uploads.delete(obj.uploadId);
      }
    }

    const referenced = new Set<string>();
    for (const obj of state.objects.values()) for (const s of obj.segments) referenced.add(s.id);
    for (const up of state.uploads.values())
      for (const p of up.parts.values()) referenced.add(p.dataId);
    const dataDir = join(dir, 'data');
    for (const file of await listDir(dataDir)) {
      if (!referenced.has(file)) await unlinkQuiet(join(dataDir, file));
    }
    for (const id of referenced) {
      // A missing data file means the disk lost something fsync promised; say so loudly.
      const exists = await open(join(dataDir, id), 'r').then(
        (fh) => fh.close().then(() => true),
        () => false,
      );
      if (!exists) this.warn(`data file ${join(dataDir, id)} is missing`);
    }
    this.buckets.set(name, state);
  }

  // ---- pins: data files being read are deleted only when the last reader is done ----------

  /** Marks data files as in use by a reader; call the returned function when done. */
  pin(bucket: string, ids: readonly string[]): () => void {
    const keys = ids.map((id) => `${bucket}/${id}`);
    for (const k of keys) this.pins.set(k, (this.pins.get(k) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const k of keys) {
        const n = (this.pins.get(k) ?? 1) - 1;
        if (n > 0) {
          this.pins.set(k, n);
          continue;
        }
        this.pins.delete(k);
        if (this.pendingDeletes.delete(k)) {
          const [b, id] = k.split('/') as [string, string];
          void unlinkQuiet(this.dataPath(b, id)).catch(() => {});
        }
      }
    };
  }

  private async deleteData(bucket: string, ids: Iterable<string>): Promise<void> {
    for (const id of ids) {
      const k = `${bucket}/${id}`;
      if (this.pins.has(k)) this.pendingDeletes.add(k);
      else await unlinkQuiet(this.dataPath(bucket, id)).catch(() => {});
    }
  }

  // ---- buckets -----------------------------------------------------------------------------

  /** All buckets, sorted by name. */
  listBuckets(): BucketRecord[] {
    return [...this.buckets.values()]
      .map((b) => b.record)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** A bucket's in-memory state, or undefined. Do not mutate it. */
  bucket(name: string): BucketState | undefined {
    return this.buckets.get(name);
  }

  /** Like {@link bucket} but throws NoSuchBucket. */
  requireBucket(name: string): BucketState {
    const b = this.buckets.get(name);
    if (b === undefined || b.deleting) throw noSuchBucket(name);
    return b;
  }

  /**
   * Creates a bucket. Returns false when it already exists (OSS answers 200 to the owner
   * re-creating its bucket) unless `failIfExists`.
   */
  async createBucket(name: string, failIfExists = false): Promise<boolean> {
    return this.locks.run(`bucket\0${name}`, async () => {
      if (this.buckets.has(name)) {
        if (failIfExists) throw bucketAlreadyExists(name);
        return false;
      }
      const dir = this.bucketDir(name);
      for (const sub of ['objects', 'data', 'uploads']) {
        await ensureDir(join(dir, sub), this.knownDirs);
      }
      const record: BucketRecord = { name, created: Math.floor(Date.now() / 1000) * 1000 };
      await writeFileAtomic(join(dir, 'bucket.json'), `${JSON.stringify(record)}\n`);
      this.buckets.set(name, bucketState(record));
      return true;
    });
  }

  /** Deletes an empty bucket (no objects, no multipart uploads), else BucketNotEmpty. */
  async deleteBucket(name: string): Promise<void> {
    await this.locks.run(`bucket\0${name}`, async () => {
      const state = this.requireBucket(name);
      // An object or upload still being committed counts: it is about to be acknowledged.
      // So does a deleted object whose data a GetObject is still streaming: removing the
      // bucket's directory would cut that reader off at its next segment.
      const reading = [...this.pins.keys()].some((k) => k.startsWith(`${name}/`));
      if (state.objects.size > 0 || state.uploads.size > 0 || state.writing > 0 || reading) {
        throw bucketNotEmpty(name);
      }
      // From here nothing new starts in it (requireBucket answers NoSuchBucket).
      state.deleting = true;
      const trash = join(this.root, 'tmp', `bucket-${name}-${randomBytes(4).toString('hex')}`);
      try {
        await rename(this.bucketDir(name), trash);
      } catch (err) {
        state.deleting = false;
        throw err;
      }
      await fsyncDir(join(this.root, 'buckets'));
      this.buckets.delete(name);
      for (const d of [...this.knownDirs]) {
        if (d.startsWith(`${this.bucketDir(name)}/`) || d === this.bucketDir(name)) {
          this.knownDirs.delete(d);
        }
      }
      await rmQuiet(trash);
    });
  }

  // ---- data files --------------------------------------------------------------------------

  /** Starts a new data file in the bucket; commit it before naming it in metadata. */
  async createDataFile(bucket: string): Promise<DataFileWriter> {
    this.requireBucket(bucket);
    return DataFileWriter.create(this.dataDir(bucket));
  }

  // ---- objects -----------------------------------------------------------------------------

  /** Runs `fn` while holding the lock that serialises every write to `bucket`/`key`. */
  withKeyLock<T>(bucket: string, key: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(`key\0${bucket}\0${key}`, fn);
  }

  /**
   * Commits an object whose data files are already committed. With `forbidOverwrite` an
   * existing object makes it fail with FileAlreadyExists (and nothing changes). The replaced
   * object's data files are deleted after the commit.
   */
  async commitObject(
    bucket: string,
    record: ObjectRecord,
    forbidOverwrite: boolean,
  ): Promise<void> {
    await this.withKeyLock(bucket, record.key, () =>
      this.commitObjectLocked(bucket, record, forbidOverwrite),
    );
  }

  private async commitObjectLocked(
    bucket: string,
    record: ObjectRecord,
    forbidOverwrite: boolean,
    ec?: string,
  ): Promise<void> {
    const state = this.requireBucket(bucket);
    const previous = state.objects.get(record.key);
    if (previous !== undefined && forbidOverwrite) throw fileAlreadyExists(ec);
    const { dir, file } = this.objectMetaPath(bucket, record.key);
    await whileCommitting(state, async () => {
      await ensureDir(dir, this.knownDirs);
      await writeFileAtomic(file, `${JSON.stringify(record)}\n`);
      state.objects.set(record.key, record);
    });
    if (previous !== undefined) {
      const keep = new Set(record.segments.map((s) => s.id));
      await this.deleteData(
        bucket,
        previous.segments.map((s) => s.id).filter((id) => !keep.has(id)),
      );
    }
  }

  /** Deletes an object; returns false when there was none. */
  async deleteObject(bucket: string, key: string): Promise<boolean> {
    return this.withKeyLock(bucket, key, async () => {
      const state = this.requireBucket(bucket);
      const previous = state.objects.get(key);
      if (previous === undefined) return false;
      const { dir, file } = this.objectMetaPath(bucket, key);
      await unlinkQuiet(file);
      await fsyncDir(dir);
      state.objects.delete(key);
      await this.deleteData(
        bucket,
        previous.segments.map((s) => s.id),
      );
      return true;
    });
  }

  // ---- multipart uploads -------------------------------------------------------------------

  /** Creates a multipart upload; durable when this resolves. */
  async initiateUpload(bucket: string, key: string, headers: StoredHeaders): Promise<UploadRecord> {
    const state = this.requireBucket(bucket);
    const uploadId = randomBytes(16).toString('hex').toUpperCase();
    const record: UploadRecord = {
      uploadId,
      key,
      initiated: Math.floor(Date.now() / 1000) * 1000,
      headers,
    };
    const dir = this.uploadDir(bucket, uploadId);
    await whileCommitting(state, async () => {
      await ensureDir(dir, this.knownDirs);
      await writeFileAtomic(join(dir, 'upload.json'), `${JSON.stringify(record)}\n`);
      state.uploads.set(uploadId, { record, parts: new Map() });
    });
    return record;
  }

  /** The upload if it exists for this bucket and key. */
  upload(bucket: string, uploadId: string, key: string): UploadState | undefined {
    const u = this.buckets.get(bucket)?.uploads.get(uploadId);
    return u !== undefined && u.record.key === key ? u : undefined;
  }

  /**
   * Commits a part, replacing any earlier part with the same number. `dataCommitted` is the
   * commit of the part's data file (default: already done): the record is written and fsynced
   * while it runs, and published only once it resolved. Throws NoSuchUpload (with
   * `noSuchUploadEc`) if the upload went away meanwhile, or what `dataCommitted` rejected
   * with; either way `dataCommitted` has settled when this settles, and the caller then
   * discards the data file.
   */
  async commitPart(
    bucket: string,
    uploadId: string,
    key: string,
    part: PartRecord,
    noSuchUploadEc: string,
    dataCommitted: Promise<void> = Promise.resolve(),
  ): Promise<void> {
    // The record's write and fsync overlap the data file's and happen before taking the key
    // lock, so parallel parts of one upload only queue for the rename (the commit point) and
    // the directory fsync: holding the lock for the whole write made each part wait for every
    // other part's two fsyncs.
    const [data, record] = await Promise.allSettled([
      dataCommitted,
      this.stagePart(bucket, uploadId, key, part, noSuchUploadEc),
    ]);
    if (data.status === 'rejected' || record.status === 'rejected') {
      if (record.status === 'fulfilled') await record.value.discard();
      throw data.status === 'rejected' ? data.reason : (record as PromiseRejectedResult).reason;
    }
    const staged = record.value;
    try {
      await this.withKeyLock(bucket, key, async () => {
        const upload = this.upload(bucket, uploadId, key);
        if (upload === undefined) throw noSuchUpload(uploadId, noSuchUploadEc);
        await staged.publish();
        const previous = upload.parts.get(part.partNumber);
        upload.parts.set(part.partNumber, part);
        if (previous !== undefined && previous.dataId !== part.dataId) {
          await this.deleteData(bucket, [previous.dataId]);
        }
      });
    } catch (err) {
      await staged.discard();
      throw err;
    }
  }

  /** Writes and fsyncs a part's record under a temporary name in its upload's directory. */
  private async stagePart(
    bucket: string,
    uploadId: string,
    key: string,
    part: PartRecord,
    noSuchUploadEc: string,
  ): Promise<StagedFile> {
    if (this.upload(bucket, uploadId, key) === undefined) {
      throw noSuchUpload(uploadId, noSuchUploadEc);
    }
    try {
      return await stageFile(
        join(this.uploadDir(bucket, uploadId), `part-${part.partNumber}.json`),
        `${JSON.stringify(part)}\n`,
      );
    } catch (err) {
      // The upload's directory went away meanwhile (aborted or completed).
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw noSuchUpload(uploadId, noSuchUploadEc);
      }
      throw err;
    }
  }

  /** Aborts an upload and deletes its parts; NoSuchUpload if it does not exist. */
  async abortUpload(bucket: string, uploadId: string, key: string): Promise<void> {
    await this.withKeyLock(bucket, key, async () => {
      const state = this.requireBucket(bucket);
      const upload = this.upload(bucket, uploadId, key);
      if (upload === undefined) throw noSuchUpload(uploadId, '0042-00000002');
      await this.removeUploadDir(bucket, uploadId);
      state.uploads.delete(uploadId);
      await this.deleteData(
        bucket,
        [...upload.parts.values()].map((p) => p.dataId),
      );
    });
  }

  private async removeUploadDir(bucket: string, uploadId: string): Promise<void> {
    const dir = this.uploadDir(bucket, uploadId);
    const trash = join(this.root, 'tmp', `upload-${uploadId}-${randomBytes(4).toString('hex')}`);
    await rename(dir, trash);
    await fsyncDir(join(this.bucketDir(bucket), 'uploads'));
    this.knownDirs.delete(dir);
    await rmQuiet(trash);
  }

  /**
   * Completes an upload under the key lock. `build` validates the request against the
   * upload's parts (throwing OSS errors) and returns the object record; the object is then
   * committed, the upload removed, and parts not used by the object deleted.
   */
  async completeUpload(
    bucket: string,
    uploadId: string,
    key: string,
    build: (upload: UploadState, existing: ObjectRecord | undefined) => Promise<ObjectRecord>,
    forbidOverwrite: boolean,
  ): Promise<ObjectRecord> {
    return this.withKeyLock(bucket, key, async () => {
      const state = this.requireBucket(bucket);
      const upload = this.upload(bucket, uploadId, key);
      if (upload === undefined) throw noSuchUpload(uploadId, '0042-00000104');
      const record = await build(upload, state.objects.get(key));
      // Commit point: the object metadata names the upload, so recovery can finish the rest.
      await this.commitObjectLocked(bucket, record, forbidOverwrite, '0042-00000214');
      await this.removeUploadDir(bucket, uploadId);
      state.uploads.delete(uploadId);
      const used = new Set(record.segments.map((s) => s.id));
      await this.deleteData(
        bucket,
        [...upload.parts.values()].map((p) => p.dataId).filter((id) => !used.has(id)),
      );
      return record;
    });
  }
}
