#!/usr/bin/env node
// The quick start: on a machine with only Node 20 and npm, set everything up, start the local
// OSS server, upload a few hundred MiB with the progress bar, interrupt the upload, resume
// it, and verify the object's CRC-64 against the file's. Run with `npm run quickstart`.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM = '12.4.2';
const SIZE_MIB = Number(process.env.QUICKSTART_MIB ?? 384);
const say = (s) => process.stdout.write(`\n\x1b[1m▸ ${s}\x1b[0m\n`);

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    process.stderr.write(`quickstart: \`${cmd} ${args.join(' ')}\` failed (exit ${r.status}).\n`);
    process.exit(1);
  }
}

// 1. Tooling: pnpm, dependencies, the CLI bundle.
const havePnpm = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
if (havePnpm.status !== 0 || havePnpm.stdout.trim() !== PNPM) {
  say(`installing pnpm ${PNPM}`);
  sh('npm', ['install', '-g', `pnpm@${PNPM}`]);
}
say('installing dependencies');
sh('pnpm', ['install', '--frozen-lockfile']);
say('building the ossup CLI');
sh('pnpm', ['--filter', '@ossup/cli', 'run', 'bundle'], {
  env: { ...process.env, OSSUP_SKIP_BINARY: '1' },
});
// The independent check at the end reads the file's CRC-64 with @ossup/checksum: built now, so
// that its build output does not land in the middle of the report.
sh('pnpm', ['--filter', '@ossup/checksum', 'run', 'build']);

const ossupJs = join(root, 'packages', 'cli', 'dist', 'ossup.mjs');
const work = mkdtempSync(join(tmpdir(), 'ossup-quickstart-'));
// A private state dir: the quick start never touches a server or checkpoints of yours.
const env = { ...process.env, OSSUP_STATE_DIR: join(work, 'state') };
const ossup = (args, opts = {}) => spawn(process.execPath, [ossupJs, ...args], { env, ...opts });

let server;
function cleanup() {
  if (server && server.exitCode === null) server.kill('SIGINT');
  rmSync(work, { recursive: true, force: true });
}
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

// 2. The local server.
say('starting the local OSS server (ossup serve)');
server = ossup(['serve', '--port', '0', '--bucket', 'quickstart', '--data', join(work, 'data')], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((resolve, reject) => {
  let text = '';
  server.stdout.on('data', (d) => {
    text += d;
    process.stdout.write(d);
    if (text.includes('Press Ctrl+C')) resolve();
  });
  server.once('exit', (code) => reject(new Error(`ossup serve exited with ${code}`)));
});

// 3. A test file.
const file = join(work, 'quickstart.bin');
say(`generating a ${SIZE_MIB} MiB test file`);
{
  const chunk = randomBytes(1 << 20);
  const fd = [];
  for (let i = 0; i < SIZE_MIB; i++) {
    chunk.writeUInt32LE(i, 0); // every MiB differs, so a misplaced part would show
    fd.push(Buffer.from(chunk));
  }
  writeFileSync(file, Buffer.concat(fd));
}

const dest = 'oss://quickstart/demo/quickstart.bin';
// --local: the server started above, whatever OSS credentials or profile your shell has.
const cpArgs = ['cp', file, dest, '--local', '--progress', 'bar'];

// 4. Upload, capped at 96 MiB/s so there is time to watch; interrupt it part-way.
say(`ossup cp ${file} ${dest} --local --max-rate 96MiB   (will be interrupted at ~40%)`);
const first = ossup([...cpArgs, '--max-rate', '96MiB'], { stdio: ['ignore', 'inherit', 'pipe'] });
let interrupted = false;
first.stderr.on('data', (d) => {
  process.stderr.write(d);
  const pcts = [...String(d).matchAll(/(\d+(?:\.\d)?)%/g)].map((m) => Number(m[1]));
  if (!interrupted && pcts.some((p) => p >= 40 && p < 100)) {
    interrupted = true;
    first.kill('SIGINT');
  }
});
const firstCode = await new Promise((r) => first.once('exit', r));
if (firstCode !== 130) {
  process.stderr.write(
    `quickstart: expected the interrupted upload to exit with 130, got ${firstCode}.\n`,
  );
  process.exit(1);
}

// 5. The same command again resumes.
say('running the same command again: it resumes from the parts already stored');
const second = ossup(cpArgs, { stdio: 'inherit' });
const secondCode = await new Promise((r) => second.once('exit', r));
if (secondCode !== 0) process.exit(1);

// 6. Verify independently: CRC-64 of the local file vs the object's.
say('verifying: CRC-64 of the local file vs the object on the server');
const { createCrc64 } = await import(join(root, 'packages', 'checksum', 'dist', 'index.js')).catch(
  async () => {
    sh('pnpm', ['--filter', '@ossup/checksum', 'run', 'build']);
    return import(join(root, 'packages', 'checksum', 'dist', 'index.js'));
  },
);
const crc = createCrc64();
for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) crc.update(chunk);
const local = crc.digest().toString();
const statOut = spawnSync(process.execPath, [ossupJs, 'stat', dest, '--local', '--json'], {
  env,
  encoding: 'utf8',
});
const remote = JSON.parse(statOut.stdout.trim().split('\n').pop()).crc64;
process.stdout.write(`  local file CRC-64:  ${local}\n  object CRC-64:      ${remote}\n`);
if (local !== String(remote)) {
  process.stderr.write('quickstart: CRC-64 MISMATCH\n');
  process.exit(1);
}
say(
  `done: ${SIZE_MIB} MiB uploaded, interrupted, resumed and verified. Next: \`pnpm test\` runs the test suite.`,
);
process.exit(0);
