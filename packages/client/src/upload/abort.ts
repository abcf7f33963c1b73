// Signal plumbing shared by the uploader.

/** The default reason of an aborted signal, for runtimes whose `abort()` leaves it undefined. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/**
 * A controller that aborts when `parent` aborts (with the parent's reason) or when aborted
 * itself. `AbortSignal.any` would do, but it is missing from older runtimes. `dispose`
 * detaches from the parent so a long-lived signal does not collect listeners.
 */
export function linkedController(parent: AbortSignal | undefined): {
  controller: AbortController;
  dispose: () => void;
} {
  const controller = new AbortController();
  if (parent === undefined) return { controller, dispose: () => {} };
  if (parent.aborted) {
    controller.abort(abortReason(parent));
    return { controller, dispose: () => {} };
  }
  const onAbort = () => controller.abort(abortReason(parent));
  parent.addEventListener('abort', onAbort, { once: true });
  return { controller, dispose: () => parent.removeEventListener('abort', onAbort) };
}
