import { loadOnDemand } from './load-on-demand.ts';

/**
 * Loads now the client code that otherwise loads on first use: reading XML answers,
 * checkpoints and resume, listings, presigning, V1 signing, streamed parts. The browser
 * bundle keeps that code out of its first download; where there is nothing to download (Node,
 * Deno, Bun) loading it up front saves the first upload waiting for it. `createNodeClient`
 * calls it. Never rejects: if loading fails, the first call that needs the code tries again
 * and reports the failure.
 *
 * @example
 * ```ts
 * await preloadClientCode(); // e.g. while the page is idle, before the user picks a file
 * ```
 */
export async function preloadClientCode(): Promise<void> {
  try {
    await loadOnDemand();
  } catch {
    // Reported by whoever needs the code.
  }
}
