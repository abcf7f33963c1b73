/**
 * The command line was wrong: a bad flag, a bad `oss://` URL, a size that does not parse.
 * The CLI prints the message and exits with code 2 (see {@link EXIT}).
 */
export class UsageError extends Error {
  /** Always `'UsageError'`, so `error.name` identifies it in logs. */
  override readonly name = 'UsageError';
}

/** Process exit codes of the `ossup` command. */
export const EXIT = {
  /** The command did what it was asked. */
  ok: 0,
  /** The command failed (service error, network, integrity, a file problem). */
  failure: 1,
  /** The command line was wrong; nothing was attempted. */
  usage: 2,
  /** Interrupted by SIGINT/SIGTERM; a resumable upload kept its checkpoint. */
  interrupted: 130,
} as const;
