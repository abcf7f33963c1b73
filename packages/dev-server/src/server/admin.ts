import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidFaultError } from '../faults.ts';
import { readSmallBody } from '../http/receive-body.ts';
import type { OperationName } from '../operations.ts';
import type { ServerState } from './state.ts';

/** Path prefix of the admin endpoint (path-style requests only; `_` is not valid in bucket names). */
export const ADMIN_PREFIX = '/_ossup/';

/** Whether a socket address is a loopback address (127.0.0.0/8, ::1, IPv4-mapped 127.x). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`;
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}

function tokenMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The admin endpoint (JSON), for fault injection from another process or a browser test:
 *
 * - `GET /_ossup/health` → `{ ok: true }`
 * - `GET /_ossup/faults` → active faults; `POST` a FaultSpec → the new rule;
 *   `DELETE /_ossup/faults` → clear all; `DELETE /_ossup/faults/<id>` → remove one
 * - `GET /_ossup/requests[?operation=UploadPart]` → `{ count, counts, entries }`;
 *   `DELETE /_ossup/requests` → clear the log
 * - `POST /_ossup/sts` with `{ durationSeconds }` → temporary credentials
 *
 * Only from loopback addresses, and only with the per-server token in
 * `x-ossup-admin-token` (or `Authorization: Bearer <token>`). Off unless enabled.
 */
export async function handleAdmin(
  state: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
  rawPath: string,
  rawQuery: string,
): Promise<void> {
  if (state.adminToken === undefined) {
    json(res, 404, {
      error: 'The admin endpoint is disabled; start the server with admin: true / --admin.',
    });
    return;
  }
  if (!isLoopback(req.socket.remoteAddress)) {
    json(res, 403, { error: 'The admin endpoint only answers loopback clients.' });
    return;
  }
  const auth = req.headers['authorization'];
  const given =
    (req.headers['x-ossup-admin-token'] as string | undefined) ??
    (auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined);
  if (!tokenMatches(given, state.adminToken)) {
    json(res, 401, { error: 'Missing or wrong admin token (header x-ossup-admin-token).' });
    return;
  }
  const path = rawPath.slice(ADMIN_PREFIX.length).replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  const readJson = async (): Promise<unknown> => {
    const body = await readSmallBody(req, 64 * 1024);
    if (body.byteLength === 0) return {};
    return JSON.parse(body.toString('utf8'));
  };
  try {
    if (path === 'health' && method === 'GET') return json(res, 200, { ok: true });
    if (path === 'faults') {
      if (method === 'GET') return json(res, 200, { faults: state.faults.list() });
      if (method === 'POST') return json(res, 201, state.faults.add((await readJson()) as never));
      if (method === 'DELETE') {
        state.faults.clear();
        return json(res, 200, { cleared: true });
      }
    }
    if (path.startsWith('faults/') && method === 'DELETE') {
      const removed = state.faults.remove(decodeURIComponent(path.slice('faults/'.length)));
      return json(res, removed ? 200 : 404, { removed });
    }
    if (path === 'requests') {
      if (method === 'GET') {
        const params = new URLSearchParams(rawQuery);
        const filter = {
          ...(params.get('operation')
            ? { operation: params.get('operation') as OperationName }
            : {}),
          ...(params.get('method') ? { method: params.get('method')! } : {}),
          ...(params.get('key') !== null ? { key: params.get('key')! } : {}),
          ...(params.get('bucket') ? { bucket: params.get('bucket')! } : {}),
        };
        const entries = state.requests.entries(filter);
        return json(res, 200, { count: entries.length, counts: state.requests.counts(), entries });
      }
      if (method === 'DELETE') {
        state.requests.clear();
        return json(res, 200, { cleared: true });
      }
    }
    if (path === 'sts' && method === 'POST') {
      const body = (await readJson()) as { durationSeconds?: number };
      return json(
        res,
        200,
        state.credentials.issue(
          {
            ...(body.durationSeconds !== undefined
              ? { durationSeconds: body.durationSeconds }
              : {}),
          },
          state.now(),
        ),
      );
    }
    json(res, 404, { error: `No admin route ${method} ${rawPath}.` });
  } catch (err) {
    if (
      err instanceof InvalidFaultError ||
      err instanceof SyntaxError ||
      err instanceof RangeError
    ) {
      json(res, 400, { error: err.message });
      return;
    }
    throw err;
  }
}
