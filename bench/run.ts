// Runs the benchmarks named on the command line (`pnpm bench checksum`), or every one of them
// (`pnpm bench all`); with no topic it lists them. Each topic is a `<topic>.ts` file beside
// this one and runs in its own Node process, so one benchmark's JIT state and heap cannot skew
// the next. Everything from the first `-`-prefixed argument on (`--quick`, `--sizes 1GiB`) is
// handed to every topic that runs.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const topics = readdirSync(here)
  .filter((name) => name.endsWith('.ts') && name !== 'run.ts' && !name.endsWith('.d.ts'))
  .map((name) => name.slice(0, -'.ts'.length))
  .sort();

/** First line of the topic's leading `//` comment: what it measures. */
function summary(topic: string): string {
  const first = readFileSync(join(here, `${topic}.ts`), 'utf8')
    .split('\n')
    .find((line) => line.startsWith('//'));
  return first === undefined ? '' : first.replace(/^\/\/\s*/, '');
}

const argv = process.argv.slice(2).filter((arg) => arg !== '--');
const firstFlag = argv.findIndex((arg) => arg.startsWith('-'));
const wanted = firstFlag < 0 ? argv : argv.slice(0, firstFlag);
const flags = firstFlag < 0 ? [] : argv.slice(firstFlag);

if (wanted.length === 0) {
  const width = Math.max(...topics.map((t) => t.length));
  console.log(
    'Benchmarks (run one with `pnpm bench <topic> [flags]`, all with `pnpm bench all`):\n',
  );
  for (const topic of topics) console.log(`  ${topic.padEnd(width)}  ${summary(topic)}`);
  console.log('\nFlags are passed to the topic; see bench/README.md for each topic’s flags.');
  process.exit(0);
}

const selected = wanted.includes('all') ? topics : wanted;
const unknown = selected.filter((topic) => !topics.includes(topic));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(', ')}. Available: ${topics.join(', ')}.`);
  process.exit(2);
}

for (const topic of selected) {
  console.log(`\n# ${topic}\n`);
  // --conditions=source: import workspace packages from src/, no build step needed.
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', '--expose-gc', join(here, `${topic}.ts`), ...flags],
    { cwd: here, stdio: 'inherit' },
  );
  if (result.status !== 0) {
    console.error(`Benchmark ${topic} failed (exit ${result.status ?? result.signal}).`);
    process.exit(1);
  }
}
