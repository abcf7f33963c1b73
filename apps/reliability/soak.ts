// The full soak: `pnpm test:soak` (or `pnpm --filter reliability run soak -- --seed 7`).
// Options: --seed N, --uploads N, --max-size SIZE, --part-sizes SIZE,SIZE, --concurrency N,
// --parallel N, --timeout MS, --slow MS, --rates STATUS,RESET,DROP,SLOW, --flip-rate P,
// --json FILE (write the whole report).
// Exits 1 when any promise was broken (corruption, untyped error, orphan upload, leftover
// checkpoint, unhandled rejection, memory growth).
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseByteSize } from '@ossup/part-planner';
import { runSoak } from './src/soak-runner.ts';
import { mib, soakTable } from './src/table.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '20240501' },
    uploads: { type: 'string', default: '200' },
    'max-size': { type: 'string', default: '200MiB' },
    'part-sizes': { type: 'string', default: '1MiB,5MiB,8MiB' },
    'min-part-size': { type: 'string', default: '100KiB' },
    concurrency: { type: 'string', default: '4' },
    parallel: { type: 'string', default: '4' },
    timeout: { type: 'string', default: '5000' },
    slow: { type: 'string', default: '6000' },
    rates: { type: 'string', default: '0.05,0.02,0.01,0.01' },
    'flip-rate': { type: 'string', default: '0.005' },
    json: { type: 'string' },
  },
});

const int = (name: string, text: string | undefined): number => {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a whole number`);
  return n;
};

function rates(text: string) {
  const [status, reset, drop, slow] = text.split(',').map(Number);
  if ([status, reset, drop, slow].some((r) => r === undefined || !(r >= 0 && r < 1)))
    throw new Error('--rates must be four probabilities: status,reset,drop,slow');
  return { status: status!, reset: reset!, drop: drop!, slow: slow! };
}

const options = {
  seed: int('seed', values.seed),
  uploads: int('uploads', values.uploads),
  maxSize: parseByteSize(values['max-size']!),
  partSizes: values['part-sizes']!.split(',').map((s) => parseByteSize(s.trim())),
  minPartSize: parseByteSize(values['min-part-size']!),
  concurrency: int('concurrency', values.concurrency),
  parallel: int('parallel', values.parallel),
  timeoutMs: int('timeout', values.timeout),
  slowMs: int('slow', values.slow),
  rates: rates(values.rates!),
  flipRate: Number(values['flip-rate']),
};
console.log(
  `soak: seed ${options.seed}, ${options.uploads} uploads up to ${mib(options.maxSize)}, ` +
    `parts ${options.partSizes.map(mib).join('/')}, ${options.concurrency} at once × ${options.parallel}`,
);
const report = await runSoak({ ...options, log: (line) => console.log(line) });
console.log(`\n${soakTable(report)}\n`);
// Memory must not creep: the last third of the run may not use much more than the first.
const growth = report.rssLastThird - report.rssFirstThird;
if (growth > 128 * 1024 * 1024) {
  report.violations.push(`RSS grew by ${mib(growth)} between the first and last thirds`);
}
if (values.json) {
  await writeFile(
    values.json,
    JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2),
  );
}
if (report.violations.length > 0) {
  console.log('VIOLATIONS:');
  for (const v of report.violations) console.log(`  ${v}`);
  process.exitCode = 1;
} else {
  console.log('No violations: every upload verified or failed typed, nothing lost or left over.');
}
