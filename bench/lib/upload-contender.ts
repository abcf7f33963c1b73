// One upload by one contender, in a process of its own (started by upload.ts), so that the CPU
// time and peak RSS it reports are that contender's alone. It waits for {type:'go', ...config}
// (credentials come over IPC, never argv), loads only the library it needs, makes its client,
// says {type:'prepared'}, waits for {type:'start'}, uploads the file once and reports
// {type:'result'} (or {type:'error'}).

import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { fromParent, toParent } from './child.ts';
import { type ProcessStats, processStats } from './proc-stats.ts';
import { rawUpload } from './raw-upload.ts';
import type { UploadJob, UploadReport } from './upload-job.ts';

/** The slice of ali-oss 6.x used here (it ships no types of its own for CommonJS require). */
interface AliOssClient {
  multipartUpload(
    name: string,
    file: string,
    options: { partSize: number; parallel: number },
  ): Promise<{ etag?: string; res: { status: number; headers: Record<string, string> } }>;
}
type AliOssConstructor = new (options: Record<string, unknown>) => AliOssClient;

async function run(job: UploadJob): Promise<{ etag: string; warnings: string[] }> {
  const warnings: string[] = [];
  switch (job.contender) {
    case 'ossup':
    case 'ossup-md5':
    case 'ossup-no-crc': {
      const { upload } = await import('@ossup/client');
      const { createNodeClient, fromFile } = await import('@ossup/node');
      const client = createNodeClient({
        endpoint: job.endpoint,
        region: job.region,
        credentials: { accessKeyId: job.accessKeyId, accessKeySecret: job.accessKeySecret },
      });
      return timed(async () => {
        const result = await upload(client, {
          source: await fromFile(job.file),
          bucket: job.bucket,
          key: job.key,
          partSize: job.partSize,
          parallel: job.parallel,
          ...(job.contender === 'ossup-md5' ? { contentMd5: true } : {}),
          ...(job.contender === 'ossup-no-crc' ? { crc64: false } : {}),
          onWarning: (w) => warnings.push(w.code),
        });
        return { etag: result.etag, warnings };
      });
    }
    case 'ali-oss': {
      const OSS = createRequire(import.meta.url)('ali-oss') as AliOssConstructor;
      // An IP endpoint makes ali-oss send the request to the IP with the virtual-hosted Host
      // `<bucket>.oss-<region>.aliyuncs.com`, which the dev server (and the sink) understand;
      // V1 signing, its default.
      const client = new OSS({
        endpoint: job.endpoint,
        region: `oss-${job.region}`,
        bucket: job.bucket,
        accessKeyId: job.accessKeyId,
        accessKeySecret: job.accessKeySecret,
        timeout: 120_000,
      });
      return timed(async () => {
        const result = await client.multipartUpload(job.key, job.file, {
          partSize: job.partSize,
          parallel: job.parallel,
        });
        return {
          etag: (result.etag ?? result.res.headers['etag'] ?? '').replace(/"/g, ''),
          warnings,
        };
      });
    }
    case 'raw':
      return timed(() => rawUpload(job));
  }
}

let before: ProcessStats | undefined;
let started = 0;
let seconds = 0;
let after: ProcessStats | undefined;

// tsx (which runs this file) turns on Node's source maps, and Node then parses and keeps the
// map of every module loaded afterwards: ~10 MiB of peak RSS for ossup, whose dist ships maps
// and loads some modules on first use, and none for ali-oss, which ships none. A production
// process runs without them.
process.setSourceMapsEnabled(false);
const job = await fromParent<UploadJob>('go');

/**
 * Everything is loaded and the client made: tell the parent, wait for its 'start' (it waits
 * for a quiet machine and reads its counters first), then time the upload alone.
 */
async function timed<T>(fn: () => Promise<T>): Promise<T> {
  // The profiler (main thread only) runs for the upload alone, not module loading.
  const session = job.profileFile === undefined ? undefined : await startProfiler();
  const start = fromParent('start');
  await toParent({ type: 'prepared' });
  await start;
  before = processStats();
  started = performance.now();
  const out = await fn();
  seconds = (performance.now() - started) / 1000;
  after = processStats();
  if (session !== undefined) await stopProfiler(session, job.profileFile!);
  return out;
}

async function startProfiler(): Promise<Session> {
  const session = new Session();
  session.connect();
  const post = promisify(session.post.bind(session)) as (
    method: string,
    params?: object,
  ) => Promise<unknown>;
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  return session;
}

async function stopProfiler(session: Session, file: string): Promise<void> {
  const post = promisify(session.post.bind(session)) as (
    method: string,
  ) => Promise<{ profile: unknown }>;
  const { profile } = await post('Profiler.stop');
  session.disconnect();
  await writeFile(file, JSON.stringify(profile));
}
try {
  const { etag, warnings } = await run(job);
  const b = before!;
  const a = after!;
  const report: UploadReport = {
    type: 'result',
    seconds,
    userSeconds: a.userSeconds - b.userSeconds,
    systemSeconds: a.systemSeconds - b.systemSeconds,
    cpuSeconds: a.userSeconds - b.userSeconds + a.systemSeconds - b.systemSeconds,
    baselinePeakRssBytes: b.peakRssBytes,
    peakRssBytes: a.peakRssBytes,
    etag,
    warnings: [...new Set(warnings)],
  };
  await toParent(report);
} catch (error) {
  await toParent({
    type: 'error',
    message:
      error instanceof Error
        ? `${error.name}: ${error.message}${error.cause ? ` (cause: ${String((error.cause as Error).message ?? error.cause)})` : ''}`
        : String(error),
  });
  process.exitCode = 1;
}
// Keep-alive sockets (ali-oss's agent) would hold the process open for seconds; exit now
// (--cpu-prof still writes its profile on exit).
process.exit();
