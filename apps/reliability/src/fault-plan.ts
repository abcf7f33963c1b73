import type { FaultAction, FaultSpec } from '@ossup/dev-server';
import type { Rng } from './seeded.ts';

/** Kinds of fault the soak injects, as they appear in its table. */
export type FaultKind = 'status-5xx' | 'reset-mid-body' | 'drop-after-store' | 'slow-reply';

/** Kinds injected by the soak's transport wrapper on the client side. */
export type ClientFaultKind = 'bit-flip';

/** Probability per request of each server-side fault kind. */
export interface FaultRates {
  /** 500 InternalError / 503 ServiceUnavailable instead of an answer. */
  status: number;
  /** Connection reset after a random number of body bytes (nothing stored). */
  reset: number;
  /** The part, object or Complete is stored, then the connection is cut (no answer). */
  drop: number;
  /** The reply comes later than the client's per-attempt timeout. */
  slow: number;
}

/** The rates the issue asks for: 5% 500/503, 2% resets, 1% dropped after store, 1% slow. */
export const DEFAULT_RATES: FaultRates = { status: 0.05, reset: 0.02, drop: 0.01, slow: 0.01 };

/** One fault rule to add for one upload. */
export interface PlannedFault {
  kind: FaultKind;
  spec: FaultSpec;
}

/** A request of an upload that can be faulted, with its body size. */
export interface FaultTargetRequest {
  operation: 'InitiateMultipartUpload' | 'UploadPart' | 'CompleteMultipartUpload' | 'PutObject';
  partNumber?: number;
  bodyBytes: number;
}

// Dropping the answer of, or answering late to, InitiateMultipartUpload creates an upload the
// client never learns the id of: no client can abort it (ListMultipartUploads cannot tell it
// from another writer's upload of the same key). That is a property of the protocol, covered
// by a bucket lifecycle rule on real OSS (docs/reliability.md), so the soak does not drop or
// delay Initiate; it does fail and reset it.
const DATA_OPERATIONS = new Set(['UploadPart', 'PutObject', 'CompleteMultipartUpload']);

/**
 * Draws the faults for one upload: for each request it will make, a run of consecutive
 * faulted attempts, each drawn independently at `rates` (so the chance that the first k
 * attempts all fail is p^k, as with independent per-request faults). The rules match the
 * upload's unique key and part number and fire once each, in order, which makes the schedule
 * independent of how the uploads interleave: the same seed injects the same faults.
 */
export function planFaults(
  rng: Rng,
  key: string,
  requests: readonly FaultTargetRequest[],
  rates: FaultRates,
  slowMs: number,
  maxRun = 4,
): PlannedFault[] {
  const planned: PlannedFault[] = [];
  for (const request of requests) {
    for (let attempt = 0; attempt < maxRun; attempt++) {
      const r = rng.next();
      const resetEdge = rates.status + rates.reset;
      const dropEdge = resetEdge + rates.drop;
      const slowEdge = dropEdge + rates.slow;
      const dataOperation = DATA_OPERATIONS.has(request.operation);
      let kind: FaultKind | undefined;
      let action: FaultAction | undefined;
      if (r < rates.status) {
        kind = 'status-5xx';
        action = rng.chance(0.5)
          ? { kind: 'status', status: 503, code: 'ServiceUnavailable' }
          : { kind: 'status', status: 500, code: 'InternalError' };
      } else if (r < resetEdge) {
        kind = 'reset-mid-body';
        action = {
          kind: 'reset',
          afterBodyBytes: request.bodyBytes > 0 ? rng.int(0, request.bodyBytes - 1) : 0,
        };
      } else if (r < dropEdge && dataOperation) {
        kind = 'drop-after-store';
        action = { kind: 'drop-after-store' };
      } else if (r >= dropEdge && r < slowEdge && dataOperation) {
        kind = 'slow-reply';
        action = { kind: 'delay', ms: slowMs };
      }
      if (kind === undefined || action === undefined) break;
      planned.push({
        kind,
        spec: {
          match: {
            operation: request.operation,
            key,
            ...(request.partNumber === undefined ? {} : { partNumber: request.partNumber }),
          },
          times: 1,
          action,
        },
      });
    }
  }
  return planned;
}
