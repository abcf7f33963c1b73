/**
 * Whoever read stdout went away (`ossup get oss://b/k - | head -c 100`): the command stops
 * without a message and exits with `EXIT.brokenPipe` (141), as a program ended by SIGPIPE.
 */
export class StdoutClosedError extends Error {
  /** Always `'StdoutClosedError'`, so `error.name` identifies it in logs. */
  override readonly name = 'StdoutClosedError';
}
