// The bad-input table: every row is one bad input to the library, the CLI or the server, run
// for real (dev server on loopback, or a scripted hostile server), with the error it must give.
// Each row must settle within its budget (nothing hangs), give a typed error or a clear exit
// code and message, and leave the process alive (nothing crashes). The table is printed.
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CHECKPOINT_KIND,
  CHECKPOINT_VERSION,
  CheckpointError,
  type CheckpointStore,
  checkpointId,
  memoryCheckpointStore,
} from '@ossup/checkpoint-store';
import { run as runCli } from '@ossup/cli';
import {
  type ClientOptions,
  createClient,
  fromBytes,
  OssArgumentError,
  type OssClient,
  OssError,
  OssNetworkError,
  OssServiceError,
  OssTimeoutError,
  UploadError,
  upload,
} from '@ossup/client';
import { type DevServer, runDevServerCli, startDevServer } from '@ossup/dev-server';
import { FileSourceError, fromFile } from '@ossup/node';
import { planParts } from '@ossup/part-planner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markdownTable } from '../src/table.ts';
import { type HostileServer, startHostileServer } from './helpers/hostile-server.ts';
import { freePort } from './helpers/processes.ts';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const BUCKET = 'bad-input';
const SECRET = 'bad-input-secret-0123456789abcdef';
const LIMITS = { minPartSize: 16 * KiB };

let server: DevServer;
let open: DevServer; // anonymous: raw requests reach the request checks without signing
let hostile: HostileServer;
let work: string;
let shift = 0; // server clock offset, ms (expired STS tokens)

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ossup-bad-input-'));
  server = await startDevServer({
    buckets: [BUCKET],
    credentials: { accessKeyId: 'bad-input-id', accessKeySecret: SECRET },
    limits: LIMITS,
    now: () => Date.now() + shift,
    onWarning: () => {},
  });
  open = await startDevServer({ buckets: [BUCKET], anonymous: true, onWarning: () => {} });
  hostile = await startHostileServer();
});
afterAll(async () => {
  await server?.close();
  await open?.close();
  await hostile?.close();
  await rm(work, { recursive: true, force: true });
});

const FAST_RETRY = { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 };

function devClient(options: Partial<ClientOptions> = {}): OssClient {
  return createClient({
    endpoint: server.endpoint,
    region: server.region,
    credentials: { accessKeyId: 'bad-input-id', accessKeySecret: SECRET },
    retry: FAST_RETRY,
    ...options,
  });
}

function hostileClient(options: Partial<ClientOptions> = {}): OssClient {
  return createClient({
    endpoint: hostile.endpoint,
    region: 'cn-hangzhou',
    credentials: { accessKeyId: 'id', accessKeySecret: SECRET },
    retry: FAST_RETRY,
    timeout: 500,
    ...options,
  });
}

const bytes = (n: number) => new Uint8Array(n).map((_, i) => i % 251);

function up(client: OssClient, extra: Partial<Parameters<typeof upload>[1]> = {}) {
  return upload(client, {
    source: fromBytes(bytes(100 * KiB)),
    bucket: BUCKET,
    key: 'table/object.bin',
    partSize: 32 * KiB,
    limits: LIMITS,
    ...extra,
  });
}

interface CliOutcome {
  exit: number;
  stdout: string;
  stderr: string;
}

async function cli(argv: string[], env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const exit = await runCli({
    argv,
    env: {
      HOME: work,
      OSSUP_STATE_DIR: join(work, 'cli-state'),
      OSS_ENDPOINT: server.endpoint,
      OSS_REGION: server.region,
      OSS_ACCESS_KEY_ID: 'bad-input-id',
      OSS_ACCESS_KEY_SECRET: SECRET,
      ...env,
    },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    signal: new AbortController().signal,
  });
  return { exit, stdout, stderr } satisfies CliOutcome;
}

async function devServerCli(argv: string[]): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const exit = await runDevServerCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
    onSignal: () => {},
  });
  return { exit, stdout, stderr };
}

async function raw(method: string, path: string, init: RequestInit = {}) {
  const res = await fetch(`${open.endpoint}${path}`, { method, ...init });
  const text = await res.text();
  return { status: res.status, code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? '', text };
}

/** What a row expects. Omitted fields are not checked. */
interface Expect {
  /** The call must reject with this class (walks UploadError causes too when `cause` set). */
  error?: abstract new (
    ...args: never[]
  ) => Error;
  /** Class of `error.cause` (for UploadError). */
  cause?: abstract new (
    ...args: never[]
  ) => Error;
  argument?: string;
  status?: number;
  code?: string;
  kind?: string;
  /** Message (or CLI stderr/stdout) must match. */
  message: RegExp;
  /** CLI exit code. */
  exit?: number;
  /** The call must succeed; `message` is then matched against the outcome's description. */
  succeeds?: boolean;
}

interface Row {
  area: 'library' | 'CLI' | 'server';
  input: string;
  run: () => Promise<unknown>;
  expect: Expect;
}

const rows: Row[] = [];
const row = (area: Row['area'], input: string, run: () => Promise<unknown>, e: Expect) =>
  rows.push({ area, input, run, expect: e });

// ---- library: options -------------------------------------------------------------------
const endpointRow = (endpoint: string, message: RegExp) =>
  row(
    'library',
    `endpoint ${JSON.stringify(endpoint)}`,
    async () =>
      createClient({
        endpoint,
        region: 'cn-hangzhou',
        credentials: { accessKeyId: 'a', accessKeySecret: 'b' },
      }),
    { error: OssArgumentError, argument: 'endpoint', message },
  );
endpointRow('', /required/);
endpointRow('not a url', /not a valid URL/);
endpointRow('ftp://oss-cn-hangzhou.aliyuncs.com', /only https: and http:/);
endpointRow('https://user:pw@oss-cn-hangzhou.aliyuncs.com', /user info/);
endpointRow('https://oss-cn-hangzhou.aliyuncs.com/some/path?x=1', /path, query or fragment/);
row(
  'library',
  'V4 endpoint without a region (custom host)',
  async () =>
    createClient({
      endpoint: 'https://storage.example.com',
      credentials: { accessKeyId: 'a', accessKeySecret: 'b' },
    }),
  { error: OssArgumentError, argument: 'region', message: /needs the region/ },
);
row(
  'library',
  'no credentials at all',
  async () => await devClient({ credentials: undefined }).headObject({ bucket: BUCKET, key: 'x' }),
  { error: OssError, message: /credential/i },
);
row(
  'library',
  'credentials and a signer at once',
  async () => devClient({ signer: async () => ({ headers: {} }) }),
  { error: OssArgumentError, argument: 'credentials', message: /exactly one/ },
);
for (const [bucket, why] of [
  ['My_Bucket', 'upper case and _'],
  ['ab', 'too short'],
  ['-bucket', 'leading -'],
  ['a'.repeat(64), '64 characters'],
] as const) {
  row(
    'library',
    `bucket ${JSON.stringify(bucket.length > 20 ? `${bucket.slice(0, 8)}…` : bucket)} (${why})`,
    () => up(devClient(), { bucket }),
    {
      error: OssArgumentError,
      argument: 'bucket',
      message: /Invalid bucket name/,
    },
  );
}
row('library', 'key "" (empty)', () => up(devClient(), { key: '' }), {
  error: OssArgumentError,
  argument: 'key',
  message: /non-empty object `key`/,
});
row('library', 'key of 1024 bytes', () => up(devClient(), { key: 'k'.repeat(1024) }), {
  error: OssArgumentError,
  argument: 'key',
  message: /1024 bytes of UTF-8 \(at most 1023/,
});
row('library', 'key "/leading/slash"', () => up(devClient(), { key: '/leading/slash' }), {
  error: OssArgumentError,
  argument: 'key',
  message: /must not start with "\/"/,
});
row('library', 'key ".."', () => up(devClient(), { key: '..' }), {
  error: OssArgumentError,
  argument: 'key',
  message: /"\." or "\.\."/,
});
row('library', 'key "\\ud800" (lone surrogate)', () => up(devClient(), { key: 'a\ud800' }), {
  error: OssArgumentError,
  argument: 'key',
  message: /lone UTF-16 surrogate/,
});
row(
  'library',
  'key with control characters "a\\u0001b\\u007f" (legal in OSS)',
  async () => {
    const key = 'ctl/a\u0001b\u007f';
    await up(devClient(), { key });
    const got = await devClient().headObject({ bucket: BUCKET, key });
    return `stored as is, ${got.size} bytes`;
  },
  { succeeds: true, message: /stored as is, 102400 bytes/ },
);
for (const [partSize, why] of [
  [50 * KiB, '50 KiB, under 100 KiB'],
  [6 * GiB, '6 GiB, over 5 GiB'],
  [1.5 * MiB + 0.5, 'not whole'],
  [Number.NaN, 'NaN'],
] as const) {
  row(
    'library',
    `partSize ${why}`,
    () =>
      upload(devClient(), {
        source: fromBytes(bytes(10)),
        bucket: BUCKET,
        key: 'k',
        partSize,
      }),
    { error: OssArgumentError, argument: 'partSize', message: /part ?size/i },
  );
}
for (const parallel of [0, -1, 2.5]) {
  row('library', `parallel ${parallel}`, () => up(devClient(), { parallel }), {
    error: OssArgumentError,
    argument: 'parallel',
    message: /parallel must be a whole number of at least 1/,
  });
}
row(
  'library',
  'source needing > 10,000 parts even at 5 GiB (48.9 TiB)',
  () =>
    upload(devClient(), {
      source: {
        size: 10_000 * 5 * GiB + 1,
        fingerprint: undefined,
        read: async () => new Uint8Array(0),
      },
      bucket: BUCKET,
      key: 'huge',
    }),
  { error: OssArgumentError, argument: 'source', message: /10,?000 parts|too large/i },
);
row(
  'library',
  '10,001 parts at the requested 8 MiB (planner grows the part)',
  async () => {
    const plan = planParts({ size: 10_001 * 8 * MiB, partSize: 8 * MiB });
    return `${plan.partCount} parts of ${plan.partSize / MiB} MiB`;
  },
  { succeeds: true, message: /^\d{4,5} parts of 9 MiB$/ },
);
row(
  'library',
  'source size -1',
  () =>
    upload(devClient(), {
      source: { size: -1, fingerprint: undefined, read: async () => new Uint8Array(0) },
      bucket: BUCKET,
      key: 'k',
    }),
  { error: OssArgumentError, argument: 'source', message: /whole number of bytes/ },
);
row(
  'library',
  'source that returns fewer bytes than asked',
  () =>
    up(devClient(), {
      source: {
        size: 100 * KiB,
        fingerprint: undefined,
        read: async (s, e) => new Uint8Array(Math.max(0, e - s - 1)),
      },
      key: 'short-read.bin',
    }),
  { error: UploadError, cause: Error, message: /returned \d+ bytes .* must return exactly/ },
);

// ---- library: files and checkpoints -------------------------------------------------------
row(
  'library',
  'zero-byte file',
  async () => {
    const path = join(work, 'empty.bin');
    await writeFile(path, new Uint8Array(0));
    const source = await fromFile(path);
    const r = await upload(devClient(), { source, bucket: BUCKET, key: 'empty.bin' });
    await source.close();
    return `0-byte object, etag ${r.etag}`;
  },
  { succeeds: true, message: /^0-byte object, etag D41D8CD98F00B204E9800998ECF8427E$/ },
);
row(
  'library',
  'file that changes while it uploads',
  async () => {
    const path = join(work, 'changing.bin');
    await writeFile(path, bytes(200 * KiB));
    const source = await fromFile(path);
    try {
      return await upload(devClient(), {
        source: {
          size: source.size,
          fingerprint: source.fingerprint,
          read: async (s, e, o) => {
            if (s > 0) await appendFile(path, 'more');
            return source.read(s, e, o);
          },
        },
        bucket: BUCKET,
        key: 'changing.bin',
        partSize: 32 * KiB,
        limits: LIMITS,
      });
    } finally {
      await source.close();
    }
  },
  { error: UploadError, cause: FileSourceError, kind: 'changed', message: /changed|modified/ },
);

async function storeWith(text: string): Promise<{
  store: CheckpointStore;
  source: ReturnType<typeof fromBytes> & { fingerprint: string };
}> {
  const source = { ...fromBytes(bytes(100 * KiB)), fingerprint: 'fixed-fingerprint' };
  const id = await checkpointId({
    fingerprint: 'fixed-fingerprint',
    endpoint: server.endpoint,
    bucket: BUCKET,
    key: 'cp.bin',
  });
  const inner = memoryCheckpointStore();
  const { parseCheckpoint } = await import('@ossup/checkpoint-store');
  const store: CheckpointStore = {
    ...inner,
    get: async (wanted) => (wanted === id ? parseCheckpoint(text, id) : inner.get(wanted)),
  };
  return { store, source };
}
const checkpointRow = (input: string, text: string, kind: string, message: RegExp) =>
  row(
    'library',
    `${input} checkpoint, onCheckpointError 'throw'`,
    async () => {
      const { store, source } = await storeWith(text);
      return up(devClient(), {
        source,
        key: 'cp.bin',
        checkpoint: store,
        onCheckpointError: 'throw',
      });
    },
    { error: UploadError, cause: CheckpointError, kind, message },
  );
checkpointRow(
  'corrupt (truncated JSON)',
  '{"kind":"ossup.checkpoint","vers',
  'corrupt',
  /corrupt|not valid JSON|JSON/i,
);
checkpointRow(
  "foreign (another program's JSON)",
  '{"name":"something else","items":[1,2]}',
  'foreign',
  /not an ossup checkpoint|foreign/i,
);
checkpointRow(
  'future-version',
  JSON.stringify({ kind: CHECKPOINT_KIND, version: CHECKPOINT_VERSION + 1, id: 'x' }),
  'future-version',
  /newer|version/i,
);
row(
  'library',
  'corrupt checkpoint, default (restart)',
  async () => {
    const { store, source } = await storeWith('garbage{{{');
    const warnings: string[] = [];
    const r = await up(devClient(), {
      source,
      key: 'cp.bin',
      checkpoint: store,
      onWarning: (w) => warnings.push(w.code),
    });
    return `uploaded ${r.size} bytes, warnings: ${warnings.join(',')}`;
  },
  { succeeds: true, message: /uploaded 102400 bytes, warnings: checkpoint-unreadable/ },
);

// ---- library: credentials and clocks ---------------------------------------------------------
row(
  'library',
  'wrong AccessKey secret',
  () => up(devClient({ credentials: { accessKeyId: 'bad-input-id', accessKeySecret: 'wrong' } })),
  {
    error: UploadError,
    cause: OssServiceError,
    status: 403,
    code: 'SignatureDoesNotMatch',
    message: /Check the AccessKey secret/,
  },
);
row(
  'library',
  'unknown AccessKey id',
  () => up(devClient({ credentials: { accessKeyId: 'nobody', accessKeySecret: SECRET } })),
  {
    error: UploadError,
    cause: OssServiceError,
    status: 403,
    code: 'InvalidAccessKeyId',
    message: /AccessKey ID is unknown/,
  },
);
row(
  'library',
  'expired STS token',
  async () => {
    const sts = server.issueTemporaryCredentials({ durationSeconds: 60 });
    shift = 120_000; // the server's clock moves past the expiry (still within skew limits)
    try {
      // The dev server reports `expiration` as STS does (ISO text); the client takes a Date.
      // Left out here: with a past Date the client would refresh instead of sending.
      const { expiration: _, ...fixed } = sts;
      return await up(devClient({ credentials: fixed }));
    } finally {
      shift = 0;
    }
  },
  {
    error: UploadError,
    cause: OssServiceError,
    status: 403,
    code: 'SecurityTokenExpired',
    message: /STS security token expired/,
  },
);
row(
  'library',
  'STS key without its security token',
  async () => {
    const { accessKeyId, accessKeySecret } = server.issueTemporaryCredentials({
      durationSeconds: 600,
    });
    return up(devClient({ credentials: { accessKeyId, accessKeySecret } }));
  },
  { error: UploadError, cause: OssServiceError, status: 403, message: /token|AccessKey/i },
);
row(
  'library',
  'client clock 20 minutes slow',
  async () => {
    const r = await up(devClient({ now: () => Date.now() - 20 * 60_000 }), { key: 'skewed.bin' });
    return `uploaded ${r.size} bytes after correcting the clock`;
  },
  { succeeds: true, message: /uploaded 102400 bytes after correcting the clock/ },
);

// ---- library: broken servers and proxies -----------------------------------------------------
const hostileRow = (
  input: string,
  behaviour: Parameters<HostileServer['behave']>[0],
  e: Expect,
  call?: (c: OssClient) => Promise<unknown>,
) =>
  row(
    'library',
    input,
    async () => {
      hostile.behave(behaviour);
      const c = hostileClient();
      return call ? call(c) : c.initiateMultipartUpload({ bucket: BUCKET, key: 'k' });
    },
    e,
  );
hostileRow(
  'truncated XML (connection cut mid-body)',
  {
    kind: 'truncate',
    status: 200,
    headers: { 'content-type': 'application/xml' },
    body: '<?xml version="1.0"?><InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>0004B9</UploadId></InitiateMultipartUploadResult>',
    keep: 40,
  },
  { error: OssNetworkError, message: /failed while reading the response/ },
);
hostileRow(
  'truncated XML (complete HTTP, unfinished document)',
  {
    kind: 'answer',
    status: 200,
    headers: { 'content-type': 'application/xml' },
    body: '<?xml version="1.0"?><InitiateMultipartUploadResult><Bucket>b</Bucket><UploadId>00',
  },
  { error: OssError, message: /XML|document|parse/i },
);
hostileRow(
  'garbage bytes with status 200',
  { kind: 'answer', status: 200, body: new Uint8Array([0, 255, 1, 254, 60, 62, 7]) },
  {
    error: OssError,
    message: /XML|document|parse/i,
  },
);
hostileRow(
  'HTML 200 page from a captive portal',
  {
    kind: 'answer',
    status: 200,
    headers: { 'content-type': 'text/html' },
    body: '<!DOCTYPE html><html><head><title>Hotel WiFi login</title></head><body>Sign in</body></html>',
  },
  { error: OssError, message: /XML|HTML|document/i },
);
hostileRow(
  'HTML 502 from a proxy',
  {
    kind: 'answer',
    status: 502,
    headers: { 'content-type': 'text/html' },
    body: '<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>',
  },
  {
    error: OssServiceError,
    status: 502,
    message: /HTML page titled "502 Bad Gateway", so a proxy or gateway answered/,
  },
);
hostileRow(
  'UploadPart 200 without ETag (CORS does not expose it)',
  { kind: 'answer', status: 200 },
  {
    error: OssServiceError,
    code: 'MissingResponseHeader',
    message: /no readable ETag header.*CORS|CORS.*ETag/s,
  },
  (c) => c.uploadPart({ bucket: BUCKET, key: 'k', uploadId: 'u', partNumber: 1, body: bytes(10) }),
);
hostileRow(
  'a server that accepts and never answers',
  { kind: 'hang' },
  {
    error: OssTimeoutError,
    message: /timed out: no response for 500 ms/,
  },
);
hostileRow(
  'XML entity bomb in a 200 ListParts answer',
  {
    kind: 'answer',
    status: 200,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><ListPartsResult><Bucket>&lol2;</Bucket></ListPartsResult>`,
  },
  { error: OssError, message: /DOCTYPE|entit/i },
  (c) => c.listParts({ bucket: BUCKET, key: 'k', uploadId: 'u' }),
);
hostileRow(
  '25 MiB "XML" answer',
  { kind: 'answer', status: 200, body: `<ListPartsResult>${'x'.repeat(25 * MiB)}` },
  {
    error: OssError,
    message: /large|MiB|bytes|limit/i,
  },
  (c) => c.listParts({ bucket: BUCKET, key: 'k', uploadId: 'u' }),
);
row(
  'library',
  'nothing listening on the port',
  async () => {
    const c = createClient({
      endpoint: `http://127.0.0.1:${await freePort()}`,
      region: 'cn-hangzhou',
      credentials: { accessKeyId: 'a', accessKeySecret: 'b' },
      retry: FAST_RETRY,
    });
    return c.headObject({ bucket: BUCKET, key: 'k' });
  },
  { error: OssNetworkError, message: /failed while sending .*Check the endpoint/ },
);

// ---- CLI --------------------------------------------------------------------------------------
const cliRow = (
  input: string,
  argv: () => string[],
  e: { exit: number; message: RegExp },
  env?: Record<string, string | undefined>,
) => row('CLI', input, () => cli(argv(), env), e);
const file = () => join(work, 'cli.bin');
cliRow('cp of a missing file', () => ['cp', join(work, 'nope.bin'), `oss://${BUCKET}/k`], {
  exit: 2,
  message: /no such file/,
});
cliRow('cp of a directory', () => ['cp', work, `oss://${BUCKET}/k`], {
  exit: 2,
  message: /is a directory/,
});
cliRow('destination s3://bucket/key', () => ['cp', file(), 's3://bucket/key'], {
  exit: 2,
  message: /not an oss:\/\/ URL/,
});
cliRow('destination oss://Bad_Bucket/k', () => ['cp', file(), 'oss://Bad_Bucket/k'], {
  exit: 2,
  message: /not a valid bucket name/,
});
cliRow('destination key with a leading /', () => ['cp', file(), `oss://${BUCKET}//abs`], {
  exit: 2,
  message: /cannot start with '\/'/,
});
cliRow(
  'destination key with control characters',
  () => ['cp', file(), `oss://${BUCKET}/a\u0007b`],
  { exit: 2, message: /control characters/ },
);
cliRow(
  'destination key of 1024 bytes',
  () => ['cp', file(), `oss://${BUCKET}/${'k'.repeat(1024)}`],
  { exit: 2, message: /longer than 1023 bytes/ },
);
cliRow(
  '--part-size 12 (bytes, no unit)',
  () => ['cp', file(), `oss://${BUCKET}/k`, '--part-size', '12'],
  { exit: 2, message: /partSize 12 bytes is below the minimum part size/ },
);
cliRow(
  '--part-size 50KiB (under 100 KiB)',
  () => ['cp', file(), `oss://${BUCKET}/k`, '--part-size', '50KiB'],
  { exit: 2, message: /part size|partSize/i },
);
cliRow('--parallel 0', () => ['cp', file(), `oss://${BUCKET}/k`, '--parallel', '0'], {
  exit: 2,
  message: /--parallel must be a whole number from 1 to 64/,
});
cliRow('--parallel 65', () => ['cp', file(), `oss://${BUCKET}/k`, '--parallel', '65'], {
  exit: 2,
  message: /--parallel must be a whole number from 1 to 64/,
});
cliRow('--max-rate 10', () => ['cp', file(), `oss://${BUCKET}/k`, '--max-rate', '10'], {
  exit: 2,
  message: /--max-rate/,
});
cliRow(
  'secret as a flag (--access-key-secret)',
  () => ['cp', file(), `oss://${BUCKET}/k`, '--access-key-secret', 'x'],
  { exit: 2, message: /Unknown option '--access-key-secret'/ },
);
cliRow(
  'endpoint but no credentials',
  () => ['cp', file(), `oss://${BUCKET}/k`],
  { exit: 2, message: /No credentials/ },
  { OSS_ACCESS_KEY_ID: undefined, OSS_ACCESS_KEY_SECRET: undefined },
);
cliRow(
  'wrong secret',
  () => ['cp', file(), `oss://${BUCKET}/k`],
  { exit: 1, message: /SignatureDoesNotMatch.*Check the AccessKey secret/s },
  { OSS_ACCESS_KEY_SECRET: 'wrong-secret' },
);
row(
  'CLI',
  'expired STS token (OSS_SESSION_TOKEN)',
  async () => {
    const sts = server.issueTemporaryCredentials({ durationSeconds: 60 });
    shift = 120_000;
    try {
      return await cli(['stat', `oss://${BUCKET}/k`], {
        OSS_ACCESS_KEY_ID: sts.accessKeyId,
        OSS_ACCESS_KEY_SECRET: sts.accessKeySecret,
        OSS_SESSION_TOKEN: sts.securityToken,
      });
    } finally {
      shift = 0;
    }
  },
  { exit: 1, message: /SecurityTokenExpired.*STS security token expired/s },
);
cliRow('--endpoint "not a url"', () => ['stat', `oss://${BUCKET}/k`, '--endpoint', 'not a url'], {
  exit: 2,
  message: /not a valid URL|endpoint/,
});
cliRow('--signature-version v3', () => ['stat', `oss://${BUCKET}/k`, '--signature-version', 'v3'], {
  exit: 2,
  message: /must be v1 or v4/,
});
cliRow('presign --expires 0', () => ['presign', 'GET', `oss://${BUCKET}/k`, '--expires', '0'], {
  exit: 2,
  message: /greater than zero|expires/,
});
cliRow(
  'presign --expires soon',
  () => ['presign', 'GET', `oss://${BUCKET}/k`, '--expires', 'soon'],
  { exit: 2, message: /not a duration/ },
);
cliRow('unknown command', () => ['upload-everything'], { exit: 2, message: /unknown command/ });
cliRow(
  'cp of a zero-byte file',
  () => ['cp', join(work, 'empty-cli.bin'), `oss://${BUCKET}/empty-cli.bin`],
  { exit: 0, message: /is empty: uploading a 0-byte object/ },
);

// ---- server -------------------------------------------------------------------------------------
const serverRow = (
  input: string,
  call: () => Promise<{ status: number; code: string }>,
  status: number,
  code: string,
) => row('server', input, call, { status, code, message: new RegExp(code) });
serverRow(
  'unsigned PUT to a server that requires signatures',
  async () => {
    const res = await fetch(`${server.endpoint}/${BUCKET}/unsigned`, { method: 'PUT', body: 'x' });
    const text = await res.text();
    return { status: res.status, code: /<Code>([^<]*)/.exec(text)?.[1] ?? '' };
  },
  403,
  'AccessDenied',
);
serverRow(
  'bucket "Bad_Bucket" in the path',
  () => raw('GET', '/Bad_Bucket/k'),
  400,
  'InvalidBucketName',
);
serverRow(
  'key of 1024 bytes',
  () => raw('PUT', `/${BUCKET}/${'k'.repeat(1024)}`, { body: 'x' }),
  400,
  'InvalidObjectName',
);
serverRow(
  'partNumber=0',
  () => raw('PUT', `/${BUCKET}/k?partNumber=0&uploadId=x`, { body: 'x' }),
  400,
  'InvalidArgument',
);
serverRow(
  'partNumber=10001',
  () => raw('PUT', `/${BUCKET}/k?partNumber=10001&uploadId=x`, { body: 'x' }),
  400,
  'InvalidArgument',
);
serverRow('invalid percent-encoding %zz', () => raw('GET', `/${BUCKET}/a%zz`), 400, 'InvalidURI');
serverRow(
  'Complete with malformed XML',
  async () => {
    const init = await raw('POST', `/${BUCKET}/m?uploads`);
    const uploadId = /<UploadId>([^<]*)/.exec(init.text)?.[1] ?? '';
    return raw('POST', `/${BUCKET}/m?uploadId=${uploadId}`, {
      body: '<CompleteMultipartUpload><Part>',
    });
  },
  400,
  'MalformedXML',
);
serverRow(
  'Complete of an unknown upload id',
  () =>
    raw('POST', `/${BUCKET}/m?uploadId=nope`, {
      body: '<CompleteMultipartUpload></CompleteMultipartUpload>',
    }),
  404,
  'NoSuchUpload',
);
row('server', 'ossup-dev-server --port abc', () => devServerCli(['--port', 'abc']), {
  exit: 2,
  message: /port/i,
});
row(
  'server',
  'ossup-dev-server --secret x (secret as a flag)',
  () => devServerCli(['--secret', 'x']),
  { exit: 2, message: /Secrets are not accepted as flags/ },
);
row(
  'server',
  'ossup-dev-server --bucket Bad_Bucket',
  () => devServerCli(['--ephemeral', '--port', '0', '--bucket', 'Bad_Bucket']),
  { exit: 1, message: /could not start: Invalid bucket name "Bad_Bucket"/ },
);

// ---- the table ----------------------------------------------------------------------------------
const BUDGET_MS = 20_000;
const results: string[][] = [['#', 'Area', 'Bad input', 'Outcome', 'Message (start)']];

function errorChain(e: unknown): Error[] {
  const out: Error[] = [];
  let cur = e;
  while (cur instanceof Error && out.length < 5) {
    out.push(cur);
    cur = cur.cause;
  }
  return out;
}

describe('bad-input table', () => {
  beforeAll(async () => {
    await writeFile(join(work, 'cli.bin'), bytes(200 * KiB));
    await writeFile(join(work, 'empty-cli.bin'), new Uint8Array(0));
    await mkdir(join(work, 'cli-state'), { recursive: true });
  });
  afterAll(() => {
    console.log(`bad-input table (${rows.length} rows):\n${markdownTable(results)}`);
  });

  it('has at least 40 rows across library, CLI and server', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
    for (const area of ['library', 'CLI', 'server'] as const)
      expect(rows.filter((r) => r.area === area).length).toBeGreaterThanOrEqual(8);
  });

  rows.forEach((r, i) => {
    it(`${r.area}: ${r.input}`, async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const budget = new Promise<'hung'>((resolve) => {
        timer = setTimeout(() => resolve('hung'), BUDGET_MS);
      });
      let outcome: unknown;
      let error: unknown;
      try {
        outcome = await Promise.race([r.run(), budget]);
      } catch (e) {
        error = e;
      } finally {
        clearTimeout(timer);
      }
      expect(outcome).not.toBe('hung');
      const e = r.expect;
      let shown: string;
      let summary: string;
      if (e.exit !== undefined) {
        const o = outcome as CliOutcome;
        expect(error).toBeUndefined();
        shown = `${o.stderr}${o.stdout}`.trim();
        summary = `exit ${o.exit}`;
        expect(o.exit).toBe(e.exit);
        expect(shown).toMatch(e.message);
        expect(shown).not.toMatch(/\n\s+at |TypeError|ReferenceError|undefined/);
      } else if (e.succeeds) {
        expect(error).toBeUndefined();
        shown = String(outcome);
        summary = 'handled';
        expect(shown).toMatch(e.message);
      } else if (e.error === undefined) {
        // A raw HTTP answer.
        expect(error).toBeUndefined();
        const o = outcome as { status: number; code: string };
        shown = `${o.status} ${o.code}`;
        summary = `HTTP ${o.status}`;
        expect(o.status).toBe(e.status);
        expect(o.code).toBe(e.code);
      } else {
        expect(error).toBeInstanceOf(e.error);
        const chain = errorChain(error);
        const cause = e.cause === undefined ? chain[0]! : chain[1];
        if (e.cause !== undefined) expect(cause).toBeInstanceOf(e.cause);
        const target = cause as Error & {
          argument?: string;
          status?: number;
          code?: string;
          kind?: string;
        };
        if (e.argument !== undefined) expect(target.argument).toBe(e.argument);
        if (e.status !== undefined) expect(target.status).toBe(e.status);
        if (e.code !== undefined) expect(target.code).toBe(e.code);
        if (e.kind !== undefined) expect(target.kind).toBe(e.kind);
        shown = chain.map((x) => x.message).join(' ← ');
        summary = chain
          .map((x) => {
            const t = x as Error & {
              code?: string;
              argument?: string;
              kind?: string;
              status?: number;
            };
            const detail =
              t.argument ?? t.kind ?? (t.status === undefined ? t.code : `${t.status} ${t.code}`);
            return detail ? `${x.name}(${detail})` : x.name;
          })
          .join(' ← ');
        expect(shown).toMatch(e.message);
      }
      // No secret in any message.
      expect(shown).not.toContain(SECRET);
      results.push([
        String(i + 1),
        r.area,
        r.input,
        summary,
        shown.replace(/\s+/g, ' ').slice(0, 110),
      ]);
    });
  });
});
