// The page of the browser example (bundled by server.ts). No AccessKey ever reaches the
// browser: the page gets short-lived STS credentials from its backend and refreshes them
// before they expire. Checkpoints live in IndexedDB, so an upload survives a page reload.
import { createBrowserClient, indexedDbCheckpointStore } from '@ossup/browser';
import { abortUpload, fromBlob, upload } from '@ossup/client';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const input = $<HTMLInputElement>('file');
const pauseButton = $<HTMLButtonElement>('pause');
const cancelButton = $<HTMLButtonElement>('cancel');
const bar = $<HTMLProgressElement>('bar');
const status = $<HTMLParagraphElement>('status');
const show = (state: string, text: string) => {
  status.dataset['state'] = state;
  status.textContent = text;
};

const { endpoint, region, bucket } = await (await fetch('/config')).json();
// createBrowserClient: createClient with XHR for bodies, so progress moves byte by byte.
const client = createBrowserClient({
  endpoint,
  region,
  // Called once, then again 5 minutes before `expiration`; parts in flight share one call.
  credentialsProvider: async () => {
    const c = await (await fetch('/credentials', { method: 'POST' })).json();
    return { ...c, expiration: new Date(c.expiration) };
  },
});
const store = indexedDbCheckpointStore();

const unfinished = await store.list();
show(
  'idle',
  unfinished.length === 0
    ? 'Ready.'
    : `Unfinished: ${unfinished.map((u) => u.target.key).join(', ')}. Pick the file again to resume.`,
);

let pause: AbortController | undefined;
let current: { file: File; key: string; running: Promise<unknown> } | undefined;

input.addEventListener('change', async () => {
  const file = input.files?.[0];
  if (file === undefined) return;
  const key = `uploads/${file.name}`;
  const controller = new AbortController();
  pause = controller;
  pauseButton.disabled = false;
  cancelButton.disabled = false;
  show('uploading', `Uploading ${file.name}…`);
  const running = upload(client, {
    source: fromBlob(file), // fingerprint: name + size + lastModified
    bucket,
    key,
    checkpoint: store,
    signal: controller.signal,
    onProgress: (p) => {
      bar.value = p.total ? p.loaded / p.total : 0;
      status.dataset['partsDone'] = String(p.partsDone);
    },
  });
  current = { file, key, running };
  try {
    const result = await running;
    show(
      'done',
      `Done: ${result.key}, ${result.size} bytes, CRC-64 ${result.crc64}, ` +
        `${result.resumedBytes} bytes resumed.`,
    );
  } catch (error) {
    if (controller.signal.aborted) {
      // Parts and checkpoint are kept: picking the same file resumes, even after a reload.
      show('paused', 'Paused. Pick the same file again to resume (a reload is fine).');
    } else {
      show('error', `Failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  } finally {
    pauseButton.disabled = true;
  }
});

pauseButton.addEventListener('click', () => pause?.abort(new Error('paused')));

// Cancel gives the upload up for good: OSS deletes its parts, the checkpoint is removed.
cancelButton.addEventListener('click', async () => {
  if (current === undefined) return;
  const { file, key, running } = current;
  cancelButton.disabled = true;
  pause?.abort(new Error('cancelled'));
  await running.catch(() => {}); // let the upload stop (and save its checkpoint) first
  await abortUpload(client, { bucket, key, source: fromBlob(file), checkpoint: store });
  show('cancelled', `Cancelled ${key}: its parts are deleted.`);
});
