/** An error turned into what the CLI prints. */
export interface DescribedError {
  /** One or two lines: what failed and what to do, with the request id. */
  message: string;
  /** Fields for the `--json` error document. */
  fields: Record<string, unknown>;
  /** More detail for `--verbose` (cause chain). */
  detail: string | undefined;
}

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  status?: number;
  requestId?: string;
  cause?: unknown;
  phase?: string;
  partNumber?: number;
  checkpointId?: string;
  uploadId?: string;
}

function chain(e: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  let cur: unknown = e;
  while (cur && typeof cur === 'object' && out.length < 8) {
    out.push(cur as ErrorLike);
    cur = (cur as ErrorLike).cause;
  }
  return out;
}

/**
 * Describes any error for the terminal. The client's errors already say what to do; this adds
 * the request id when it is buried in a cause, and maps Node's file-system errors to plain
 * words. It works on the errors' fields, not their classes, so it never needs to know every
 * error type.
 */
export function describeError(e: unknown): DescribedError {
  const errors = chain(e);
  const top = errors[0] ?? { message: String(e) };
  const withId = errors.find((x) => typeof x.requestId === 'string' && x.requestId);
  const service = errors.find((x) => typeof x.status === 'number' && typeof x.code === 'string');
  const fs = errors.find((x) => typeof x.code === 'string' && /^E[A-Z]+$/.test(x.code));
  let message = top.message || String(e);
  if (fs && !service) {
    const path = (fs as { path?: string }).path;
    const what: Record<string, string> = {
      ENOENT: 'no such file or directory',
      EACCES: 'permission denied',
      EISDIR: 'is a directory',
      ECONNREFUSED: 'connection refused: is the endpoint right and the server up?',
      ENOTFOUND: 'host not found: check the endpoint',
    };
    if (fs.code && what[fs.code] && !message.includes(what[fs.code]!))
      message = `${message} (${what[fs.code]})`;
    if (path && !message.includes(path)) message = `${path}: ${message}`;
  }
  if (withId?.requestId && !message.includes(withId.requestId))
    message = `${message} (request id ${withId.requestId})`;
  const fields: Record<string, unknown> = {
    code: service?.code ?? fs?.code ?? top.code ?? top.name ?? 'Error',
  };
  if (service?.status) fields.status = service.status;
  if (withId?.requestId) fields.requestId = withId.requestId;
  for (const k of ['phase', 'partNumber', 'checkpointId', 'uploadId'] as const) {
    const hit = errors.find((x) => x[k] !== undefined);
    if (hit) fields[k] = hit[k];
  }
  const detail =
    errors.length > 1
      ? errors.map((x, i) => `${'  '.repeat(i)}${x.name ?? 'Error'}: ${x.message ?? ''}`).join('\n')
      : undefined;
  return { message, fields, detail };
}
