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
  /** The command line or the configuration was wrong; nothing was attempted. */
  usage: 2,
  /** Interrupted by SIGINT/SIGTERM; a resumable upload kept its checkpoint. */
  interrupted: 130,
  /**
   * Stdout was closed by its reader (`ossup get … - | head`): 128 + SIGPIPE, what a shell
   * reports for a program that SIGPIPE ended, so `set -o pipefail` treats it the same way.
   */
  brokenPipe: 141,
} as const;
