#!/usr/bin/env node
// Runs the pure packages' unit tests under Bun and Deno, the two other runtimes ossup
// supports. Bun runs the vitest files natively (it maps `vitest` onto bun:test); Deno runs
// them through scripts/deno/vitest-shim.ts. Exits non-zero if any run fails.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

// Leaf packages: web-standard code with no workspace imports, so their sources run as is.
const PURE = ['signer', 'xml-protocol', 'checksum', 'part-planner', 'checkpoint-store'];

const only = process.argv.slice(2);
const packages = PURE.filter((p) => existsSync(join(root, 'packages', p, 'src'))).filter(
  (p) => only.length === 0 || only.includes(p),
);

let failed = 0;
const results = [];
for (const pkg of packages) {
  const src = join('packages', pkg, 'src');
  const runs = [
    ['bun', bin('bun'), ['test', `./${src}`]],
    [
      'deno',
      bin('deno'),
      [
        'test',
        '--config',
        'scripts/deno/deno.json',
        '--no-check',
        '--allow-read',
        '--allow-env',
        src,
      ],
    ],
  ];
  for (const [runtime, cmd, args] of runs) {
    process.stdout.write(`\n=== ${runtime}: ${pkg} ===\n`);
    const r = spawnSync(cmd, args, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NO_COLOR: '1' },
    });
    const ok = r.status === 0;
    if (!ok) failed++;
    results.push(`${ok ? 'ok  ' : 'FAIL'} ${runtime.padEnd(5)} ${pkg}`);
  }
}
process.stdout.write(`\n${results.join('\n')}\n`);
if (packages.length === 0) {
  process.stderr.write('run-runtimes: no package to run\n');
  process.exit(1);
}
process.exit(failed === 0 ? 0 : 1);
