#!/usr/bin/env node
// Bundles the CLI into one JS file for Node (dist/ossup.mjs) and, with `bun build --compile`,
// a standalone binary (dist/ossup) that needs no Node at all. Both bundle the workspace
// packages from source (the `source` export condition), so no other build step is needed.
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const bun = join(pkgDir, '..', '..', 'node_modules', '.bin', 'bun');

function bunBuild(args) {
  const r = spawnSync(bun, ['build', 'src/bin.ts', '--conditions=source', ...args], {
    cwd: pkgDir,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

bunBuild(['--target=node', '--format=esm', '--outfile=dist/ossup.mjs']);
// Keep one shebang: bun copies the entry's.
const out = join(pkgDir, 'dist', 'ossup.mjs');
const text = readFileSync(out, 'utf8');
if (!text.startsWith('#!')) writeFileSync(out, `#!/usr/bin/env node\n${text}`);
chmodSync(out, 0o755);

if (process.env.OSSUP_SKIP_BINARY !== '1') {
  bunBuild(['--compile', '--outfile=dist/ossup']);
}
