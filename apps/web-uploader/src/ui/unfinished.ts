import type { CheckpointStore } from '@ossup/checkpoint-store';
import type { PageConfig } from '../upload/protocol.ts';
import { el } from './dom.ts';
import { formatBytes } from './format.ts';

/** An upload left unfinished by an earlier visit (reload, closed tab, crash). */
export interface UnfinishedUpload {
  checkpointId: string;
  uploadId: string;
  key: string;
  /** The file's name as it was picked. */
  name: string;
  /** `fromBlob` fingerprint: name, size and lastModified of the file. */
  fingerprint: string;
  size: number;
  /** Bytes of the parts recorded as stored. */
  stored: number;
  updatedAt: string;
}

function nameOf(fingerprint: string, key: string): string {
  // fromBlob's fingerprint of a File is `file:` + JSON [name, size, lastModified].
  if (fingerprint.startsWith('file:')) {
    try {
      const parsed = JSON.parse(fingerprint.slice(5)) as unknown;
      if (Array.isArray(parsed) && typeof parsed[0] === 'string') return parsed[0];
    } catch {
      // Someone else's fingerprint format: fall back to the key.
    }
  }
  return key.slice(key.lastIndexOf('/') + 1);
}

/** Reads the checkpoints of this endpoint and bucket from the browser's store. */
export async function findUnfinished(
  store: CheckpointStore,
  config: PageConfig,
): Promise<UnfinishedUpload[]> {
  const found: UnfinishedUpload[] = [];
  for (const summary of await store.list()) {
    if (summary.target.endpoint !== config.endpoint || summary.target.bucket !== config.bucket) {
      continue;
    }
    const checkpoint = await store.get(summary.id).catch(() => undefined);
    if (checkpoint === undefined) continue;
    found.push({
      checkpointId: checkpoint.id,
      uploadId: checkpoint.uploadId,
      key: checkpoint.target.key,
      name: nameOf(checkpoint.source.fingerprint, checkpoint.target.key),
      fingerprint: checkpoint.source.fingerprint,
      size: checkpoint.source.size ?? 0,
      stored: checkpoint.parts.reduce((sum, part) => sum + part.size, 0),
      updatedAt: checkpoint.updatedAt,
    });
  }
  return found.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

function ago(iso: string): string {
  const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

/** One row of the "Unfinished uploads" list, with its Discard button. */
export function unfinishedRow(
  upload: UnfinishedUpload,
  discard: (upload: UnfinishedUpload) => void,
): HTMLLIElement {
  const button = el('button', { type: 'button', class: 'btn secondary small' }, ['Discard']);
  button.addEventListener('click', () => {
    button.disabled = true;
    discard(upload);
  });
  const pct = upload.size > 0 ? Math.floor((upload.stored / upload.size) * 100) : 0;
  return el('li', { 'data-testid': 'unfinished', 'data-key': upload.key }, [
    el('div', { class: 'title' }, [
      el('strong', {}, [upload.name]),
      el('span', { class: 'meta' }, [
        `${formatBytes(upload.stored)} of ${formatBytes(upload.size)} on the server (${pct} %) · ${ago(upload.updatedAt)}`,
      ]),
    ]),
    el('div', { class: 'mini-bar' }, [el('div', { class: 'fill', style: `width:${pct}%` })]),
    button,
  ]);
}
