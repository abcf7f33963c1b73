/** Why {@link fromFile} or a {@link FileSource} read failed. */
export type FileSourceErrorKind =
  /** Nothing exists at the path. */
  | 'not-found'
  /** The path exists but is a directory, a FIFO, a socket or a device, not a regular file. */
  | 'not-a-file'
  /** The process may not read the file. */
  | 'permission-denied'
  /** The file's size or modification time changed after it was opened. */
  | 'changed'
  /** The source was closed before the read. */
  | 'closed'
  /** Any other I/O error (the `cause` holds the system error). */
  | 'io';

/**
 * A file could not be opened or read as an upload source. The message names the absolute
 * path and says what to do; `kind` lets a program react (a CLI may exit with a distinct code
 * for `not-found`, an uploader must not retry `changed`).
 */
export class FileSourceError extends Error {
  /** Always `'FileSourceError'`, so `error.name` identifies it in logs. */
  override readonly name = 'FileSourceError';
  /** What went wrong. */
  readonly kind: FileSourceErrorKind;
  /** Absolute path of the file concerned. */
  readonly path: string;
  /** The system error code (`ENOENT`, `EACCES`, ...) when there was one. */
  readonly code: string | undefined;

  constructor(
    kind: FileSourceErrorKind,
    path: string,
    message: string,
    options?: { code?: string; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.path = path;
    this.code = options?.code;
  }
}

/** The `code` of a Node system error, if `err` is one. */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/**
 * Turns a system error from opening or reading `path` into a {@link FileSourceError} whose
 * message says what to do. Exported for tests: running as root, a real EACCES cannot be
 * produced with chmod.
 */
export function fileOpenError(err: unknown, path: string, cwd: string): FileSourceError {
  const code = errnoCode(err);
  switch (code) {
    case 'ENOENT':
      return new FileSourceError(
        'not-found',
        path,
        `File not found: ${path}. Check the path (a relative path is resolved against ${cwd}).`,
        { code, cause: err },
      );
    case 'ENOTDIR':
      return new FileSourceError(
        'not-found',
        path,
        `File not found: ${path}. A component of the path is a file, not a directory; check the path.`,
        { code, cause: err },
      );
    case 'EISDIR':
      return notAFile(path, 'a directory', code, err);
    case 'EACCES':
    case 'EPERM':
      return new FileSourceError(
        'permission-denied',
        path,
        `Cannot read ${path}: permission denied. Give this user read permission on the file (and search permission on its directories), or run as a user who can read it.`,
        { code, cause: err },
      );
    default:
      return new FileSourceError(
        'io',
        path,
        `Cannot open ${path} for reading (${code ?? String(err)}). Check that the file is readable and the disk healthy, then try again.`,
        { code, cause: err },
      );
  }
}

/** The error for a path that exists but is not a regular file. */
export function notAFile(
  path: string,
  what: string,
  code?: string,
  cause?: unknown,
): FileSourceError {
  const hint =
    what === 'a directory'
      ? 'Pass the path of a regular file; to upload a directory, upload each file in it.'
      : 'Only regular files can be uploaded resumably; copy the data to a file first, or use fromStream from @ossup/client.';
  return new FileSourceError(
    'not-a-file',
    path,
    `${path} is ${what}, not a regular file. ${hint}`,
    {
      ...(code === undefined ? {} : { code }),
      cause,
    },
  );
}
