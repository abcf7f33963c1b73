import { memoryCheckpointStore } from '@ossup/checkpoint-store';
import {
  OssError,
  OssIntegrityError,
  OssNetworkError,
  OssServiceError,
  OssTimeoutError,
  type RetryInfo,
  UploadError,
  type UploadResult,
  type UploadWarning,
  upload,
} from '@ossup/client';
import { type DevServer, startDevServer } from '@ossup/dev-server';
import { createNodeClient, nodeHttpTransport } from '@ossup/node';
import { planParts } from '@ossup/part-planner';
import {
  DEFAULT_RATES,
  type FaultKind,
  type FaultRates,
  type FaultTargetRequest,
  planFaults,
} from './fault-plan.ts';
import { createRng, hashSeed, type Rng, seededSource } from './seeded.ts';
import { soakTransport } from './soak-transport.ts';
import { verifyObject } from './verify-object.ts';

const MiB = 1024 * 1024;
const BUCKET = 'soak';

/** Settings of one soak run; see {@link runSoak}. */
export interface SoakOptions {
  /** Seed of the schedule (sizes, part sizes, checkpoints, faults). */
  seed: number;
  /** Uploads in the schedule. */
  uploads: number;
  /** Largest source size, bytes. */
  maxSize: number;
  /** Part sizes to choose from, one per upload. */
  partSizes: readonly number[];
  /** Smallest non-last part both the server and the planner accept. */
  minPartSize: number;
  /** Uploads running at once through the one client. */
  concurrency: number;
  /** Parts in flight per upload. */
  parallel: number;
  /** Client per-attempt timeout, ms. */
  timeoutMs: number;
  /** How late a slow reply comes, ms (more than `timeoutMs`). */
  slowMs: number;
  /** Server-side fault rates. Default {@link DEFAULT_RATES}. */
  rates?: FaultRates;
  /** Rate of bodies corrupted in transit (one byte flipped). Default 0.005. */
  flipRate?: number;
  /** Progress lines. */
  log?: (line: string) => void;
  /** RSS sampling interval, ms. Default 200. */
  sampleMs?: number;
}

/** One upload of the schedule. */
export interface ScheduledUpload {
  index: number;
  key: string;
  size: number;
  partSize: number;
  /** How the size was chosen. */
  shape: string;
  /** Whether a checkpoint store is used. */
  checkpoint: boolean;
  /**
   * Whether parts carry Content-MD5 (every fourth upload; derived from the index, not drawn,
   * so the seeded schedule of everything else stays as it was).
   */
  contentMd5: boolean;
}

/** How one upload ended. */
export interface UploadOutcome {
  upload: ScheduledUpload;
  /** `ok`: verified object; `failed`: typed error after the retry budget. */
  status: 'ok' | 'failed';
  /** For failures: phase and cause, e.g. `uploading: OssServiceError 503 ServiceUnavailable`. */
  cause?: string;
  /** The failure kept a checkpoint and its multipart upload (to resume). */
  keptUploadId?: string;
}

/** What the soak measured. Every `violations` entry is a broken promise. */
export interface SoakReport {
  options: Omit<SoakOptions, 'log'>;
  seconds: number;
  uploads: number;
  multipart: number;
  single: number;
  bytes: number;
  largest: number;
  succeeded: number;
  failed: number;
  /** Failed uploads finished afterwards (resumed from a checkpoint or started again). */
  recovered: number;
  /** Of those, continued from their checkpoint. */
  resumedFromCheckpoint: number;
  faults: Record<FaultKind | 'bit-flip', number>;
  retries: number;
  retriesByOperation: Record<string, number>;
  retriesByError: Record<string, number>;
  /** Parts (or objects) sent again because the server's checksum disagreed. */
  integrityResends: number;
  failuresByCause: Record<string, number>;
  /** Body bytes sent beyond the bytes of the objects. */
  bytesResent: number;
  bodyBytesSent: number;
  requests: number;
  /** RSS and heap when the run started (before the server), for growth figures. */
  startRss: number;
  startHeapUsed: number;
  peakRss: number;
  /** Highest RSS in the first and last thirds of the run (memory must stay flat). */
  rssFirstThird: number;
  rssLastThird: number;
  peakHeapUsed: number;
  /** Multipart uploads left on the server that no kept checkpoint explains (must be 0). */
  orphanUploads: number;
  /** Multipart uploads left after recovery (must be 0). */
  leftoverAfterRecovery: number;
  /** Checkpoints left after recovery (must be 0). */
  checkpointsLeft: number;
  unhandledRejections: number;
  violations: string[];
  outcomes: UploadOutcome[];
}

/** Draws the schedule: sizes on and around part boundaries, tiny, zero, and spread to the max. */
export function makeSchedule(options: SoakOptions): ScheduledUpload[] {
  const rng = createRng(options.seed);
  const out: ScheduledUpload[] = [];
  const max = options.maxSize;
  for (let index = 0; index < options.uploads; index++) {
    const partSize = rng.pick(options.partSizes);
    const maxParts = Math.max(1, Math.floor(max / partSize));
    let size: number;
    let shape: string;
    // The first few hit the fixed edge cases whatever the seed.
    const fixed: [number, string][] = [
      [0, 'zero'],
      [max, 'max'],
      [partSize, 'one part exactly'],
      [partSize + 1, 'one part + 1'],
      [partSize - 1, 'one part - 1'],
      [1, 'one byte'],
    ];
    if (index < fixed.length) {
      [size, shape] = fixed[index]!;
    } else {
      const r = rng.next();
      if (r < 0.45) {
        const k = rng.int(1, maxParts);
        const delta = rng.pick([-1, 0, 1]);
        size = k * partSize + delta;
        shape = `${k} parts ${delta === 0 ? 'exactly' : delta > 0 ? '+ 1' : '- 1'}`;
      } else if (r < 0.7) {
        size = rng.int(0, Math.min(max, 2 * partSize));
        shape = 'small';
      } else if (r < 0.73) {
        size = 0;
        shape = 'zero';
      } else {
        size = Math.floor(Math.exp(rng.next() * Math.log(max)));
        shape = 'log-uniform';
      }
    }
    size = Math.max(0, Math.min(max, size));
    out.push({
      index,
      key: `soak-${options.seed}/${String(index).padStart(4, '0')}-${size}.bin`,
      size,
      partSize,
      shape,
      checkpoint: rng.chance(0.5),
      contentMd5: index % 4 === 3,
    });
  }
  return out;
}

function requestsOf(u: ScheduledUpload, minPartSize: number): FaultTargetRequest[] {
  const plan = planParts({ size: u.size, partSize: u.partSize, limits: { minPartSize } });
  if (plan.partCount <= 1) return [{ operation: 'PutObject', bodyBytes: u.size }];
  return [
    { operation: 'InitiateMultipartUpload', bodyBytes: 0 },
    ...plan.parts.map((p) => ({
      operation: 'UploadPart' as const,
      partNumber: p.partNumber,
      bodyBytes: p.end - p.start,
    })),
    { operation: 'CompleteMultipartUpload', bodyBytes: 0 },
  ];
}

function describeCause(error: unknown): string {
  if (error instanceof OssServiceError)
    return `${error.name} ${error.status} ${error.code || '(no code)'}`;
  if (error instanceof OssIntegrityError) return `${error.name} ${error.what}`;
  if (error instanceof OssError) return error.name;
  if (error instanceof Error) return `untyped ${error.name}: ${error.message}`;
  return `untyped ${String(error)}`;
}

function isTypedCause(error: unknown): boolean {
  return (
    error instanceof OssServiceError ||
    error instanceof OssNetworkError ||
    error instanceof OssTimeoutError ||
    error instanceof OssIntegrityError
  );
}

const bump = (record: Record<string, number>, key: string, by = 1) => {
  record[key] = (record[key] ?? 0) + by;
};

/**
 * Runs the soak: a dev server with seeded fault rules, one client, `concurrency` uploads at a
 * time; every object is downloaded and compared with its source; failed uploads are then
 * resumed (or restarted) with the faults off. Returns the figures and every violation.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => {});
  const rates = options.rates ?? DEFAULT_RATES;
  const flipRate = options.flipRate ?? 0.005;
  const started = performance.now();
  const violations: string[] = [];
  let unhandledRejections = 0;
  const onUnhandled = (reason: unknown) => {
    unhandledRejections++;
    violations.push(`unhandled rejection: ${describeCause(reason)}`);
  };
  process.on('unhandledRejection', onUnhandled);

  const rss: number[] = [];
  let peakRss = 0;
  let peakHeapUsed = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss.push(m.rss);
    peakRss = Math.max(peakRss, m.rss);
    peakHeapUsed = Math.max(peakHeapUsed, m.heapUsed);
  };
  sample();
  const startRss = rss[0]!;
  const startHeapUsed = process.memoryUsage().heapUsed;
  const sampler = setInterval(sample, options.sampleMs ?? 200);
  sampler.unref();

  const server: DevServer = await startDevServer({
    buckets: [BUCKET],
    limits: { minPartSize: options.minPartSize },
    onWarning: () => {},
  });
  const retriesByOperation: Record<string, number> = {};
  const retriesByError: Record<string, number> = {};
  let retries = 0;
  const { transport, counters } = soakTransport(nodeHttpTransport(), {
    seed: options.seed,
    flipRate,
  });
  const client = createNodeClient({
    endpoint: server.endpoint,
    region: server.region,
    credentials: server.credentials,
    transport,
    timeout: options.timeoutMs,
    onRetry: (info: RetryInfo) => {
      retries++;
      bump(retriesByOperation, info.operation);
      bump(
        retriesByError,
        info.error instanceof OssServiceError ? `${info.error.status}` : info.error.name,
      );
    },
  });
  // Downloads and clean-up go through their own client: not counted, never faulted.
  const checker = createNodeClient({
    endpoint: server.endpoint,
    region: server.region,
    credentials: server.credentials,
  });
  const store = memoryCheckpointStore();
  const schedule = makeSchedule(options);
  const faults: Record<FaultKind | 'bit-flip', number> = {
    'status-5xx': 0,
    'reset-mid-body': 0,
    'drop-after-store': 0,
    'slow-reply': 0,
    'bit-flip': 0,
  };
  const failuresByCause: Record<string, number> = {};
  const outcomes: UploadOutcome[] = [];
  let integrityResends = 0;
  let objectBytes = 0;

  const onWarning = (w: UploadWarning) => {
    if (w.code === 'part-retried') integrityResends++;
  };

  async function check(u: ScheduledUpload, result: UploadResult, phase: string): Promise<void> {
    const c = await verifyObject(checker, BUCKET, u.key, `${options.seed}:${u.index}`, u.size);
    const problems: string[] = [];
    if (!c.sameBytes) problems.push(`bytes differ from offset ${c.firstDifference}`);
    if (c.size !== u.size) problems.push(`size ${c.size} != ${u.size}`);
    if (c.downloadedCrc64 !== c.sourceCrc64) problems.push('downloaded CRC-64 != source');
    if (c.serverCrc64 !== c.sourceCrc64) problems.push(`server CRC-64 ${c.serverCrc64} != source`);
    if (result.crc64 !== undefined && result.crc64 !== c.sourceCrc64)
      problems.push('result CRC-64 != source');
    if (result.size !== u.size) problems.push(`result size ${result.size} != ${u.size}`);
    if (problems.length > 0)
      violations.push(`SILENT CORRUPTION ${phase} ${u.key}: ${problems.join('; ')}`);
    objectBytes += u.size;
    await checker.deleteObject({ bucket: BUCKET, key: u.key });
  }

  async function runOne(u: ScheduledUpload): Promise<void> {
    const rng: Rng = createRng(hashSeed(options.seed, 'faults', u.index));
    const planned = planFaults(
      rng,
      u.key,
      requestsOf(u, options.minPartSize),
      rates,
      options.slowMs,
    );
    const rules = planned.map((p) => ({ kind: p.kind, id: server.faults.add(p.spec).id }));
    const source = seededSource(`${options.seed}:${u.index}`, u.size, u.checkpoint);
    const outcome: UploadOutcome = { upload: u, status: 'ok' };
    let result: UploadResult | undefined;
    try {
      result = await upload(client, {
        source,
        bucket: BUCKET,
        key: u.key,
        partSize: u.partSize,
        parallel: options.parallel,
        limits: { minPartSize: options.minPartSize },
        ...(u.checkpoint ? { checkpoint: store } : {}),
        contentMd5: u.contentMd5,
        onWarning,
      });
    } catch (error) {
      outcome.status = 'failed';
      const cause = error instanceof UploadError ? error.cause : error;
      const phase = error instanceof UploadError ? error.phase : 'outside upload()';
      outcome.cause = `${phase}: ${describeCause(cause)}`;
      bump(failuresByCause, outcome.cause);
      if (!(error instanceof UploadError) || !isTypedCause(cause)) {
        violations.push(`untyped failure of ${u.key}: ${describeCause(error)}`);
      }
      if (error instanceof UploadError && error.checkpointId !== undefined) {
        outcome.keptUploadId = error.uploadId;
      }
    } finally {
      const active = new Set(server.faults.list().map((r) => r.id));
      for (const rule of rules) {
        if (active.has(rule.id)) server.faults.remove(rule.id);
        else faults[rule.kind]++;
      }
    }
    if (result !== undefined) await check(u, result, 'first run');
    outcomes.push(outcome);
    const done = outcomes.length;
    if (done % 10 === 0 || done === schedule.length) {
      log(
        `  ${done}/${schedule.length} uploads, ${outcomes.filter((o) => o.status === 'failed').length} failed, ` +
          `${Math.round(process.memoryUsage().rss / MiB)} MiB RSS, ${Math.round((performance.now() - started) / 1000)} s`,
      );
    }
  }

  let recovered = 0;
  let resumedFromCheckpoint = 0;
  let orphanUploads = 0;
  let leftoverAfterRecovery = 0;
  let checkpointsLeft = 0;
  try {
    let next = 0;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < schedule.length) await runOne(schedule[next++]!);
      }),
    );

    // Multipart uploads still open must all belong to failed uploads that kept a checkpoint.
    const kept = new Set(outcomes.flatMap((o) => (o.keptUploadId ? [o.keptUploadId] : [])));
    for await (const open of checker.listAllMultipartUploads({ bucket: BUCKET })) {
      if (!kept.has(open.uploadId)) {
        orphanUploads++;
        violations.push(`orphan multipart upload ${open.uploadId} of ${open.key}`);
      }
    }

    // Recovery: faults off, every failed upload runs again; with a checkpoint it continues.
    server.faults.clear();
    for (const o of outcomes.filter((x) => x.status === 'failed')) {
      const u = o.upload;
      try {
        const result = await upload(client, {
          source: seededSource(`${options.seed}:${u.index}`, u.size, u.checkpoint),
          bucket: BUCKET,
          key: u.key,
          partSize: u.partSize,
          parallel: options.parallel,
          limits: { minPartSize: options.minPartSize },
          ...(u.checkpoint ? { checkpoint: store } : {}),
          contentMd5: u.contentMd5,
          onWarning,
        });
        if (result.resumed) resumedFromCheckpoint++;
        await check(u, result, 'recovery');
        recovered++;
      } catch (error) {
        violations.push(`recovery of ${u.key} failed: ${describeCause(error)}`);
      }
    }
    for await (const open of checker.listAllMultipartUploads({ bucket: BUCKET })) {
      leftoverAfterRecovery++;
      violations.push(`multipart upload ${open.uploadId} of ${open.key} left after recovery`);
    }
    checkpointsLeft = (await store.list()).length;
    if (checkpointsLeft > 0) violations.push(`${checkpointsLeft} checkpoints left after recovery`);
  } finally {
    clearInterval(sampler);
    sample();
    await server.close();
    // Let a late rejection surface before the listener goes.
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.off('unhandledRejection', onUnhandled);
  }
  faults['bit-flip'] = counters.bitFlips;
  const third = Math.max(1, Math.floor(rss.length / 3));
  const bytes = schedule.reduce((sum, u) => sum + u.size, 0);
  const multipart = schedule.filter(
    (u) =>
      planParts({
        size: u.size,
        partSize: u.partSize,
        limits: { minPartSize: options.minPartSize },
      }).partCount > 1,
  ).length;
  const { log: _log, ...rest } = options;
  return {
    options: rest,
    seconds: (performance.now() - started) / 1000,
    uploads: schedule.length,
    multipart,
    single: schedule.length - multipart,
    bytes,
    largest: Math.max(...schedule.map((u) => u.size)),
    succeeded: outcomes.filter((o) => o.status === 'ok').length,
    failed: outcomes.filter((o) => o.status === 'failed').length,
    recovered,
    resumedFromCheckpoint,
    faults,
    retries,
    retriesByOperation,
    retriesByError,
    integrityResends,
    failuresByCause,
    bytesResent: counters.bodyBytesSent - objectBytes,
    bodyBytesSent: counters.bodyBytesSent,
    requests: counters.requests,
    startRss,
    startHeapUsed,
    peakRss,
    rssFirstThird: Math.max(...rss.slice(0, third)),
    rssLastThird: Math.max(...rss.slice(-third)),
    peakHeapUsed,
    orphanUploads,
    leftoverAfterRecovery,
    checkpointsLeft,
    unhandledRejections,
    violations,
    outcomes,
  };
}
