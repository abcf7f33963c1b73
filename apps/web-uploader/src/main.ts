import { fileFingerprint, indexedDbCheckpointStore } from '@ossup/browser';
import { abortUpload } from '@ossup/client';
import { byId, el } from './ui/dom.ts';
import { FileCard } from './ui/file-card.ts';
import { findUnfinished, type UnfinishedUpload, unfinishedRow } from './ui/unfinished.ts';
import { describeError } from './upload/describe-error.ts';
import { makeClient } from './upload/make-client.ts';
import { type AuthMode, CHECKPOINT_DB, type PageConfig } from './upload/protocol.ts';
import { type JobHost, UploadJob } from './upload/upload-job.ts';

/** Files uploading at the same time; more wait in the queue (each sends `parallel` parts). */
const MAX_ACTIVE_FILES = 2;
const MODE_KEY = 'ossup-web-uploader:mode';

async function loadConfig(): Promise<PageConfig> {
  const response = await fetch('/api/config', { cache: 'no-store' });
  if (!response.ok) throw new Error(`/api/config answered ${response.status}`);
  return (await response.json()) as PageConfig;
}

function initialMode(config: PageConfig): AuthMode {
  const fromUrl = new URLSearchParams(location.search).get('mode');
  if (fromUrl === 'sts' || fromUrl === 'signer') return fromUrl;
  const saved = savedMode();
  if (saved === 'sts' || saved === 'signer') return saved;
  return config.defaultMode;
}

// Reading or writing localStorage throws where site data is blocked (a browser setting, a
// sandboxed frame): the remembered mode is a nicety, never a reason not to start.
function savedMode(): string | null {
  try {
    return localStorage.getItem(MODE_KEY);
  } catch {
    return null;
  }
}

function saveMode(mode: AuthMode): void {
  try {
    localStorage.setItem(MODE_KEY, mode);
  } catch {
    // not remembered
  }
}

function showFatal(message: string): void {
  const banner = byId('banner');
  banner.textContent = message;
  banner.className = 'banner error';
  banner.hidden = false;
}

async function main(): Promise<void> {
  const config = await loadConfig();
  const store = indexedDbCheckpointStore({ dbName: CHECKPOINT_DB });
  let mode = initialMode(config);
  const jobs: UploadJob[] = [];
  const cards = new Map<UploadJob, FileCard>();
  const jobList = byId<HTMLOListElement>('jobs');
  const banner = byId('banner');
  const net = byId('net');

  byId('target-bucket').textContent = `${config.bucket}/${config.keyPrefix}`;
  byId('target-endpoint').textContent = config.endpoint;

  // ---- auth mode --------------------------------------------------------------------------
  const radios = [...document.querySelectorAll<HTMLInputElement>('input[name="mode"]')];
  for (const radio of radios) {
    radio.checked = radio.value === mode;
    radio.addEventListener('change', () => {
      if (!radio.checked) return;
      mode = radio.value as AuthMode;
      saveMode(mode);
    });
  }

  // ---- jobs -------------------------------------------------------------------------------
  const host: JobHost = {
    config,
    apiBase: location.origin,
    mode: () => mode,
    online: () => navigator.onLine,
    changed: (job) => {
      cards.get(job)?.update();
      pump();
      if (job.state === 'done' || job.state === 'cancelled' || job.state === 'paused') {
        void refreshUnfinished();
      }
    },
    createWorker: () =>
      new Worker(new URL('./upload/upload-worker.ts', import.meta.url), {
        type: 'module',
        name: 'ossup-upload',
      }),
  };

  let pumping = false;
  function pump(): void {
    if (pumping) return;
    pumping = true;
    try {
      let active = jobs.filter((j) => j.active).length;
      for (const job of jobs) {
        if (active >= MAX_ACTIVE_FILES) break;
        if (job.state === 'queued') {
          job.start();
          if (job.active) active++;
        }
      }
    } finally {
      pumping = false;
    }
  }

  const actions = {
    pause: (job: UploadJob) => job.pause(),
    resume: (job: UploadJob) => job.resume(),
    cancel: (job: UploadJob) => job.cancel(),
    remove: (job: UploadJob) => {
      job.dispose();
      cards.get(job)?.root.remove();
      cards.delete(job);
      jobs.splice(jobs.indexOf(job), 1);
      byId('files').hidden = jobs.length === 0;
    },
  };

  function addFiles(files: Iterable<File>): void {
    for (const file of files) {
      const fingerprint = fileFingerprint(file);
      const duplicate = jobs.find(
        (j) =>
          fileFingerprint(j.file) === fingerprint &&
          j.state !== 'done' &&
          j.state !== 'cancelled' &&
          j.state !== 'failed',
      );
      if (duplicate !== undefined) {
        cards.get(duplicate)?.root.scrollIntoView({ block: 'nearest' });
        continue;
      }
      // Another file would go to the same key: uploading both at once would make each
      // discard the other's upload. One at a time.
      const sameKey = jobs.find(
        (j) =>
          j.file.name === file.name &&
          j.state !== 'done' &&
          j.state !== 'cancelled' &&
          j.state !== 'failed',
      );
      if (sameKey !== undefined) {
        showBanner(
          `Another file named ${file.name} is being uploaded to the same place; wait for it to finish or cancel it first.`,
          'error',
        );
        continue;
      }
      const job = new UploadJob(file, host);
      const card = new FileCard(job, actions);
      jobs.push(job);
      cards.set(job, card);
      jobList.append(card.root);
    }
    byId('files').hidden = jobs.length === 0;
    void refreshUnfinished();
    pump();
  }

  // ---- picking and dropping ---------------------------------------------------------------
  const picker = byId<HTMLInputElement>('picker');
  picker.addEventListener('change', () => {
    addFiles(picker.files ?? []);
    picker.value = '';
  });
  const drop = byId('drop');
  // A click anywhere in the zone opens the dialog (the label and the input do it themselves).
  drop.addEventListener('click', (event) => {
    if (!(event.target instanceof HTMLLabelElement) && event.target !== picker) picker.click();
  });
  // Dropping anywhere on the page adds the files instead of opening them in the tab.
  window.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  window.addEventListener('dragleave', (event) => {
    if (event.relatedTarget === null) drop.classList.remove('over');
  });
  window.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    const transfer = event.dataTransfer;
    if (transfer === null) return;
    // A dropped folder arrives as an unreadable File: leave folders out, and say so.
    const files: File[] = [];
    let folders = 0;
    for (const item of transfer.items) {
      if (item.kind !== 'file') continue;
      if (item.webkitGetAsEntry()?.isDirectory === true) folders++;
      else {
        const file = item.getAsFile();
        if (file !== null) files.push(file);
      }
    }
    if (folders > 0) {
      showBanner('Folders are not uploaded; open the folder and drop the files in it.', 'error');
    }
    addFiles(files);
  });

  // ---- unfinished uploads from earlier visits ---------------------------------------------
  const unfinishedSection = byId('unfinished');
  const unfinishedList = byId<HTMLUListElement>('unfinished-list');
  let refreshing: Promise<void> | undefined;
  async function refreshUnfinished(): Promise<void> {
    await refreshing;
    refreshing = (async () => {
      let found: UnfinishedUpload[] = [];
      try {
        found = await findUnfinished(store, config);
      } catch {
        // No IndexedDB (private mode...): nothing to list; uploads still work, minus resume.
      }
      const current = new Set(
        jobs
          .filter((j) => j.state !== 'done' && j.state !== 'cancelled')
          .map((j) => fileFingerprint(j.file)),
      );
      const rows = found
        .filter((u) => !current.has(u.fingerprint))
        .map((u) => unfinishedRow(u, discard));
      unfinishedList.replaceChildren(...rows);
      unfinishedSection.hidden = rows.length === 0;
    })();
    await refreshing;
  }

  async function discard(upload: UnfinishedUpload): Promise<void> {
    try {
      const client = makeClient({ config, mode, apiBase: location.origin }, () => {});
      await abortUpload(client, {
        bucket: config.bucket,
        key: upload.key,
        uploadId: upload.uploadId,
        checkpoint: store,
      });
      await store.delete(upload.checkpointId);
    } catch (error) {
      const report = describeError(error, navigator.onLine);
      showBanner(`${report.title}. ${report.detail}`, 'error');
    }
    await refreshUnfinished();
  }

  // ---- online / offline -------------------------------------------------------------------
  function showBanner(text: string, kind: 'offline' | 'error'): void {
    banner.replaceChildren(el('strong', {}, [kind === 'offline' ? 'Offline. ' : 'Error. ']), text);
    banner.className = `banner ${kind}`;
    banner.hidden = false;
  }
  function updateNet(): void {
    const online = navigator.onLine;
    net.textContent = online ? 'Online' : 'Offline';
    net.className = `net ${online ? 'online' : 'offline'}`;
    if (!online) {
      showBanner(
        'Uploads are paused and continue by themselves when the connection is back.',
        'offline',
      );
    } else if (banner.classList.contains('offline')) {
      banner.hidden = true;
    }
  }
  window.addEventListener('offline', () => {
    updateNet();
    for (const job of jobs) job.wentOffline();
  });
  window.addEventListener('online', () => {
    updateNet();
    for (const job of jobs) job.cameOnline();
    pump();
  });
  updateNet();

  // Retry countdowns tick once a second.
  setInterval(() => {
    for (const job of jobs) if (job.state === 'retrying') cards.get(job)?.update();
  }, 1000);

  await refreshUnfinished();
  document.body.dataset['ready'] = 'true';
}

main().catch((error: unknown) => {
  showFatal(
    `The uploader could not start: ${error instanceof Error ? error.message : String(error)}. Is the backend running (pnpm --filter web-uploader dev)?`,
  );
});
