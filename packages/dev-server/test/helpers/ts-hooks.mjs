// Node module hooks that let a child process run this monorepo's TypeScript sources directly
// (Node 20 has no type stripping): resolve workspace packages through their `source` export
// condition and transpile `.ts` files with the TypeScript compiler on load. Transpiled files
// are cached on disk by content hash, so later processes do not even load the compiler.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const cacheDir = join(tmpdir(), 'ossup-ts-hooks-cache');
mkdirSync(cacheDir, { recursive: true });
let ts;

export async function resolve(specifier, context, nextResolve) {
  const conditions = [...new Set(['source', ...(context.conditions ?? [])])];
  return nextResolve(specifier, { ...context, conditions });
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const source = await readFile(path, 'utf8');
  const hash = createHash('sha256').update(path).update('\0').update(source).digest('hex');
  const cached = join(cacheDir, `${hash}.js`);
  try {
    return { format: 'module', source: await readFile(cached, 'utf8'), shortCircuit: true };
  } catch {}
  ts ??= require('typescript');
  const out = ts.transpileModule(source, {
    fileName: path,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      inlineSourceMap: true,
      verbatimModuleSyntax: true,
      allowImportingTsExtensions: true,
    },
  });
  const tmp = `${cached}.${process.pid}.tmp`;
  await writeFile(tmp, out.outputText);
  await rename(tmp, cached);
  return { format: 'module', source: out.outputText, shortCircuit: true };
}
