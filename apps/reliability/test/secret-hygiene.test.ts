// Secret hygiene: uploads, failures and --verbose CLI runs with a recognisable AccessKey
// secret and STS token. Everything they produce (log lines, error messages and every field of
// the error objects, progress events, warnings, retry and response callbacks, results,
// checkpoint files, JSON output, a child CLI's whole stdout and stderr) is captured and searched
// for the secrets and for every signature that was actually sent. Checkpoint files are 0600.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  type ClientOptions,
  fromBytes,
  type OssClient,
  type Transport,
  upload,
} from '@ossup/client';
import { type DevServer, startDevServer } from '@ossup/dev-server';
import { createNodeClient, fileCheckpointStore, fromFile, nodeHttpTransport } from '@ossup/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededBytes } from '../src/seeded.ts';
import { repoRoot, spawnTs, watch } from './helpers/processes.ts';
import {
  type RecordingProxy,
  signatureOf,
  startRecordingProxy,
} from './helpers/recording-proxy.ts';

const KiB = 1024;
const BUCKET = 'hygiene';
const KEY_ID = 'LTAI-hygiene-id';
const SECRET = 'HYGIENE-SECRET-5b0c0ffee5b0c0ffee';
const LIMITS = { minPartSize: 16 * KiB };

let server: DevServer;
let proxy: RecordingProxy;
let work: string;
/** Everything the library and the CLI produced, to search. */
const captured: { where: string; text: string }[] = [];
/** Signatures the clients sent (Authorization headers, presigned queries). */
const signatures = new Set<string>();
/** Secrets besides SECRET: the STS secrets and tokens issued during the run. */
const secrets = new Set<string>([SECRET]);

const capture = (where: string, value: unknown) =>
  captured.push({
    where,
    text:
      typeof value === 'string'
        ? value
        : `${inspect(value, { depth: Number.POSITIVE_INFINITY, getters: true })}\n${safeJson(value)}`,
  });

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) ?? '';
  } catch {
    return '';
  }
}

function issue() {
  const sts = server.issueTemporaryCredentials({ durationSeconds: 3600 });
  secrets.add(sts.accessKeySecret);
  secrets.add(sts.securityToken);
  return sts;
}

/** A transport that notes every signature it sends. */
function recording(inner: Transport): Transport {
  return (request, options) => {
    const auth = Object.entries(request.headers).find(
      ([n]) => n.toLowerCase() === 'authorization',
    )?.[1];
    for (const s of signatureOf(auth, request.url)) signatures.add(s);
    return inner(request, options);
  };
}

function client(options: Partial<ClientOptions> = {}): OssClient {
  return createNodeClient({
    endpoint: server.endpoint,
    region: server.region,
    credentials: { accessKeyId: KEY_ID, accessKeySecret: SECRET },
    transport: recording(nodeHttpTransport()),
    retry: { attempts: 3, baseDelayMs: 5 },
    timeout: 2000,
    onRetry: (info) => capture('onRetry', info),
    onResponse: (info) => capture('onResponse', info),
    ...options,
  });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ossup-hygiene-'));
  server = await startDevServer({
    buckets: [BUCKET],
    credentials: { accessKeyId: KEY_ID, accessKeySecret: SECRET },
    limits: LIMITS,
    onWarning: (m) => capture('server warning', m),
  });
  proxy = await startRecordingProxy(server.endpoint);
});

afterAll(async () => {
  await proxy?.close();
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

/** Runs an upload capturing progress, warnings, the result or the error, and the checkpoints. */
async function captureUpload(
  name: string,
  c: OssClient,
  extra: Partial<Parameters<typeof upload>[1]> = {},
) {
  const dir = join(work, `checkpoints-${name}`);
  const file = join(work, `${name}.bin`);
  await writeFile(file, seededBytes(name, 0, 200 * KiB + 7));
  const source = await fromFile(file);
  // The checkpoint files as they are mid-upload too (a success deletes them at the end).
  let snapshot: Promise<void> | undefined;
  const midway = (p: { partsDone: number }) => {
    if (p.partsDone >= 2) snapshot ??= captureCheckpoints(`${name} (mid-upload)`, dir);
  };
  try {
    const result = await upload(c, {
      source,
      bucket: BUCKET,
      key: `hygiene/${name}.bin`,
      partSize: 32 * KiB,
      limits: LIMITS,
      parallel: 3,
      checkpoint: fileCheckpointStore(dir),
      onProgress: (p) => {
        capture(`${name} progress`, p);
        midway(p);
      },
      onWarning: (w) => capture(`${name} warning`, w),
      ...extra,
    });
    capture(`${name} result`, result);
    return { result, error: undefined, dir };
  } catch (error) {
    capture(`${name} error`, error);
    capture(`${name} error stack`, (error as Error).stack ?? '');
    return { result: undefined, error, dir };
  } finally {
    await snapshot;
    await source.close();
    await captureCheckpoints(name, dir);
  }
}

const checkpointModes: { file: string; mode: number }[] = [];
async function captureCheckpoints(name: string, dir: string) {
  let files: string[];
  try {
    files = await readdir(dir);
  } catch {
    return;
  }
  for (const f of files) {
    const path = join(dir, f);
    try {
      const mode = (await stat(path)).mode & 0o777;
      capture(`${name} checkpoint file ${f}`, await readFile(path, 'utf8'));
      if (f.endsWith('.json')) checkpointModes.push({ file: path, mode });
    } catch (error) {
      // A temp file renamed, or an entry deleted, while we looked: the writer is live.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

describe('secret hygiene: library', () => {
  it('V4 upload through 5xx, resets and a dropped answer, with a checkpoint', async () => {
    server.faults.add({
      match: { operation: 'UploadPart', partNumber: 2 },
      action: { kind: 'status', status: 503 },
    });
    server.faults.add({
      match: { operation: 'UploadPart', partNumber: 3 },
      action: { kind: 'reset', afterBodyBytes: 100 },
    });
    server.faults.add({
      match: { operation: 'UploadPart', partNumber: 4 },
      action: { kind: 'drop-after-store' },
    });
    const { result } = await captureUpload('v4-faults', client());
    expect(result?.size).toBe(200 * KiB + 7);
  });

  it('V1 upload, STS upload (V4 and V1)', async () => {
    const v1 = await captureUpload('v1', client({ signatureVersion: 'v1' }));
    expect(v1.result).toBeDefined();
    const { expiration: _e, ...sts } = issue();
    const stsV4 = await captureUpload('sts-v4', client({ credentials: sts }));
    expect(stsV4.result).toBeDefined();
    const stsV1 = await captureUpload(
      'sts-v1',
      client({ credentials: issueFixed(), signatureVersion: 'v1' }),
    );
    expect(stsV1.result).toBeDefined();
  });

  it('failures: wrong secret (V4, V1, STS), wrong token, exhausted retries, timeouts, a cancelled upload', async () => {
    const wrong = { accessKeyId: KEY_ID, accessKeySecret: `${SECRET}-but-wrong` };
    secrets.add(wrong.accessKeySecret);
    for (const signatureVersion of ['v4', 'v1'] as const) {
      const r = await captureUpload(
        `wrong-${signatureVersion}`,
        client({ credentials: wrong, signatureVersion }),
      );
      expect(r.error).toBeDefined();
    }
    // An STS secret that is wrong, with a valid token: the server's SignatureDoesNotMatch
    // answer echoes its canonical request / string to sign, which carry the token.
    for (const signatureVersion of ['v4', 'v1'] as const) {
      const sts = issueFixed();
      const badSecret = `${sts.accessKeySecret}x`;
      secrets.add(badSecret);
      const r = await captureUpload(
        `sts-wrong-secret-${signatureVersion}`,
        client({ credentials: { ...sts, accessKeySecret: badSecret }, signatureVersion }),
      );
      expect(r.error).toBeDefined();
      const badToken = `${sts.securityToken}-tampered`;
      secrets.add(badToken);
      const t = await captureUpload(
        `sts-wrong-token-${signatureVersion}`,
        client({ credentials: { ...sts, securityToken: badToken }, signatureVersion }),
      );
      expect(t.error).toBeDefined();
    }
    server.faults.add({
      match: { operation: 'UploadPart', partNumber: 1 },
      times: 3,
      action: { kind: 'status', status: 500 },
    });
    const retries = await captureUpload('exhausted', client({ credentials: issueFixed() }), {
      checkpoint: undefined,
    });
    expect(retries.error).toBeDefined();
    server.faults.add({
      match: { operation: 'UploadPart', partNumber: 1 },
      times: 3,
      action: { kind: 'delay', ms: 1500 },
    });
    const slow = await captureUpload(
      'timeouts',
      client({ credentials: issueFixed(), timeout: 300 }),
    );
    expect(slow.error).toBeDefined();
    const controller = new AbortController();
    server.faults.add({
      match: { operation: 'UploadPart', partNumber: 3 },
      action: { kind: 'delay', ms: 5000 },
    });
    const cancelled = captureUpload('cancelled', client({ credentials: issueFixed() }), {
      signal: controller.signal,
      onProgress: (p) => {
        capture('cancelled progress', p);
        if (p.partsDone >= 2) controller.abort(new Error('user pressed pause'));
      },
    });
    expect((await cancelled).error).toBeDefined();
    server.faults.clear();
  });

  it('presigned URLs and errors from using them after expiry or for another key', async () => {
    const c = client({ credentials: issueFixed() });
    await c.putObject({
      bucket: BUCKET,
      key: 'presign/a.txt',
      body: new TextEncoder().encode('hello'),
    });
    const url = await c.presign({ bucket: BUCKET, key: 'presign/a.txt', expires: 60 });
    for (const s of signatureOf(undefined, url.url)) signatures.add(s);
    // Using a presigned URL wrongly gives errors; the client's errors for its own requests to
    // the same object must not carry the URL's signature or token either.
    const other = await fetch(url.url.replace('presign/a.txt', 'presign/b.txt'));
    capture('presign misuse status', String(other.status));
    await other.text();
    try {
      await c.getObject({ bucket: BUCKET, key: 'presign/missing.txt' });
    } catch (error) {
      capture('getObject error', error);
    }
    expect(other.status).toBe(403);
  });

  it('in-memory bytes with a checkpoint store warn without echoing anything', async () => {
    const warnings: unknown[] = [];
    await upload(client(), {
      source: fromBytes(seededBytes('mem', 0, 70 * KiB)),
      bucket: BUCKET,
      key: 'hygiene/mem.bin',
      partSize: 32 * KiB,
      limits: LIMITS,
      checkpoint: fileCheckpointStore(join(work, 'mem-checkpoints')),
      onWarning: (w) => warnings.push(w),
    });
    capture('mem warnings', warnings);
    expect(warnings.length).toBeGreaterThan(0);
  });
});

function issueFixed() {
  const { expiration: _e, ...sts } = issue();
  return sts;
}

describe('secret hygiene: the CLI as a child process, --verbose and --json', () => {
  const cli = (args: string[], env: Record<string, string>) =>
    watch(
      spawnTs(join(repoRoot, 'packages', 'cli', 'src', 'bin.ts'), args, {
        OSSUP_STATE_DIR: join(work, 'cli-state'),
        OSS_ENDPOINT: proxy.endpoint,
        OSS_REGION: server.region,
        NO_COLOR: '1',
        ...env,
      }),
    );
  let file: string;
  beforeAll(async () => {
    file = join(work, 'cli.bin');
    await writeFile(file, seededBytes('cli', 0, 300 * KiB + 1));
  });

  it('cp --verbose with STS credentials through retries, then stat, then a failing cp --json', async () => {
    const sts = issueFixed();
    const env = {
      OSS_ACCESS_KEY_ID: sts.accessKeyId,
      OSS_ACCESS_KEY_SECRET: sts.accessKeySecret,
      OSS_SESSION_TOKEN: sts.securityToken,
    };
    server.faults.add({
      match: { operation: 'UploadPart', partNumber: 2 },
      times: 2,
      action: { kind: 'status', status: 503 },
    });
    const cp = cli(
      [
        'cp',
        file,
        `oss://${BUCKET}/cli/a.bin`,
        '--part-size',
        '100KiB',
        '--verbose',
        '--progress',
        'lines',
      ],
      env,
    );
    const cpExit = await cp.exited;
    capture('cli cp stdout', cp.stdout());
    capture('cli cp stderr', cp.stderr());
    expect(cpExit.code).toBe(0);
    expect(cp.stderr()).toMatch(/retry UploadPart/);

    const st = cli(['stat', `oss://${BUCKET}/cli/a.bin`, '--verbose', '--json'], env);
    expect((await st.exited).code).toBe(0);
    capture('cli stat stdout', st.stdout());
    capture('cli stat stderr', st.stderr());

    const wrong = cli(['cp', file, `oss://${BUCKET}/cli/b.bin`, '--verbose', '--json'], {
      ...env,
      OSS_ACCESS_KEY_SECRET: `${sts.accessKeySecret}-wrong`,
    });
    secrets.add(`${sts.accessKeySecret}-wrong`);
    expect((await wrong.exited).code).toBe(1);
    capture('cli wrong stdout', wrong.stdout());
    capture('cli wrong stderr', wrong.stderr());
    expect(wrong.stdout()).toMatch(/"type":"error"/);
    server.faults.clear();
  });

  it('an interrupted cp keeps a 0600 checkpoint without credentials', async () => {
    const env = { OSS_ACCESS_KEY_ID: KEY_ID, OSS_ACCESS_KEY_SECRET: SECRET };
    server.faults.add({
      match: { operation: 'UploadPart', partNumber: 2 },
      action: { kind: 'delay', ms: 60_000 },
    });
    const cp = cli(
      [
        'cp',
        file,
        `oss://${BUCKET}/cli/c.bin`,
        '--part-size',
        '100KiB',
        '--parallel',
        '1',
        '--verbose',
        '--progress',
        'lines',
      ],
      env,
    );
    const wait = Date.now() + 30_000;
    while (!server.requests.entries({ key: 'cli/c.bin' }).some((e) => e.fault === 'delay')) {
      if (Date.now() > wait) throw new Error(`cp never reached part 2: ${cp.stderr()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    cp.child.kill('SIGINT');
    const exit = await cp.exited;
    capture('cli interrupted stdout', cp.stdout());
    capture('cli interrupted stderr', cp.stderr());
    expect(exit.code).toBe(130);
    server.faults.clear();
    const dir = join(work, 'cli-state', 'checkpoints');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    expect(files.length).toBe(1);
    await captureCheckpoints('cli interrupted', dir);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });
});

describe('secret hygiene: verdict', () => {
  it('no secret, token or signature appears in anything captured; checkpoints are 0600', () => {
    for (const s of proxy.signatures) signatures.add(s);
    expect(captured.length).toBeGreaterThan(100);
    expect(signatures.size).toBeGreaterThan(50);
    expect(secrets.size).toBeGreaterThan(10);
    const leaks: string[] = [];
    for (const { where, text } of captured) {
      for (const s of secrets)
        if (text.includes(s)) leaks.push(`${where}: secret or token ${s.slice(0, 12)}…`);
      for (const s of signatures)
        if (text.includes(s)) leaks.push(`${where}: signature ${s.slice(0, 12)}…`);
      // Whatever the exact value: no Authorization header and no signature parameter.
      if (/OSS4-HMAC-SHA256 Credential=|\bOSS [A-Za-z0-9.-]+:[A-Za-z0-9+/=]{20,}/.test(text))
        leaks.push(`${where}: an Authorization header`);
      if (/[?&](Signature|x-oss-signature|security-token|x-oss-security-token)=[^&\s*]/i.test(text))
        leaks.push(`${where}: a signature or token query parameter`);
    }
    expect(leaks).toEqual([]);
    expect(checkpointModes.length).toBeGreaterThan(3);
    for (const { file, mode } of checkpointModes)
      expect({ file, mode: mode.toString(8) }).toEqual({ file, mode: '600' });
  });
});
