import type { JobState, UploadJob } from '../upload/upload-job.ts';
import { el } from './dom.ts';
import {
  etaSeconds,
  formatBytes,
  formatDuration,
  formatSpeed,
  pausedNote,
  percent,
} from './format.ts';

const LABELS: Record<JobState, string> = {
  queued: 'Queued',
  starting: 'Preparing',
  uploading: 'Uploading',
  completing: 'Completing',
  pausing: 'Pausing…',
  paused: 'Paused',
  offline: 'Waiting for network',
  retrying: 'Retrying',
  cancelling: 'Cancelling…',
  cancelled: 'Cancelled',
  done: 'Done',
  failed: 'Failed',
};

/** Which buttons a state offers. */
function actions(state: JobState): {
  pause: boolean;
  resume: boolean;
  cancel: boolean;
  remove: boolean;
} {
  return {
    pause: ['queued', 'starting', 'uploading', 'retrying', 'offline'].includes(state),
    resume: state === 'paused' || state === 'failed',
    cancel: !['cancelling', 'cancelled', 'done', 'completing'].includes(state),
    remove: state === 'done' || state === 'cancelled',
  };
}

function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1) : '';
  return (ext.length > 0 && ext.length <= 4 ? ext : 'file').toUpperCase();
}

/** Handlers of a card's buttons. */
export interface CardActions {
  pause(job: UploadJob): void;
  resume(job: UploadJob): void;
  cancel(job: UploadJob): void;
  remove(job: UploadJob): void;
}

/**
 * The card of one file: name, size, state badge, progress bar, bytes / speed / time left /
 * parts, the latest note or error, and its own Pause, Resume, Cancel buttons. Its `data-*`
 * attributes mirror the state, for tests and for styling.
 */
export class FileCard {
  readonly root: HTMLLIElement;
  readonly #job: UploadJob;
  readonly #badge = el('span', { class: 'badge' });
  readonly #fill = el('div', { class: 'fill' });
  readonly #bar = el(
    'div',
    { class: 'bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100' },
    [this.#fill],
  );
  readonly #bytes = el('span', { class: 'stat bytes' });
  readonly #speed = el('span', { class: 'stat speed' });
  readonly #eta = el('span', { class: 'stat eta' });
  readonly #parts = el('span', { class: 'stat parts' });
  readonly #message = el('div', { class: 'message' });
  readonly #buttons: Record<'pause' | 'resume' | 'cancel' | 'remove', HTMLButtonElement>;

  constructor(job: UploadJob, handlers: CardActions) {
    this.#job = job;
    const button = (name: keyof CardActions, label: string, kind: string) => {
      const b = el('button', { type: 'button', class: `btn ${kind}`, 'data-action': name }, [
        label,
      ]);
      b.addEventListener('click', () => handlers[name](job));
      return b;
    };
    this.#buttons = {
      pause: button('pause', 'Pause', 'secondary'),
      resume: button('resume', 'Resume', 'primary'),
      cancel: button('cancel', 'Cancel', 'danger'),
      remove: button('remove', 'Remove', 'secondary'),
    };
    this.root = el(
      'li',
      { class: 'card', 'data-testid': 'file-card', 'data-name': job.file.name },
      [
        el('div', { class: 'card-head' }, [
          el('span', { class: 'ext', 'aria-hidden': 'true' }, [extension(job.file.name)]),
          el('div', { class: 'title' }, [
            el('strong', { class: 'name', title: job.file.name }, [job.file.name]),
            el('span', { class: 'meta' }, [`${formatBytes(job.file.size)} → ${job.key}`]),
          ]),
          this.#badge,
        ]),
        this.#bar,
        el('div', { class: 'stats' }, [this.#bytes, this.#speed, this.#eta, this.#parts]),
        this.#message,
        el('div', { class: 'actions' }, Object.values(this.#buttons)),
      ],
    );
    this.update();
  }

  /** Redraws from the job. Cheap: called for every progress event. */
  update(): void {
    const job = this.#job;
    const p = job.progress;
    const total = p?.total ?? job.file.size;
    const loaded = job.state === 'done' ? total : (p?.loaded ?? 0);
    const pct = job.state === 'done' ? 100 : percent(loaded, total);
    const d = this.root.dataset;
    d['state'] = job.state;
    d['loaded'] = String(loaded);
    d['total'] = String(total);
    d['partsDone'] = String(p?.partsDone ?? 0);
    d['partsTotal'] = String(p?.partsTotal ?? '');
    if (job.result !== undefined) {
      d['etag'] = job.result.etag;
      d['crc64'] = job.result.crc64 ?? '';
      d['resumedBytes'] = String(job.result.resumedBytes);
    }
    if (job.error !== undefined) d['errorKind'] = job.error.kind;
    else delete d['errorKind'];

    this.#badge.textContent =
      job.state === 'retrying' && job.retryAt !== undefined
        ? `Retrying in ${Math.max(1, Math.ceil((job.retryAt - Date.now()) / 1000))} s`
        : LABELS[job.state];
    this.#badge.className = `badge state-${job.state}`;
    this.#fill.style.width = `${pct}%`;
    this.#bar.setAttribute('aria-valuenow', String(pct));

    this.#bytes.textContent = `${formatBytes(loaded)} of ${formatBytes(total)} · ${pct} %`;
    const moving = job.state === 'uploading' && p !== undefined;
    this.#speed.textContent = moving ? formatSpeed(p.bytesPerSecond) : '';
    const eta = moving ? etaSeconds(loaded, total, p.bytesPerSecond) : undefined;
    this.#eta.textContent =
      eta === undefined
        ? job.state === 'completing'
          ? 'assembling the object…'
          : ''
        : `${formatDuration(eta)} left`;
    this.#parts.textContent =
      p?.partsTotal !== undefined && p.partsTotal > 1 ? `parts ${p.partsDone}/${p.partsTotal}` : '';

    this.#message.replaceChildren(...this.#messageNodes());
    this.#message.className = `message${job.error !== undefined && job.state !== 'retrying' && job.state !== 'offline' ? ' error' : ''}`;

    const can = actions(job.state);
    for (const [name, b] of Object.entries(this.#buttons)) {
      b.hidden = !can[name as keyof typeof can];
    }
  }

  #messageNodes(): Array<Node | string> {
    const job = this.#job;
    if (job.state === 'done' && job.result !== undefined) {
      const r = job.result;
      const resumed = r.resumed
        ? ` Resumed: ${formatBytes(r.resumedBytes)} were already on the server.`
        : '';
      const parts = r.partCount || 1;
      return [
        el('span', { class: 'ok' }, ['Verified']),
        ` CRC-64 ${r.crc64 ?? '–'} matches the server’s, ${parts} part${parts === 1 ? '' : 's'}, ETag ${r.etag}.${resumed}`,
      ];
    }
    if (job.error !== undefined) {
      return [el('strong', {}, [job.error.title]), ` ${job.error.detail}`];
    }
    if (job.state === 'paused') return [pausedNote(job.kept)];
    return job.note === undefined ? [] : [job.note];
  }
}
