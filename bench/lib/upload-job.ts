// What upload.ts and its contender child processes say to each other.

import type { Message } from './child.ts';

/** The contenders of `pnpm bench upload`. */
export const CONTENDERS = ['ossup', 'ossup-md5', 'ossup-no-crc', 'ali-oss', 'raw'] as const;
export type Contender = (typeof CONTENDERS)[number];

/** What the parent sends. */
export interface UploadJob extends Message {
  readonly type: 'go';
  readonly contender: Contender;
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly bucket: string;
  readonly key: string;
  readonly file: string;
  readonly partSize: number;
  readonly parallel: number;
  /** When set, a CPU profile of the main thread during the upload is written there. */
  readonly profileFile?: string;
}

/** What the child reports. */
export interface UploadReport extends Message {
  readonly type: 'result';
  readonly seconds: number;
  /** CPU seconds (user + system) spent during the upload. */
  readonly cpuSeconds: number;
  readonly userSeconds: number;
  readonly systemSeconds: number;
  /** Peak RSS of the process before the upload began (runtime + loaded modules). */
  readonly baselinePeakRssBytes: number;
  /** Peak RSS of the process over its whole life. */
  readonly peakRssBytes: number;
  readonly etag: string;
  readonly warnings: readonly string[];
}
