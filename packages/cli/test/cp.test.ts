import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { OssClient } from '@ossup/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliServer, jsonLines, randomFile, runCli, startCliServer } from './helpers.ts';

const BUCKET = 'cp-bucket';

let t: CliServer;
let client: OssClient;

beforeAll(async () => {
  t = await startCliServer(BUCKET);
  client = t.client;
});

afterAll(async () => {
  await t?.close();
});

async function openUploads(key: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const u of client.listAllMultipartUploads({ bucket: BUCKET, prefix: key }))
    if (u.key === key) ids.push(u.uploadId);
  return ids;
}

async function checkpoints(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json'));
}

/**
 * Runs `cp` of a 5-part file that stops for good at part 3 (a fault refuses it), leaving parts
 * 1-2 stored and a checkpoint in `ckpt`; `args` repeat the command without `--checkpoint-dir`.
 */
async function stoppedAfterTwoParts(name: string) {
  const { path } = await randomFile(t.work.dir, `${name}.bin`, 5 * 100 * 1024 + 9);
  const key = `${name}.bin`;
  const ckpt = join(t.work.dir, `ckpt-${name}`);
  const args = ['cp', path, `oss://${BUCKET}/${key}`, '--part-size', '100KiB', '--parallel', '1'];
  t.server.faults.add({
    match: { operation: 'UploadPart', key, partNumber: 3 },
    times: 'always',
    action: { kind: 'status', status: 400, code: 'InvalidArgument' },
  });
  const first = await runCli([...args, '--checkpoint-dir', ckpt], t.env);
  t.server.faults.clear();
  expect(first.code).toBe(1);
  return { key, ckpt, args };
}

describe('ossup cp --no-resume / --no-crc', () => {
  it('--no-resume starts afresh instead of resuming the checkpointed upload', async () => {
    const { key, ckpt, args } = await stoppedAfterTwoParts('no-resume');
    expect(await checkpoints(ckpt)).toHaveLength(1);
    const [oldUpload] = await openUploads(key);
    expect(oldUpload).toBeDefined();

    const again = await runCli([...args, '--checkpoint-dir', ckpt, '--no-resume', '--json'], t.env);
    expect(again.code).toBe(0);
    const result = jsonLines(again.stdout).find((d) => d.type === 'result')!;
    expect(result.resumed).toBe(false);
    expect(result.uploadId).not.toBe(oldUpload);
    // The upload it gave up is aborted rather than left behind with its parts billed.
    expect(await openUploads(key)).toEqual([]);
    expect(await checkpoints(ckpt)).toEqual([]);
  });

  it('--no-resume leaves alone an upload another process is driving (its lock is held)', async () => {
    const { key, ckpt, args } = await stoppedAfterTwoParts('no-resume-locked');
    const [entry] = await checkpoints(ckpt);
    expect(entry).toBeDefined();
    const [running] = await openUploads(key);

    // This test process plays the one still driving the upload.
    const { fileCheckpointStore } = await import('@ossup/node');
    const unlock = await fileCheckpointStore(ckpt).lock!(entry!.replace(/\.json$/, ''));
    try {
      const again = await runCli([...args, '--checkpoint-dir', ckpt, '--no-resume'], t.env);
      expect(again.code).not.toBe(0);
      expect(again.stderr).toMatch(/another|locked/i);
      expect(await checkpoints(ckpt)).toEqual([entry]);
      expect(await openUploads(key)).toEqual([running]);
    } finally {
      await unlock();
    }
  });

  it('--no-crc turns the CRC-64 checks off and says so', async () => {
    const { path } = await randomFile(t.work.dir, 'no-crc.bin', 3 * 100 * 1024);
    const r = await runCli(
      ['cp', path, `oss://${BUCKET}/no-crc.bin`, '--part-size', '100KiB', '--no-crc'],
      t.env,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/CRC-64 not checked/);
    expect(r.stdout).not.toMatch(/verified/);
  });

  it('says "1 part" for a single-request upload', async () => {
    const { path } = await randomFile(t.work.dir, 'one-part.bin', 100);
    const r = await runCli(['cp', path, `oss://${BUCKET}/one-part.bin`], t.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/, 1 part,/);
  });
});

describe('ossup cp --forbid-overwrite', () => {
  it('fails at once, sending nothing, when the object exists', async () => {
    const key = 'exists.bin';
    await client.putObject({ bucket: BUCKET, key, body: new TextEncoder().encode('original') });
    const { path } = await randomFile(t.work.dir, 'forbid.bin', 3 * 100 * 1024);
    t.server.requests.clear();
    const r = await runCli(
      ['cp', path, `oss://${BUCKET}/${key}`, '--part-size', '100KiB', '--forbid-overwrite'],
      t.env,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already exists/);
    expect(r.stderr).not.toMatch(/resume/);
    for (const operation of ['PutObject', 'InitiateMultipartUpload', 'UploadPart'] as const)
      expect(t.server.requests.count({ operation, key })).toBe(0);
  });

  it('uploads when HeadObject is refused (403) and the object does not exist', async () => {
    const key = 'head-refused.bin';
    t.server.faults.add({
      match: { operation: 'HeadObject', key },
      times: 'always',
      action: { kind: 'status', status: 403, code: 'AccessDenied' },
    });
    const { path } = await randomFile(t.work.dir, 'head-refused.bin', 3 * 100 * 1024);
    const r = await runCli(
      ['cp', path, `oss://${BUCKET}/${key}`, '--part-size', '100KiB', '--forbid-overwrite'],
      t.env,
    );
    t.server.faults.clear();
    expect(r.code).toBe(0);
  });

  it('aborts the upload and drops its checkpoint when Complete finds the object there', async () => {
    const key = 'race.bin';
    await client.putObject({ bucket: BUCKET, key, body: new TextEncoder().encode('theirs') });
    // HEAD refused: the object is only found at Complete, as when it appears during the upload.
    t.server.faults.add({
      match: { operation: 'HeadObject', key },
      times: 'always',
      action: { kind: 'status', status: 403, code: 'AccessDenied' },
    });
    const { path } = await randomFile(t.work.dir, 'race.bin', 3 * 100 * 1024);
    const ckpt = join(t.work.dir, 'ckpt-race');
    const r = await runCli(
      [
        'cp',
        path,
        `oss://${BUCKET}/${key}`,
        '--part-size',
        '100KiB',
        '--forbid-overwrite',
        '--checkpoint-dir',
        ckpt,
        '--json',
      ],
      t.env,
    );
    t.server.faults.clear();
    expect(r.code).toBe(1);
    const error = jsonLines(r.stdout).find((d) => d.type === 'error')!;
    expect(error.code).toBe('FileAlreadyExists');
    expect(error.message).toMatch(/aborted/);
    expect(error.message).not.toMatch(/run the upload again|resume/);
    expect(await openUploads(key)).toEqual([]);
    expect(await checkpoints(ckpt)).toEqual([]);
    const obj = await client.getObject({ bucket: BUCKET, key });
    expect(await new Response(obj.body).text()).toBe('theirs');
  });
});
