/** The module of code loaded on first use (see on-demand.ts). */
export type OnDemand = typeof import('./on-demand.ts');

let loading: Promise<OnDemand> | undefined;

/**
 * Loads the on-demand code once and hands every later caller the same module. An `import()`
 * per call, even of a module already loaded, resolves the specifier again, and under a loader
 * hook (tsx, ts-node) each resolution is a trip to the hooks' thread: measured, about a sixth
 * of the throughput of a 1 GiB upload from Node run under tsx, which asks for this module a
 * few times per part. A failed load is forgotten, so the next call tries again.
 */
export function loadOnDemand(): Promise<OnDemand> {
  loading ??= import('./on-demand.ts').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
