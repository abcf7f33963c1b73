// Just enough of Bun's and Deno's globals to typecheck bun.ts and deno.ts together with the
// Node examples (their full type packages conflict with @types/node and the DOM library).
// Not part of the examples: a Bun or Deno project has the real types.

declare const Bun: {
  readonly env: Record<string, string | undefined>;
  readonly argv: string[];
  file(path: string): Blob;
};

declare namespace Deno {
  const args: string[];
  let exitCode: number;
  const env: { get(name: string): string | undefined };
  function addSignalListener(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
  function removeSignalListener(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
}
