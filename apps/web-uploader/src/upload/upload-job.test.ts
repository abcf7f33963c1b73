import { describe, expect, it } from 'vitest';
import type { ErrorReport, FromWorker, PageConfig, ToWorker } from './protocol.ts';
import { type JobHost, type JobState, UploadJob } from './upload-job.ts';

const config: PageConfig = {
  endpoint: 'http://127.0.0.1:9100',
  region: 'cn-hangzhou',
  bucket: 'web-uploads',
  keyPrefix: 'uploads/',
  defaultMode: 'sts',
  partSize: 4,
  parallel: 2,
  contentMd5: true,
  stsDurationSeconds: 900,
  signatureVersion: 'v4',
};

/** A stand-in for the upload worker: records what the job posts, replies on demand. */
class FakeWorker {
  readonly posted: ToWorker[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  postMessage(message: ToWorker): void {
    this.posted.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(message: FromWorker): void {
    this.onmessage?.({ data: message } as MessageEvent<FromWorker>);
  }
}

function setup(options: { online?: boolean } = {}) {
  const workers: FakeWorker[] = [];
  const states: JobState[] = [];
  let online = options.online ?? true;
  const host: JobHost = {
    config,
    apiBase: 'http://127.0.0.1:5173',
    mode: () => 'signer',
    online: () => online,
    changed: (job) => {
      if (states[states.length - 1] !== job.state) states.push(job.state);
    },
    createWorker: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker as unknown as Worker;
    },
  };
  const file = new File([new Uint8Array(10)], 'a.bin', { lastModified: 1 });
  const job = new UploadJob(file, host);
  return { job, workers, states, setOnline: (value: boolean) => (online = value) };
}

const progress = (partsDone: number, phase: 'uploading' | 'completing' = 'uploading') =>
  ({
    type: 'progress',
    progress: {
      phase,
      loaded: partsDone * 4,
      total: 10,
      partsDone,
      partsTotal: 3,
      bytesPerSecond: 1,
    },
  }) as const;

const busy: ErrorReport = {
  kind: 'server',
  title: 'busy',
  detail: '',
  retryable: true,
};

describe('UploadJob', () => {
  it('starts the worker with the file, key and mode', () => {
    const { job, workers } = setup();
    expect(job.key).toBe('uploads/a.bin');
    job.start();
    expect(job.state).toBe('starting');
    const start = workers[0]!.posted[0]!;
    expect(start.type).toBe('start');
    if (start.type === 'start') {
      expect(start.key).toBe('uploads/a.bin');
      expect(start.mode).toBe('signer');
      expect(start.file.name).toBe('a.bin');
    }
  });

  it('pauses, resumes through the queue, completes', () => {
    const { job, workers, states } = setup();
    job.start();
    workers[0]!.reply(progress(1));
    job.pause();
    expect(workers[0]!.posted[1]).toEqual({ type: 'pause', reason: 'paused' });
    expect(job.state).toBe('pausing');
    workers[0]!.reply({ type: 'stopped', reason: 'paused', stored: { bytes: 4, parts: 1 } });
    expect(job.state).toBe('paused');
    expect(job.kept).toEqual({ bytes: 4, parts: 1 });
    expect(job.progress?.loaded).toBe(4);
    expect(job.progress?.partsDone).toBe(1);
    job.resume();
    expect(job.state).toBe('queued');
    job.start();
    expect(workers).toHaveLength(1);
    expect(workers[0]!.posted[2]?.type).toBe('start');
    workers[0]!.reply(progress(3, 'completing'));
    workers[0]!.reply({
      type: 'done',
      result: { etag: 'E-3', crc64: '7', size: 10, partCount: 3, resumed: true, resumedBytes: 4 },
    });
    expect(job.state).toBe('done');
    expect(workers[0]!.terminated).toBe(true);
    expect(states).toEqual([
      'starting',
      'uploading',
      'pausing',
      'paused',
      'queued',
      'starting',
      'completing',
      'done',
    ]);
  });

  it('knows what a stop kept: the checkpoint, nothing saved, or nothing new', () => {
    const { job, workers } = setup();
    job.start();
    workers[0]!.reply(progress(1));
    job.pause();
    // The worker could not read any checkpoint (no usable storage).
    workers[0]!.reply({ type: 'stopped', reason: 'paused', stored: undefined });
    expect(job.kept).toBe('unsaved');
    job.resume();
    job.start();
    expect(job.kept).toBeUndefined();
    job.pause();
    workers[0]!.reply({ type: 'stopped', reason: 'paused', stored: { bytes: 8, parts: 2 } });
    expect(job.kept).toEqual({ bytes: 8, parts: 2 });
  });

  it('waits for the network when offline, continues when it is back', () => {
    const { job, workers, setOnline } = setup();
    job.start();
    workers[0]!.reply(progress(1));
    setOnline(false);
    job.wentOffline();
    expect(workers[0]!.posted[1]).toEqual({ type: 'pause', reason: 'offline' });
    workers[0]!.reply({ type: 'stopped', reason: 'offline', stored: { bytes: 4, parts: 1 } });
    expect(job.state).toBe('offline');
    setOnline(true);
    job.cameOnline();
    expect(job.state).toBe('queued');
  });

  it('treats a network failure while offline as waiting, not failing', () => {
    const { job, workers, setOnline } = setup();
    job.start();
    setOnline(false);
    workers[0]!.reply({
      type: 'failed',
      error: { kind: 'network', title: 'x', detail: '', retryable: true },
    });
    expect(job.state).toBe('offline');
  });

  it('retries transient failures by itself; a pause stops the countdown', () => {
    const { job, workers } = setup();
    job.start();
    workers[0]!.reply({ type: 'failed', error: busy });
    expect(job.state).toBe('retrying');
    expect(job.retryAt).toBeGreaterThan(Date.now());
    job.pause();
    expect(job.state).toBe('paused');
    expect(job.retryAt).toBeUndefined();
  });

  it('fails for good on an error that retrying cannot fix', () => {
    const { job, workers } = setup();
    job.start();
    workers[0]!.reply({
      type: 'failed',
      error: { kind: 'cors', title: 'ETag hidden', detail: 'fix CORS', retryable: false },
    });
    expect(job.state).toBe('failed');
    expect(job.error?.kind).toBe('cors');
    job.resume();
    expect(job.state).toBe('queued');
    expect(job.error).toBeUndefined();
  });

  it('cancels through the worker, even from a paused state', () => {
    const { job, workers } = setup();
    job.start();
    workers[0]!.reply({ type: 'stopped', reason: 'paused', stored: { bytes: 0, parts: 0 } });
    job.cancel();
    expect(job.state).toBe('cancelling');
    expect(workers[0]!.posted[1]).toEqual({ type: 'cancel' });
    workers[0]!.reply({ type: 'cancelled', aborted: true });
    expect(job.state).toBe('cancelled');
    expect(workers[0]!.terminated).toBe(true);
    job.start();
    expect(job.state).toBe('cancelled');
  });

  it('does not start while offline', () => {
    const { job, workers } = setup({ online: false });
    job.start();
    expect(job.state).toBe('offline');
    expect(workers).toHaveLength(0);
  });
});
