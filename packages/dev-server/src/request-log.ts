import type { OperationName } from './operations.ts';

/** One request as seen by the server. Entries are added when routed, completed at the end. */
export interface RequestLogEntry {
  /** `x-oss-request-id` of the answer. */
  readonly requestId: string;
  /** Milliseconds since the epoch when the request arrived. */
  readonly time: number;
  /** HTTP method. */
  readonly method: string;
  /** Operation the request was routed to. */
  operation: OperationName;
  /** Bucket addressed, if any. */
  bucket: string | undefined;
  /** Object key addressed, if any. */
  key: string | undefined;
  /** Part number (UploadPart, UploadPartCopy). */
  partNumber: number | undefined;
  /** Upload id of a multipart request. */
  uploadId: string | undefined;
  /** Response status; 0 while in flight or when the connection was cut (fault or client). */
  status: number;
  /** OSS error code of an error response. */
  errorCode: string | undefined;
  /** Kind of the injected fault that fired for this request, if any. */
  fault: string | undefined;
}

/** A filter for {@link RequestLog.entries} and {@link RequestLog.count}. */
export interface RequestLogFilter {
  /** Only this operation. */
  readonly operation?: OperationName;
  /** Only this HTTP method (any case). */
  readonly method?: string;
  /** Only this bucket. */
  readonly bucket?: string;
  /** Only this object key. */
  readonly key?: string;
  /** Only answers with this status. */
  readonly status?: number;
}

/**
 * Requests the server handled, newest last, for tests (e.g. "exactly 3 UploadPart requests
 * were made"). Keeps the last `limit` entries; {@link RequestLog.count} counts only those.
 */
export class RequestLog {
  private list: RequestLogEntry[] = [];

  constructor(private readonly limit = 10_000) {}

  /** Adds an entry (the server does this). */
  record(entry: RequestLogEntry): void {
    this.list.push(entry);
    if (this.list.length > this.limit) this.list.splice(0, this.list.length - this.limit);
  }

  /** Entries matching the filter (or all), oldest first. */
  entries(filter: RequestLogFilter | OperationName = {}): RequestLogEntry[] {
    const f: RequestLogFilter = typeof filter === 'string' ? { operation: filter } : filter;
    return this.list.filter(
      (e) =>
        (f.operation === undefined || e.operation === f.operation) &&
        (f.method === undefined || e.method === f.method.toUpperCase()) &&
        (f.bucket === undefined || e.bucket === f.bucket) &&
        (f.key === undefined || e.key === f.key) &&
        (f.status === undefined || e.status === f.status),
    );
  }

  /** Number of entries matching the filter, e.g. `count('UploadPart')`. */
  count(filter: RequestLogFilter | OperationName = {}): number {
    return this.entries(filter).length;
  }

  /** Requests per operation. */
  counts(): Partial<Record<OperationName, number>> {
    const out: Partial<Record<OperationName, number>> = {};
    for (const e of this.list) out[e.operation] = (out[e.operation] ?? 0) + 1;
    return out;
  }

  /** Forgets every entry. */
  clear(): void {
    this.list = [];
  }
}
