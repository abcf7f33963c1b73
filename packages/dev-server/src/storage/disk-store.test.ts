import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OssError } from '../errors.ts';
import { DataDirInUseError, DiskStore } from './disk-store.ts';
import type { ObjectRecord, PartRecord } from './records.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ossup-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function dataFile(store: DiskStore, bucket: string, text: string): Promise<string> {
  const w = await store.createDataFile(bucket);
  await w.write([Buffer.from(text)]);
  await w.commit();
  return w.id;
}

async function putObject(
  store: DiskStore,
  bucket: string,
  key: string,
  text: string,
): Promise<ObjectRecord> {
  const rec = objectRecord(key, await dataFile(store, bucket, text), text.length);
  await store.commitObject(bucket, rec, false);
  return rec;
}

/** A Normal object's record whose one segment is data file `id`. */
function objectRecord(key: string, id: string, size: number): ObjectRecord {
  return {
    key,
    size,
    etag: 'E',
    crc64: '0',
    contentMd5: undefined,
    type: 'Normal',
    lastModified: 0,
    headers: {},
    segments: [{ id, size }],
    uploadId: undefined,
  };
}

describe('DiskStore', () => {
  it('reloads buckets, objects, uploads and parts', async () => {
    const a = await DiskStore.open(dir);
    await a.createBucket('bkt');
    await putObject(a, 'bkt', 'k', 'hello');
    const up = await a.initiateUpload('bkt', 'big', { 'content-type': 'x/y' });
    const part: PartRecord = {
      partNumber: 1,
      size: 3,
      etag: 'P',
      crc64: '1',
      lastModified: 0,
      dataId: await dataFile(a, 'bkt', 'abc'),
    };
    await a.commitPart('bkt', up.uploadId, 'big', part, 'ec');
    await a.close();

    const b = await DiskStore.open(dir);
    const bucket = b.requireBucket('bkt');
    expect(bucket.objects.get('k')?.size).toBe(5);
    expect(bucket.uploads.get(up.uploadId)?.record.headers).toEqual({ 'content-type': 'x/y' });
    expect(bucket.uploads.get(up.uploadId)?.parts.get(1)).toEqual(part);
    await b.close();
  });

  it('finishes a Complete interrupted between the object commit and the upload removal', async () => {
    const a = await DiskStore.open(dir);
    await a.createBucket('bkt');
    const up = await a.initiateUpload('bkt', 'obj', {});
    const used = await dataFile(a, 'bkt', 'part-one');
    const unused = await dataFile(a, 'bkt', 'part-two');
    await a.commitPart(
      'bkt',
      up.uploadId,
      'obj',
      { partNumber: 1, size: 8, etag: 'A', crc64: '0', lastModified: 0, dataId: used },
      'ec',
    );
    await a.commitPart(
      'bkt',
      up.uploadId,
      'obj',
      { partNumber: 2, size: 8, etag: 'B', crc64: '0', lastModified: 0, dataId: unused },
      'ec',
    );
    const uploadDir = join(dir, 'buckets', 'bkt', 'uploads', up.uploadId);
    const backup = join(dir, 'backup');
    await cp(uploadDir, backup, { recursive: true });
    await a.completeUpload(
      'bkt',
      up.uploadId,
      'obj',
      async () => ({
        key: 'obj',
        size: 8,
        etag: 'M-1',
        crc64: '0',
        contentMd5: undefined,
        type: 'Multipart',
        lastModified: 0,
        headers: {},
        segments: [{ id: used, size: 8 }],
        uploadId: up.uploadId,
      }),
      false,
    );
    await a.close();
    // Crash simulation: the upload directory is back, as if its removal never happened.
    await cp(backup, uploadDir, { recursive: true });
    await rm(backup, { recursive: true });

    const b = await DiskStore.open(dir);
    const bucket = b.requireBucket('bkt');
    expect(bucket.uploads.size).toBe(0);
    expect(bucket.objects.get('obj')?.etag).toBe('M-1');
    expect(await readFile(b.dataPath('bkt', used), 'utf8')).toBe('part-one');
    await expect(stat(b.dataPath('bkt', unused))).rejects.toThrow();
    await b.close();
  });

  it('commits parts of one upload concurrently, and refuses a part that races an abort', async () => {
    const s = await DiskStore.open(dir);
    await s.createBucket('bkt');
    const up = await s.initiateUpload('bkt', 'obj', {});
    const part = async (n: number): Promise<PartRecord> => ({
      partNumber: n,
      size: 1,
      etag: `E${n}`,
      crc64: '0',
      lastModified: 0,
      dataId: await dataFile(s, 'bkt', String(n)),
    });
    const parts = await Promise.all([1, 2, 3, 4, 5, 6].map(part));
    await Promise.all(parts.map((p) => s.commitPart('bkt', up.uploadId, 'obj', p, 'ec')));
    const uploadDir = join(dir, 'buckets', 'bkt', 'uploads', up.uploadId);
    // Every record in place and no staged temp file left behind.
    expect((await readdir(uploadDir)).sort()).toEqual(
      [...parts.map((p) => `part-${p.partNumber}.json`), 'upload.json'].sort(),
    );

    // A data file that failed to commit: the part is not recorded, its staged record removed.
    await expect(
      s.commitPart(
        'bkt',
        up.uploadId,
        'obj',
        await part(9),
        'ec',
        Promise.reject(new Error('EIO')),
      ),
    ).rejects.toThrow('EIO');
    expect(s.upload('bkt', up.uploadId, 'obj')?.parts.has(9)).toBe(false);
    expect(await readdir(uploadDir)).toHaveLength(parts.length + 1);

    const late = await part(7);
    const racing = s.commitPart('bkt', up.uploadId, 'obj', late, 'ec').then(
      () => 'committed',
      (err: unknown) => (err as OssError).code,
    );
    await s.abortUpload('bkt', up.uploadId, 'obj');
    expect(['committed', 'NoSuchUpload']).toContain(await racing);
    await s.close();

    const b = await DiskStore.open(dir);
    expect(b.requireBucket('bkt').uploads.size).toBe(0);
    expect(await readdir(join(dir, 'buckets', 'bkt', 'uploads'))).toEqual([]);
    await b.close();
  });

  it('removes what was never committed: temp files, orphan data, half-made buckets and uploads', async () => {
    const a = await DiskStore.open(dir);
    await a.createBucket('bkt');
    const kept = await putObject(a, 'bkt', 'k', 'keep');
    await a.close();
    const b = join(dir, 'buckets', 'bkt');
    await writeFile(join(b, 'data', '0123456789abcdef0123456789abcdef'), 'orphan');
    await writeFile(join(b, 'data', 'fedcba9876543210fedcba9876543210.tmp'), 'partial');
    await mkdir(join(b, 'objects', 'ab'), { recursive: true });
    await writeFile(join(b, 'objects', 'ab', 'x.json.123.tmp'), '{');
    await mkdir(join(b, 'uploads', 'ABCDEF0123456789ABCDEF0123456789'));
    await mkdir(join(dir, 'buckets', 'half-made', 'objects'), { recursive: true });

    const s = await DiskStore.open(dir);
    expect(s.listBuckets().map((x) => x.name)).toEqual(['bkt']);
    expect(await readdir(join(b, 'data'))).toEqual([kept.segments[0]!.id]);
    expect(await readdir(join(b, 'objects', 'ab'))).toEqual([]);
    expect(await readdir(join(b, 'uploads'))).toEqual([]);
    expect(await readdir(join(dir, 'buckets'))).toEqual(['bkt']);
    await s.close();
  });

  it('skips unreadable metadata with a warning instead of failing', async () => {
    const a = await DiskStore.open(dir);
    await a.createBucket('bkt');
    await putObject(a, 'bkt', 'k', 'v');
    await a.close();
    const objects = join(dir, 'buckets', 'bkt', 'objects');
    const sub = (await readdir(objects))[0]!;
    const file = (await readdir(join(objects, sub)))[0]!;
    await writeFile(join(objects, sub, file), 'not json');
    const warnings: string[] = [];
    const b = await DiskStore.open(dir, (m) => warnings.push(m));
    expect(b.requireBucket('bkt').objects.size).toBe(0);
    expect(warnings).toHaveLength(1);
    await b.close();
  });

  it('refuses to open a directory twice', async () => {
    const a = await DiskStore.open(dir);
    await expect(DiskStore.open(dir)).rejects.toThrow(DataDirInUseError);
    await a.close();
    const b = await DiskStore.open(dir);
    await b.close();
  });

  it('does not delete a bucket while an object or upload in it is being committed', async () => {
    const store = await DiskStore.open(dir);
    await store.createBucket('bkt');
    await store.createBucket('bkt2');
    const rec = objectRecord('k', await dataFile(store, 'bkt', 'hello'), 5);
    // Each in a bucket of its own, so that only the commit in progress can make it non-empty.
    for (const [bucket, commit] of [
      ['bkt', () => store.commitObject('bkt', rec, false)],
      ['bkt2', () => store.initiateUpload('bkt2', 'u', {})],
    ] as const) {
      const committing = commit();
      // The commit is on disk (metadata written and fsynced), not yet in memory.
      while (store.requireBucket(bucket).writing === 0) await new Promise((r) => setImmediate(r));
      const refused = await store.deleteBucket(bucket).catch((e: unknown) => e);
      expect((refused as OssError).code).toBe('BucketNotEmpty');
      await committing;
    }
    expect(store.requireBucket('bkt').objects.get('k')).toBeDefined();
    expect(store.requireBucket('bkt2').uploads.size).toBe(1);
    await store.close();
    const reopened = await DiskStore.open(dir);
    expect(reopened.requireBucket('bkt').objects.get('k')).toBeDefined();
    await reopened.close();
  });

  it('does not delete a bucket while a deleted object of it is still being read', async () => {
    const store = await DiskStore.open(dir);
    await store.createBucket('bkt');
    const rec = await putObject(store, 'bkt', 'k', 'hello');
    const release = store.pin('bkt', [rec.segments[0]!.id]);
    await store.deleteObject('bkt', 'k');
    const refused = await store.deleteBucket('bkt').catch((e: unknown) => e);
    expect((refused as OssError).code).toBe('BucketNotEmpty');
    expect(await readFile(store.dataPath('bkt', rec.segments[0]!.id), 'utf8')).toBe('hello');
    release();
    await store.deleteBucket('bkt');
    await store.close();
  });

  it('defers deleting data that a reader still uses', async () => {
    const s = await DiskStore.open(dir);
    await s.createBucket('bkt');
    const rec = await putObject(s, 'bkt', 'k', 'first');
    const id = rec.segments[0]!.id;
    const release = s.pin('bkt', [id]);
    await putObject(s, 'bkt', 'k', 'second');
    expect(await readFile(s.dataPath('bkt', id), 'utf8')).toBe('first');
    release();
    // The unlink runs in the background: wait for it (bounded).
    for (let i = 0; i < 100; i++) {
      const gone = await stat(s.dataPath('bkt', id)).then(
        () => false,
        () => true,
      );
      if (gone) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await expect(stat(s.dataPath('bkt', id))).rejects.toThrow();
    await s.close();
  });
});
