#!/usr/bin/env node
// Release readiness of every public package, checked on the artifacts users would install:
//
//  1. build (turbo), and refuse stale files in dist/ (a .js whose source is gone);
//  2. `pnpm pack` each package (workspace ranges and publishConfig applied, as `pnpm publish`
//     would), then check the tarball: every file named by exports/main/types/bin is inside,
//     LICENSE and README are, no test file or TypeScript-source export condition is;
//  3. publint (strict: warnings fail) and are-the-types-wrong (esm-only profile) on each tarball;
//  4. install all tarballs with npm into a fresh temp project (registry dependencies such as
//     hash-wasm come from the npm registry), then under plain Node:
//     import every entry point and check that each value export of src/index.ts exists,
//     typecheck a consumer file with `module: nodenext`, run both bins, and upload a file to
//     the installed dev server with the installed client and verify it;
//  5. bundle `{ createClient, upload, fromBlob }` of the installed @ossup/client for browsers
//     (esbuild, minified, code splitting on) and print the gzip size of the core (the entry
//     chunk and every chunk it imports statically) and of the lazily loaded chunks (the
//     portable MD5, hash-wasm, is only fetched when MD5 is used; the client's on-demand.ts
//     when first needed);
//  6. run `changeset version` on a copy of the manifests and pending changesets, and check that
//     it writes a CHANGELOG.md for every public package with a pending change (none is bumped
//     or consumed in the repository).
//
// Usage: pnpm check:packages [--keep]     (--keep leaves the temp directory for inspection)
// Exits non-zero on the first failing step, saying which package and why.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const keep = process.argv.includes('--keep');
/**
 * Browser core of @ossup/client, minified + gzip, without the lazily loaded chunks (the MD5
 * implementation, and the client's on-demand.ts: XML bodies, checkpoints, the operations
 * `upload()` does not use). The target (issue #8: "under 25 KB") is reported; the ceiling
 * fails the check, so a regression (a dependency such as an XML library or hash-wasm pulled
 * into the core, a Node built-in polyfilled in, a static import of on-demand.ts or of a
 * package's main entry whose other modules it loads lazily) cannot slip through. The core was
 * 55.3 KiB with fast-xml-parser, about 34.7 KiB without it, and about 24.4 KB once on-demand.ts
 * took what a plain upload does not need up front. The ceiling leaves the core some room to
 * grow but fails if the XML reader (about 5 KB) or on-demand.ts comes back up front.
 */
const CLIENT_CORE_TARGET_BYTES = 25_000;
const CLIENT_CORE_CEILING_BYTES = 27_000;

const timings = [];
let stepStart = performance.now();
function step(name) {
  const now = performance.now();
  if (timings.length > 0) timings[timings.length - 1].ms = now - stepStart;
  stepStart = now;
  timings.push({ name, ms: 0 });
  console.log(`\n::: ${name}`);
}

function fail(message) {
  console.error(`\ncheck-packages: FAILED: ${message}`);
  process.exit(1);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, {
    cwd: options.cwd ?? root,
    encoding: 'utf8',
    stdio: options.capture ? 'pipe' : 'inherit',
    env: { ...process.env, ...options.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) fail(`${cmd} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0 && !options.allowFailure) {
    const output = options.capture ? `\n${result.stdout}${result.stderr}` : '';
    fail(`\`${cmd} ${args.join(' ')}\` exited with ${result.status}${output}`);
  }
  return result;
}

// ---- the public packages -------------------------------------------------------------------

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir: join(root, 'packages', dir), short: dir }))
  .filter((p) => existsSync(join(p.dir, 'package.json')))
  .map((p) => ({ ...p, manifest: JSON.parse(readFileSync(join(p.dir, 'package.json'), 'utf8')) }))
  .filter((p) => p.manifest.private !== true);
if (packages.length === 0) fail('no public package found under packages/');
console.log(`public packages: ${packages.map((p) => p.manifest.name).join(', ')}`);

const REQUIRED_FIELDS = [
  'name',
  'version',
  'description',
  'license',
  'repository',
  'type',
  'sideEffects',
  'engines',
  'exports',
  'types',
  'files',
  'publishConfig',
];
for (const { manifest, short } of packages) {
  for (const field of REQUIRED_FIELDS) {
    if (manifest[field] === undefined) fail(`packages/${short}/package.json has no "${field}"`);
  }
  if (manifest.repository.directory !== `packages/${short}`) {
    fail(`packages/${short}/package.json: repository.directory must be "packages/${short}"`);
  }
  if (manifest.publishConfig.access !== 'public') {
    fail(`packages/${short}/package.json: publishConfig.access must be "public" (scoped package)`);
  }
  if (
    readFileSync(join(root, 'packages', short, 'LICENSE'), 'utf8') !==
    readFileSync(join(root, 'LICENSE'), 'utf8')
  ) {
    fail(`packages/${short}/LICENSE differs from the root LICENSE`);
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'ossup-check-packages-'));
const tarballDir = join(tmp, 'tarballs');
mkdirSync(tarballDir);
process.on('exit', () => {
  if (keep) console.log(`\n(temp directory kept: ${tmp})`);
  else rmSync(tmp, { recursive: true, force: true });
});

// ---- 1. build -------------------------------------------------------------------------------

step('build (turbo)');
run(bin('turbo'), ['run', 'build', ...packages.map((p) => `--filter=${p.manifest.name}`)]);

step('no stale files in dist/');
function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}
for (const { dir, short } of packages) {
  for (const file of walk(join(dir, 'dist'))) {
    const rel = relative(join(dir, 'dist'), file);
    const m = /^(.*)\.(?:js|d\.ts)(?:\.map)?$/.exec(rel);
    if (m === null) continue; // bundles and binaries (cli's ossup.mjs) are not tsc output
    if (!existsSync(join(dir, 'src', `${m[1]}.ts`))) {
      fail(
        `packages/${short}/dist/${rel} has no source (src/${m[1]}.ts); delete dist/ and rebuild`,
      );
    }
  }
}

// ---- 2. pack --------------------------------------------------------------------------------

step('pnpm pack');
for (const pkg of packages) {
  const before = new Set(readdirSync(tarballDir));
  run('pnpm', ['pack', '--pack-destination', tarballDir], { cwd: pkg.dir, capture: true });
  const made = readdirSync(tarballDir).filter((f) => !before.has(f));
  if (made.length !== 1) fail(`pnpm pack of ${pkg.manifest.name} made ${made.length} files`);
  pkg.tarball = join(tarballDir, made[0]);
}

step('tarball contents');
function exportTargets(exportsField) {
  const out = [];
  const visit = (value) => {
    if (typeof value === 'string') out.push(value);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(exportsField);
  return out;
}
for (const pkg of packages) {
  const listing = run('tar', ['tzf', pkg.tarball], { capture: true })
    .stdout.split('\n')
    .filter(Boolean);
  const files = new Set(listing.map((f) => f.replace(/^package\//, '')));
  const packed = JSON.parse(
    run('tar', ['xzf', pkg.tarball, '-O', 'package/package.json'], { capture: true }).stdout,
  );
  pkg.packed = packed;
  const name = packed.name;
  const text = JSON.stringify(packed);
  if (text.includes('workspace:'))
    fail(`${name}: the packed package.json still has a workspace: range`);
  if (JSON.stringify(packed.exports).includes('"source"')) {
    fail(
      `${name}: the packed exports still have the "source" condition (publishConfig.exports missing?)`,
    );
  }
  const referenced = [
    ...exportTargets(packed.exports),
    packed.main,
    packed.types,
    ...Object.values(typeof packed.bin === 'string' ? { bin: packed.bin } : (packed.bin ?? {})),
  ].filter((f) => f !== undefined);
  for (const target of referenced) {
    const path = target.replace(/^\.\//, '');
    if (!files.has(path))
      fail(`${name}: ${target} is referenced by package.json but not in the tarball`);
    if (/\.ts$/.test(path) && !/\.d\.ts$/.test(path))
      fail(`${name}: ${target} points at TypeScript source`);
  }
  for (const required of ['package.json', 'README.md', 'LICENSE']) {
    if (!files.has(required)) fail(`${name}: ${required} is not in the tarball`);
  }
  const unwanted = [...files].filter((f) =>
    /\.test\.|(^|\/)test\/|\.tsbuildinfo$|^dist\/ossup$/.test(f),
  );
  if (unwanted.length > 0) fail(`${name}: the tarball contains ${unwanted.slice(0, 5).join(', ')}`);
  const bytes = readFileSync(pkg.tarball).length;
  console.log(`${name}: ${files.size} files, ${(bytes / 1024).toFixed(1)} KiB packed`);
}

// ---- 3. publint and attw --------------------------------------------------------------------

step('publint (strict)');
for (const pkg of packages) {
  console.log(`-- ${pkg.manifest.name}`);
  run(bin('publint'), ['run', pkg.tarball, '--strict']);
}

step('are the types wrong (esm-only profile)');
for (const pkg of packages) {
  console.log(`-- ${pkg.manifest.name}`);
  run(bin('attw'), [
    pkg.tarball,
    '--profile',
    'esm-only',
    '--format',
    'table-flipped',
    '--no-emoji',
  ]);
}

// ---- 4. install into a fresh project and use it under Node ----------------------------------

step('npm install of the tarballs into a fresh project');
const project = join(tmp, 'consumer');
mkdirSync(project);
const fileSpecs = Object.fromEntries(packages.map((p) => [p.manifest.name, `file:${p.tarball}`]));
writeFileSync(
  join(project, 'package.json'),
  JSON.stringify(
    {
      name: 'ossup-consumer',
      private: true,
      type: 'module',
      dependencies: { ...fileSpecs, '@types/node': '20.19.43' },
      // Inter-package ranges ("@ossup/signer": "0.0.0") must resolve to these tarballs, not
      // to the registry.
      overrides: fileSpecs,
    },
    null,
    2,
  ),
);
run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
  cwd: project,
});

step('import every entry point under Node');
function valueExports(indexTs) {
  // `export { a, b as c } from './x.ts'` (not `export type { ... }`), as src/index.ts writes them.
  const names = [];
  for (const m of indexTs.matchAll(/export\s*\{([^}]*)\}\s*from/g)) {
    for (const part of m[1].split(',')) {
      const item = part.trim();
      if (item === '' || item.startsWith('type ')) continue;
      names.push(
        item
          .split(/\s+as\s+/)
          .pop()
          .trim(),
      );
    }
  }
  return names;
}
const importChecks = [];
for (const pkg of packages) {
  for (const subpath of Object.keys(pkg.packed.exports)) {
    if (subpath === './package.json') continue;
    const specifier =
      subpath === '.' ? pkg.manifest.name : `${pkg.manifest.name}/${subpath.slice(2)}`;
    const sourceFile = pkg.manifest.exports[subpath]?.source;
    const expected = sourceFile
      ? valueExports(readFileSync(join(pkg.dir, sourceFile), 'utf8'))
      : [];
    // The conformance suite imports vitest (an optional peer dependency): resolve it only.
    const importIt = !(
      pkg.manifest.name === '@ossup/checkpoint-store' && subpath === './conformance'
    );
    // Version constants compiled into the code must match the version being published.
    const versionExport = { '@ossup/cli': 'VERSION', '@ossup/client': 'CLIENT_VERSION' }[
      pkg.manifest.name
    ];
    const version =
      subpath === '.' && versionExport ? [versionExport, pkg.packed.version] : undefined;
    importChecks.push({ specifier, expected, importIt, version });
  }
}
writeFileSync(
  join(project, 'imports.mjs'),
  `const checks = ${JSON.stringify(importChecks)};
let failed = 0;
for (const { specifier, expected, importIt, version } of checks) {
  const resolved = import.meta.resolve(specifier);
  if (!resolved.includes('/node_modules/') || !/\\.js$/.test(resolved)) {
    console.error(specifier + ': resolves to ' + resolved); failed++; continue;
  }
  if (!importIt) { console.log(specifier + ': resolves to ' + resolved.replace(/.*node_modules\\//, '')); continue; }
  const mod = await import(specifier);
  const missing = expected.filter((name) => !(name in mod));
  if (missing.length > 0) { console.error(specifier + ': missing exports ' + missing.join(', ')); failed++; }
  else if (version && mod[version[0]] !== version[1]) {
    console.error(specifier + ': ' + version[0] + ' is ' + mod[version[0]] + ' but package.json says ' + version[1]); failed++;
  }
  else console.log(specifier + ': ' + Object.keys(mod).length + ' exports');
}
process.exit(failed === 0 ? 0 : 1);
`,
);
run(process.execPath, ['imports.mjs'], { cwd: project });

step('typecheck a consumer (module nodenext, skipLibCheck off)');
writeFileSync(
  join(project, 'consumer.ts'),
  `${packages.map((p, i) => `import type * as p${i} from '${p.manifest.name}';`).join('\n')}
import { createClient, fromBytes, upload, type UploadResult } from '@ossup/client';
import { createNodeClient, fileCheckpointStore, fromFile } from '@ossup/node';
import { startDevServer } from '@ossup/dev-server';
export type All = [${packages.map((_, i) => `typeof p${i}`).join(', ')}];
export async function demo(): Promise<UploadResult> {
  const server = await startDevServer({ buckets: ['b'] });
  const client = createClient({ endpoint: server.endpoint, region: server.region, credentials: server.credentials });
  void createNodeClient; void fileCheckpointStore; void fromFile;
  return upload(client, { source: fromBytes(new Uint8Array(1)), bucket: 'b', key: 'k' });
}
`,
);
writeFileSync(
  join(project, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      lib: ['ES2022', 'DOM'],
      types: ['node'],
      strict: true,
      noEmit: true,
      skipLibCheck: false,
    },
    files: ['consumer.ts'],
  }),
);
run(bin('tsc'), ['-p', join(project, 'tsconfig.json')]);

step('bins and an upload through the installed packages');
const ossupVersion = run(join(project, 'node_modules', '.bin', 'ossup'), ['--version'], {
  cwd: project,
  capture: true,
}).stdout.trim();
console.log(`ossup --version: ${ossupVersion}`);
const devHelp = run(join(project, 'node_modules', '.bin', 'ossup-dev-server'), ['--help'], {
  cwd: project,
  capture: true,
}).stdout;
if (!/Usage/i.test(devHelp)) fail(`ossup-dev-server --help printed no usage:\n${devHelp}`);
writeFileSync(
  join(project, 'smoke.mjs'),
  `import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc64 } from '@ossup/checksum';
import { upload } from '@ossup/client';
import { startDevServer } from '@ossup/dev-server';
import { createNodeClient, fileCheckpointStore, fromFile } from '@ossup/node';

const server = await startDevServer({ buckets: ['smoke'] });
try {
  const dir = await mkdtemp(join(tmpdir(), 'ossup-smoke-'));
  const data = new Uint8Array(9 * 1024 * 1024 + 7);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
  await writeFile(join(dir, 'data.bin'), data);
  const client = createNodeClient({ endpoint: server.endpoint, region: server.region, credentials: server.credentials });
  const source = await fromFile(join(dir, 'data.bin'));
  const result = await upload(client, { source, bucket: 'smoke', key: 'data.bin', checkpoint: fileCheckpointStore(join(dir, 'cp')) });
  await source.close();
  const head = await client.headObject({ bucket: 'smoke', key: 'data.bin' });
  if (head.size !== data.length || head.crc64 !== crc64(data) || result.parts.length !== 2) {
    throw new Error('smoke upload mismatch: ' + JSON.stringify({ size: head.size, parts: result.parts.length }));
  }
  console.log('uploaded ' + head.size + ' bytes in ' + result.parts.length + ' parts, CRC-64 ' + head.crc64);
} finally {
  await server.close();
}
`,
);
run(process.execPath, ['smoke.mjs'], { cwd: project });

// ---- 5. browser bundle size of the client ---------------------------------------------------

step('browser bundle of @ossup/client (esbuild, minified, gzip)');
const bundleDir = join(tmp, 'bundle');
writeFileSync(
  join(project, 'browser-entry.mjs'),
  "export { createClient, upload, fromBlob } from '@ossup/client';\n",
);
const { build } = await import('esbuild');
const built = await build({
  absWorkingDir: project,
  entryPoints: ['browser-entry.mjs'],
  bundle: true,
  minify: true,
  format: 'esm',
  splitting: true,
  platform: 'browser',
  target: 'es2022',
  outdir: bundleDir,
  metafile: true,
  logLevel: 'warning',
});
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const kb = (n) => `${n.toLocaleString('en')} bytes (${(n / 1000).toFixed(1)} KB)`;
const packageOf = (input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input;
const outputs = built.metafile.outputs;
// The core is the entry chunk plus every chunk it imports statically (esbuild moves code shared
// with a lazy chunk into such a chunk, and the browser loads it up front all the same).
const entryFile = Object.keys(outputs).find(
  (file) => relative(bundleDir, join(project, file)) === 'browser-entry.js',
);
if (entryFile === undefined) fail('esbuild wrote no browser-entry.js');
const coreFiles = new Set([entryFile]);
for (const pending = [entryFile]; pending.length > 0; ) {
  for (const { path, kind } of outputs[pending.pop()].imports) {
    if (kind === 'import-statement' && !coreFiles.has(path)) {
      coreFiles.add(path);
      pending.push(path);
    }
  }
}
const core = { files: [], min: 0, gzip: 0, byPackage: new Map() };
const lazy = [];
for (const [file, info] of Object.entries(outputs)) {
  if (!file.endsWith('.js')) continue;
  const bytes = readFileSync(join(project, file));
  const byPackage = coreFiles.has(file) ? core.byPackage : new Map();
  for (const [input, { bytesInOutput }] of Object.entries(info.inputs)) {
    byPackage.set(packageOf(input), (byPackage.get(packageOf(input)) ?? 0) + bytesInOutput);
  }
  const chunk = {
    file: relative(bundleDir, join(project, file)),
    min: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    byPackage: [...byPackage].sort((a, b) => b[1] - a[1]),
  };
  if (coreFiles.has(file)) {
    core.files.push(chunk.file);
    core.min += chunk.min;
    core.gzip += chunk.gzip;
  } else lazy.push(chunk);
}
console.log(
  `core (loaded up front: ${core.files.join(', ')}): ${kib(core.min)} minified, ${kib(core.gzip)} gzip`,
);
for (const [name, bytes] of [...core.byPackage].sort((a, b) => b[1] - a[1]))
  console.log(`  ${name.padEnd(28)} ${kib(bytes)} minified`);
for (const chunk of lazy) {
  const names = chunk.byPackage.map(([name]) => name).join(', ');
  console.log(
    `lazy chunk (loaded on first use) ${chunk.file}: ${kib(chunk.min)} minified, ${kib(chunk.gzip)} gzip: ${names}`,
  );
}
const overCeiling = core.gzip > CLIENT_CORE_CEILING_BYTES;
console.log(
  `@ossup/client browser core: ${kb(core.gzip)} gzip; target under ${kb(CLIENT_CORE_TARGET_BYTES)}: ${core.gzip >= CLIENT_CORE_TARGET_BYTES ? 'NOT MET' : 'met'}; ceiling ${kb(CLIENT_CORE_CEILING_BYTES)}: ${overCeiling ? 'EXCEEDED' : 'ok'}`,
);

// ---- 6. changelogs: a dry run of `changeset version` -------------------------------------

step('changelogs (dry run of changeset version on a copy of the manifests)');
// The release step that writes each package's CHANGELOG.md, run on a copy of the workspace's
// manifests and pending changesets so nothing here is bumped or consumed: it must succeed
// (valid changesets, known package names, ignore list in order) and give every public package
// with a pending change a CHANGELOG.md, and none to a private one.
const dryRun = join(tmp, 'changeset-dry-run');
const copyFile = (from) => {
  const to = join(dryRun, relative(root, from));
  mkdirSync(dirname(to), { recursive: true });
  writeFileSync(to, readFileSync(from));
};
for (const file of ['package.json', 'pnpm-workspace.yaml']) copyFile(join(root, file));
for (const file of readdirSync(join(root, '.changeset'))) copyFile(join(root, '.changeset', file));
const workspaceDirs = ['packages', 'apps'].flatMap((parent) =>
  readdirSync(join(root, parent)).map((dir) => join(root, parent, dir)),
);
for (const dir of [...workspaceDirs, join(root, 'bench'), join(root, 'docs', 'examples')]) {
  if (existsSync(join(dir, 'package.json'))) copyFile(join(dir, 'package.json'));
}
const pending = readdirSync(join(root, '.changeset')).filter(
  (f) => f.endsWith('.md') && f !== 'README.md',
);
run(bin('changeset'), ['version'], { cwd: dryRun, capture: true });
const changed = [];
for (const { short, manifest } of packages) {
  const mentioned = pending.some((f) =>
    readFileSync(join(root, '.changeset', f), 'utf8').includes(`"${manifest.name}"`),
  );
  const changelog = join(dryRun, 'packages', short, 'CHANGELOG.md');
  if (mentioned && !existsSync(changelog))
    fail(`changeset version wrote no CHANGELOG.md for ${manifest.name}`);
  if (!existsSync(changelog)) continue;
  const version = JSON.parse(
    readFileSync(join(dryRun, 'packages', short, 'package.json'), 'utf8'),
  ).version;
  if (!readFileSync(changelog, 'utf8').includes(`## ${version}`)) {
    fail(
      `the CHANGELOG.md changeset version wrote for ${manifest.name} has no "## ${version}" entry`,
    );
  }
  changed.push(`${manifest.name} ${manifest.version} -> ${version}`);
}
for (const dir of workspaceDirs) {
  if (!existsSync(join(dir, 'package.json'))) continue;
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (manifest.private === true && existsSync(join(dryRun, relative(root, dir), 'CHANGELOG.md'))) {
    fail(`changeset version wrote a CHANGELOG.md for the private package ${manifest.name}`);
  }
}
console.log(`${pending.length} pending changesets; the next release would write changelogs for:`);
for (const line of changed) console.log(`  ${line}`);

step('done');
console.log('\ntimings:');
for (const t of timings.slice(0, -1))
  console.log(`  ${t.name.padEnd(62)} ${(t.ms / 1000).toFixed(1)} s`);
const total = timings.slice(0, -1).reduce((s, t) => s + t.ms, 0);
console.log(`  ${'total'.padEnd(62)} ${(total / 1000).toFixed(1)} s`);
if (overCeiling) {
  fail(
    `the @ossup/client browser core is ${kb(core.gzip)} gzip, over the ${kb(CLIENT_CORE_CEILING_BYTES)} ceiling`,
  );
}
console.log('\ncheck-packages: all good');
