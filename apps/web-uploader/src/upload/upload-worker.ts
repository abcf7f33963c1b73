// One dedicated worker per file. Everything heavy happens here, off the page's thread:
// reading the file part by part, CRC-64 and MD5 of every part, signing, sending. The page
// only draws what this worker reports, so hashing a 2 GiB file never freezes the UI.

import { fileFingerprint, indexedDbCheckpointStore } from '@ossup/browser';
import { type CheckpointStore, checkpointId } from '@ossup/checkpoint-store';
import { abortUpload, fromBlob, type OssClient, type UploadWarning, upload } from '@ossup/client';
import { describeError } from './describe-error.ts';
import { makeClient } from './make-client.ts';
import { CHECKPOINT_DB, type FromWorker, type StartMessage, type ToWorker } from './protocol.ts';

interface WorkerScope {
  postMessage(message: FromWorker): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  navigator: { onLine: boolean };
}
const scope = globalThis as unknown as WorkerScope;
const post = (message: FromWorker) => scope.postMessage(message);

const store = indexedDbCheckpointStore({ dbName: CHECKPOINT_DB });
let storeCheck: Promise<CheckpointStore | undefined> | undefined;

/**
 * The checkpoint store, or `undefined` where the browser blocks IndexedDB (some private
 * modes): the upload then still works, it just cannot be resumed after a reload.
 */
function usableStore(): Promise<CheckpointStore | undefined> {
  storeCheck ??= store.list().then(
    () => store,
    () => {
      post({
        type: 'note',
        text: 'This browser does not let the page store upload progress (IndexedDB is blocked), so this upload cannot continue after a reload.',
      });
      return undefined;
    },
  );
  return storeCheck;
}

/** Why the worker stopped its own upload. */
class Stop extends Error {
  constructor(readonly reason: 'paused' | 'offline' | 'cancel') {
    super(`upload ${reason}`);
  }
}

let job: StartMessage | undefined;
let client: OssClient | undefined;
let controller: AbortController | undefined;
let running: Promise<void> | undefined;

function warningNote(warning: UploadWarning): string | undefined {
  switch (warning.code) {
    case 'stale-upload-aborted':
      return 'An unfinished upload of a different file with this name was discarded.';
    case 'upload-missing':
    case 'checkpoint-mismatch':
    case 'checkpoint-unreadable':
      return 'The earlier upload of this file could not be continued; starting afresh.';
    case 'part-retried':
      return `Part ${warning.partNumber ?? '?'} arrived corrupted and was sent again.`;
    case 'checkpoint-write-failed':
      return 'Progress could not be saved in the browser; a reload now would re-send more.';
    case 'crc64-unavailable':
      return 'The server sent no CRC-64, so the whole-object check was skipped.';
    default:
      return undefined;
  }
}

async function run(m: StartMessage): Promise<void> {
  const abort = new AbortController();
  controller = abort;
  const checkpoint = await usableStore();
  client = makeClient({ config: m.config, mode: m.mode, apiBase: m.apiBase }, (text) =>
    post({ type: 'note', text }),
  );
  try {
    const result = await upload(client, {
      source: fromBlob(m.file),
      bucket: m.config.bucket,
      key: m.key,
      partSize: m.config.partSize,
      parallel: m.config.parallel,
      contentMd5: m.config.contentMd5,
      checkpoint,
      // A File picked again after a reload is recognised only by name, size and lastModified;
      // reading the kept parts back (a local read, no upload) proves they are this file's.
      verifyResumedParts: true,
      signal: abort.signal,
      onProgress: (progress) => post({ type: 'progress', progress }),
      onWarning: (warning) => {
        const text = warningNote(warning);
        if (text !== undefined) post({ type: 'note', text });
      },
    });
    post({
      type: 'done',
      result: {
        etag: result.etag,
        crc64: result.crc64?.toString(),
        size: result.size,
        partCount: result.parts.length,
        resumed: result.resumed,
        resumedBytes: result.resumedBytes,
      },
    });
  } catch (error) {
    const reason: unknown = abort.signal.aborted ? abort.signal.reason : undefined;
    if (reason instanceof Stop) {
      if (reason.reason !== 'cancel') {
        post({ type: 'stopped', reason: reason.reason, stored: await storedParts(m) });
      }
      return;
    }
    post({ type: 'failed', error: describeError(error, scope.navigator.onLine) });
  } finally {
    if (controller === abort) controller = undefined;
  }
}

/** The parts the checkpoint of `m`'s file records as stored (what a resume keeps). */
async function storedParts(m: StartMessage): Promise<{ bytes: number; parts: number } | undefined> {
  const fingerprint = fileFingerprint(m.file);
  if (fingerprint === undefined || client === undefined) return undefined;
  try {
    const id = await checkpointId({
      fingerprint,
      endpoint: client.endpoint,
      bucket: m.config.bucket,
      key: m.key,
    });
    const parts = (await store.get(id))?.parts ?? [];
    return { bytes: parts.reduce((sum, part) => sum + part.size, 0), parts: parts.length };
  } catch {
    return undefined;
  }
}

async function cancel(): Promise<void> {
  controller?.abort(new Stop('cancel'));
  await running;
  const m = job;
  if (m === undefined) {
    post({ type: 'cancelled', aborted: false });
    return;
  }
  if ((await usableStore()) === undefined) {
    // Without a store upload() already tried to abort its multipart upload when it was
    // stopped (whether that worked is not known here), and there is no checkpoint to find
    // another by: claim nothing about the parts.
    post({ type: 'cancelled', aborted: false });
    return;
  }
  try {
    const result = await abortUpload(
      client ?? makeClient({ config: m.config, mode: m.mode, apiBase: m.apiBase }, () => {}),
      {
        bucket: m.config.bucket,
        key: m.key,
        source: fromBlob(m.file),
        checkpoint: store,
      },
    );
    post({ type: 'cancelled', aborted: result.aborted });
  } catch (error) {
    post({ type: 'failed', error: describeError(error, scope.navigator.onLine) });
  }
}

scope.onmessage = (event) => {
  const m = event.data;
  if (m.type === 'start') {
    job = m;
    running = run(m);
  } else if (m.type === 'pause') {
    controller?.abort(new Stop(m.reason));
  } else if (m.type === 'cancel') {
    void cancel();
  }
};
