// Messages between the page and its upload workers, and the backend's /api/config answer.
// Plain data only: everything here crosses postMessage or JSON.

import type { UploadProgress } from '@ossup/client';

/**
 * How the browser gets authorised without the long-term key:
 * - `sts`: the backend hands out short-lived credentials (`/api/sts`); the page signs itself.
 * - `signer`: the backend signs every request (`/api/sign`) after checking it.
 */
export type AuthMode = 'sts' | 'signer';

/** IndexedDB database of the upload checkpoints, shared by the page and its workers. */
export const CHECKPOINT_DB = 'ossup-web-uploader';

/** What the backend's `/api/config` answers. */
export interface PageConfig {
  /** OSS endpoint as the browser reaches it. */
  endpoint: string;
  region: string;
  bucket: string;
  /** Object keys are `keyPrefix + file name`. */
  keyPrefix: string;
  defaultMode: AuthMode;
  partSize: number;
  parallel: number;
  contentMd5: boolean;
  /** Lifetime of `/api/sts` credentials, seconds (the page refreshes before it ends). */
  stsDurationSeconds: number;
  signatureVersion: 'v1' | 'v4';
}

/** Starts (or resumes: the checkpoint decides) the upload of `file`. */
export interface StartMessage {
  type: 'start';
  file: File;
  key: string;
  mode: AuthMode;
  config: PageConfig;
  /** Origin of the backend, e.g. `http://127.0.0.1:5173`. */
  apiBase: string;
}

/** Page → worker. `pause` keeps the parts and the checkpoint; `cancel` aborts the upload. */
export type ToWorker =
  | StartMessage
  | { type: 'pause'; reason: 'paused' | 'offline' }
  | { type: 'cancel' };

/** What went wrong, already turned into words for the user. */
export interface ErrorReport {
  kind:
    | 'cors'
    | 'credentials'
    | 'offline'
    | 'network'
    | 'timeout'
    | 'server'
    | 'integrity'
    | 'refused'
    | 'storage'
    | 'file'
    | 'other';
  /** One line for the card. */
  title: string;
  /** What to do about it. */
  detail: string;
  /** Whether trying again later may succeed (the page retries these by itself). */
  retryable: boolean;
  /** OSS error code, when there was one. */
  code?: string | undefined;
  /** `x-oss-request-id`, to quote to support. */
  requestId?: string | undefined;
}

/** The finished object, as the page shows it. */
export interface DoneReport {
  etag: string;
  /** CRC-64 (decimal), checked against the server's for every part and the whole object. */
  crc64: string | undefined;
  size: number;
  partCount: number;
  resumed: boolean;
  resumedBytes: number;
}

/** Worker → page. */
export type FromWorker =
  | { type: 'progress'; progress: UploadProgress }
  | { type: 'note'; text: string }
  | { type: 'done'; result: DoneReport }
  | {
      type: 'stopped';
      reason: 'paused' | 'offline';
      /**
       * The parts stored on the server, as the checkpoint records them (what a resume keeps);
       * `undefined` when no checkpoint could be read (no usable storage).
       */
      stored: { bytes: number; parts: number } | undefined;
    }
  | { type: 'cancelled'; aborted: boolean }
  | { type: 'failed'; error: ErrorReport };
