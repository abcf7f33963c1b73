// Worker threads of @ossup/node and @ossup/dev-server embed some factories of this package as
// source text (`String(factory)`), so each must run with nothing around it. One way to break
// that without noticing: a transpiler that keeps function names (tsx does, and so may a user's
// bundler) wraps every named function constant in a `__name` helper, which the worker lacks,
// and the factory then fails in the worker only.

const ESBUILD = 'esbuild';

/**
 * The names of helpers that esbuild with `keepNames` would make the factory's source call:
 * empty when the source stays self-contained.
 */
export async function helpersAddedByKeepNames(
  factory: (...args: never[]) => unknown,
): Promise<string[]> {
  const { transform } = (await import(ESBUILD)) as {
    transform(
      code: string,
      options: { keepNames: boolean; loader: 'js' },
    ): Promise<{ code: string }>;
  };
  const { code } = await transform(`globalThis.made = (${String(factory)});`, {
    keepNames: true,
    loader: 'js',
  });
  // What is inside the function (esbuild also wraps the function itself, which is harmless:
  // the embedding code takes the source of the function alone).
  const body = code.slice(code.indexOf('function', code.indexOf('globalThis.made')));
  return [...body.matchAll(/\b(__\w+)\(/g)].map((m) => m[1]!);
}
