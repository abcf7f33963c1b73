import { OPERATION_NAMES, type OperationName } from './operations.ts';

/**
 * What an injected fault does to a matching request.
 *
 * - `status`: answer with this HTTP status and OSS error `code` (default `ServiceUnavailable`)
 *   instead of doing the operation. The request body is read and discarded first, so the
 *   client sees a clean error response.
 * - `reset`: destroy the TCP connection once `afterBodyBytes` body bytes arrived (default 0:
 *   at once). Nothing is stored. A body shorter than that is read whole, then the
 *   connection is destroyed before anything is stored.
 * - `delay`: wait `ms` milliseconds, then handle the request normally.
 * - `drop-after-store`: do the operation (the part or object is durably stored), then destroy
 *   the connection instead of answering: the client cannot know it succeeded.
 */
export type FaultAction =
  | {
      /** Answer with an OSS error. */
      readonly kind: 'status';
      /** HTTP status to answer with. */
      readonly status: number;
      /** OSS error code. Default `ServiceUnavailable`. */
      readonly code?: string;
      /** `<Message>` of the error. */
      readonly message?: string;
    }
  | {
      /** Cut the connection. */
      readonly kind: 'reset';
      /** Body bytes to let through first. Default 0. */
      readonly afterBodyBytes?: number;
    }
  | {
      /** Wait, then handle the request normally. */
      readonly kind: 'delay';
      /** How long to wait, in milliseconds. */
      readonly ms: number;
    }
  | {
      /** Store durably, then cut the connection instead of answering. */
      readonly kind: 'drop-after-store';
    };

/** Which requests a fault applies to; every given field must match. An empty match matches all. */
export interface FaultMatch {
  /** HTTP method, case-insensitive. */
  readonly method?: string;
  /** Operation name, or several. */
  readonly operation?: OperationName | readonly OperationName[];
  /** Bucket name. */
  readonly bucket?: string;
  /** Exact object key. */
  readonly key?: string;
  /** Part number (UploadPart / UploadPartCopy). */
  readonly partNumber?: number;
}

/** A fault to add with {@link Faults.add}. */
export interface FaultSpec {
  /** Requests it applies to; default: all OSS requests. */
  readonly match?: FaultMatch;
  /**
   * How many matching requests it fires for before it removes itself: a positive integer,
   * or `'always'`. Default 1.
   */
  readonly times?: number | 'always';
  /** What it does. */
  readonly action: FaultAction;
}

/** An active fault, as listed by {@link Faults.list}. */
export interface FaultRule {
  /** Identifier, for {@link Faults.remove} and `DELETE /_ossup/faults/<id>`. */
  readonly id: string;
  /** Requests it applies to. */
  readonly match: FaultMatch;
  /** What it does. */
  readonly action: FaultAction;
  /** Firings left (`'always'` for unlimited). */
  readonly remaining: number | 'always';
  /** How many times it fired so far. */
  readonly fired: number;
}

/** The facts about a request that faults match against. */
export interface FaultTarget {
  /** HTTP method, upper case. */
  readonly method: string;
  /** Operation the request was routed to. */
  readonly operation: OperationName;
  /** Bucket addressed, if any. */
  readonly bucket: string | undefined;
  /** Object key addressed, if any. */
  readonly key: string | undefined;
  /** Part number, for UploadPart and UploadPartCopy. */
  readonly partNumber: number | undefined;
}

/** Thrown by {@link Faults.add} for an invalid fault description. */
export class InvalidFaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidFaultError';
  }
}

interface MutableRule {
  id: string;
  match: FaultMatch;
  action: FaultAction;
  remaining: number | 'always';
  fired: number;
}

/**
 * Fault injection for tests. Rules are checked in the order they were added; the first rule
 * matching a request fires (once per request) and counts down its `times`. Off unless a rule
 * is added.
 *
 * ```ts
 * server.faults.add({
 *   match: { operation: 'UploadPart', partNumber: 2 },
 *   times: 2,
 *   action: { kind: 'status', status: 503, code: 'ServiceUnavailable' },
 * });
 * ```
 */
export class Faults {
  private rules: MutableRule[] = [];
  private nextId = 1;

  /** Adds a fault; returns its rule (with the id to remove it early). */
  add(spec: FaultSpec): FaultRule {
    const rule = validateSpec(spec, `f${this.nextId++}`);
    this.rules.push(rule);
    return { ...rule };
  }

  /** Removes one fault; returns whether it existed. */
  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  /** Removes every fault. */
  clear(): void {
    this.rules = [];
  }

  /** Active faults, in matching order. */
  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Finds the fault for a request, consuming one firing. Used by the server. */
  take(target: FaultTarget): FaultAction | undefined {
    for (const rule of this.rules) {
      if (!matches(rule.match, target)) continue;
      rule.fired++;
      if (rule.remaining !== 'always') {
        rule.remaining--;
        if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
      }
      return rule.action;
    }
    return undefined;
  }
}

function matches(m: FaultMatch, t: FaultTarget): boolean {
  if (m.method !== undefined && m.method.toUpperCase() !== t.method) return false;
  if (m.operation !== undefined) {
    const ops = typeof m.operation === 'string' ? [m.operation] : m.operation;
    if (!ops.includes(t.operation)) return false;
  }
  if (m.bucket !== undefined && m.bucket !== t.bucket) return false;
  if (m.key !== undefined && m.key !== t.key) return false;
  if (m.partNumber !== undefined && m.partNumber !== t.partNumber) return false;
  return true;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function validateSpec(spec: unknown, id: string): MutableRule {
  if (!isObj(spec)) throw new InvalidFaultError('A fault must be an object with an `action`.');
  const match = spec['match'] ?? {};
  if (!isObj(match)) throw new InvalidFaultError('`match` must be an object.');
  for (const k of Object.keys(match)) {
    if (!['method', 'operation', 'bucket', 'key', 'partNumber'].includes(k)) {
      throw new InvalidFaultError(`Unknown match field \`${k}\`.`);
    }
  }
  if (match['method'] !== undefined && typeof match['method'] !== 'string') {
    throw new InvalidFaultError('`match.method` must be a string.');
  }
  const op = match['operation'];
  if (op !== undefined) {
    const ops = Array.isArray(op) ? op : [op];
    for (const o of ops) {
      if (!OPERATION_NAMES.includes(o as OperationName)) {
        throw new InvalidFaultError(
          `Unknown operation ${JSON.stringify(o)}; use one of ${OPERATION_NAMES.join(', ')}.`,
        );
      }
    }
  }
  for (const f of ['bucket', 'key'] as const) {
    if (match[f] !== undefined && typeof match[f] !== 'string') {
      throw new InvalidFaultError(`\`match.${f}\` must be a string.`);
    }
  }
  if (match['partNumber'] !== undefined && !Number.isInteger(match['partNumber'])) {
    throw new InvalidFaultError('`match.partNumber` must be an integer.');
  }
  const times = spec['times'] ?? 1;
  if (times !== 'always' && !(typeof times === 'number' && Number.isInteger(times) && times > 0)) {
    throw new InvalidFaultError('`times` must be a positive integer or "always".');
  }
  const action = spec['action'];
  if (!isObj(action)) throw new InvalidFaultError('`action` must be an object with a `kind`.');
  let normalized: FaultAction;
  switch (action['kind']) {
    case 'status': {
      const status = action['status'];
      if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) {
        throw new InvalidFaultError('`action.status` must be an HTTP error status (400-599).');
      }
      const code = action['code'] ?? (status >= 500 ? 'ServiceUnavailable' : 'InjectedFault');
      if (typeof code !== 'string' || !/^[A-Za-z0-9.]+$/.test(code)) {
        throw new InvalidFaultError('`action.code` must be an OSS-style error code.');
      }
      const message = action['message'];
      if (message !== undefined && typeof message !== 'string') {
        throw new InvalidFaultError('`action.message` must be a string.');
      }
      normalized =
        message === undefined
          ? { kind: 'status', status, code }
          : { kind: 'status', status, code, message };
      break;
    }
    case 'reset': {
      const after = action['afterBodyBytes'] ?? 0;
      if (typeof after !== 'number' || !Number.isInteger(after) || after < 0) {
        throw new InvalidFaultError('`action.afterBodyBytes` must be a non-negative integer.');
      }
      normalized = { kind: 'reset', afterBodyBytes: after };
      break;
    }
    case 'delay': {
      const ms = action['ms'];
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > 600_000) {
        throw new InvalidFaultError('`action.ms` must be between 0 and 600000.');
      }
      normalized = { kind: 'delay', ms };
      break;
    }
    case 'drop-after-store':
      normalized = { kind: 'drop-after-store' };
      break;
    default:
      throw new InvalidFaultError(
        '`action.kind` must be one of status, reset, delay, drop-after-store.',
      );
  }
  return {
    id,
    match: { ...(match as FaultMatch) },
    action: normalized,
    remaining: times as number | 'always',
    fired: 0,
  };
}
