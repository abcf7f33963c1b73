import { abortReason, linkedController } from './abort.ts';

/** Options for {@link runPool}. */
export interface RunPoolOptions<T> {
  /** Number of workers; each runs one task at a time. */
  parallel: number;
  /**
   * Hands out the next task, or `undefined` when there is none left. Called synchronously by
   * a worker that has just become free, so tasks are taken strictly in order and never before
   * a worker can start them (nothing is read ahead).
   */
  next: () => T | undefined;
  /** Runs one task; `signal` aborts when the pool stops (failure of another task, or cancel). */
  run: (task: T, signal: AbortSignal) => Promise<void>;
  /** Stops the pool: workers take no more tasks and in-flight tasks see their signal abort. */
  signal?: AbortSignal;
}

/**
 * Runs tasks from one queue on a bounded number of workers. The first failure stops the
 * pool: the other workers' in-flight tasks are aborted, and once every worker has settled the
 * pool rejects with that first error (or with the `signal`'s reason if it was cancelled).
 * Waiting for every worker before settling means no request of this pool is still running
 * when the caller goes on to clean up.
 */
export async function runPool<T>(options: RunPoolOptions<T>): Promise<void> {
  const { controller, dispose } = linkedController(options.signal);
  const signal = controller.signal;
  let failed = false;
  let firstError: unknown;

  const worker = async (): Promise<void> => {
    while (!signal.aborted) {
      const task = options.next();
      if (task === undefined) return;
      try {
        await options.run(task, signal);
      } catch (error) {
        if (!failed && !signal.aborted) {
          failed = true;
          firstError = error;
          controller.abort(error);
        }
        return;
      }
    }
  };

  try {
    const count = Math.max(1, Math.floor(options.parallel));
    await Promise.all(Array.from({ length: count }, worker));
  } finally {
    dispose();
  }
  if (options.signal?.aborted) throw abortReason(options.signal);
  if (failed) throw firstError;
}
