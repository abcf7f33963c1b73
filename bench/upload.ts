// Uploader throughput, CPU and peak RSS: ossup vs ali-oss vs a raw node:http ceiling, on a discard sink and on the dev server.
//
// One run, same server processes, same files, same part size (8 MiB) and parallelism (4) for
// every contender:
//   ossup          upload() with its defaults (CRC-64 on), createNodeClient + fromFile
//   ossup-md5      the same with contentMd5: true
//   ossup-no-crc   the same with crc64: false (no integrity work at all)
//   ali-oss        ali-oss 6.23.0 multipartUpload(key, path) (streams each part from disk; no
//                  checksum of its own on Node)
//   raw            the ceiling: keep-alive node:http PUTs of the same parts, no hashing, no
//                  signing, no XML library (lib/raw-upload.ts)
// Each upload runs in a fresh child process (lib/upload-contender.ts): its wall time, CPU time
// (process.cpuUsage, all threads) and peak RSS (VmHWM) are its own. Targets: a discard sink in
// its own process (lib/oss-sink.ts: measures the client) and the dev server in its own process
// (anonymous: true so the raw client need not sign; signed requests are still verified).
// Flags: --sizes 1GiB,4GiB  --quick  --rounds N  --targets sink,dev-server
//        --contenders a,b  --server-data tmpfs|disk  --profile

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeClient } from '@ossup/node';
import { buildPackages, type Child, type Message, startChild } from './lib/child.ts';
import { formatProfile, type ProfileSummary, summarizeProfile } from './lib/cpu-profile.ts';
import { listFlag, parseFlags } from './lib/flags.ts';
import { environment, markdownTable, mbPerSecond } from './lib/measure.ts';
import { formatSize, mib, parseSize } from './lib/proc-stats.ts';
import { machineBusySeconds, waitForQuiet } from './lib/system-cpu.ts';
import { ramDir, writeRandomFile } from './lib/test-file.ts';
import { CONTENDERS, type Contender, type UploadJob, type UploadReport } from './lib/upload-job.ts';

const USAGE = `pnpm bench upload [flags]
  --sizes 1GiB,4GiB      file sizes (default 1GiB,4GiB)
  --quick                1 GiB only, one round (about a minute)
  --rounds N             uploads per contender, target and size; the fastest counts (default 2)
  --targets sink,dev-server   where to upload (default both)
  --contenders a,b       subset of ${CONTENDERS.join(',')}
  --server-data tmpfs|disk    where the dev server stores data (default tmpfs: /dev/shm)
  --max-wait S           before each upload, wait up to S seconds for the machine to be quiet
                         (other processes under 0.25 core); 0: do not wait (default 10)
  --profile              also write a CPU profile of every upload and summarise it`;

const here = dirname(fileURLToPath(import.meta.url));
const flags = parseFlags(
  process.argv.slice(2),
  ['sizes', 'rounds', 'targets', 'contenders', 'server-data', 'max-wait'],
  ['quick', 'profile'],
  USAGE,
);
const quick = flags.has('quick');
const sizes = listFlag(flags, 'sizes', quick ? ['1GiB'] : ['1GiB', '4GiB']).map(parseSize);
const rounds = Number(flags.get('rounds') ?? (quick ? 1 : 2));
const targets = listFlag(flags, 'targets', ['sink', 'dev-server']) as ('sink' | 'dev-server')[];
const contenders = listFlag(flags, 'contenders', CONTENDERS) as Contender[];
const serverData = flags.get('server-data') ?? 'tmpfs';
const profile = flags.has('profile');
const maxWait = Number(flags.get('max-wait') ?? 10);
for (const t of targets)
  if (t !== 'sink' && t !== 'dev-server') throw new Error(`Unknown target ${t}.\n${USAGE}`);
for (const c of contenders)
  if (!CONTENDERS.includes(c)) throw new Error(`Unknown contender ${c}.\n${USAGE}`);
if (!Number.isSafeInteger(rounds) || rounds < 1) throw new Error('--rounds must be >= 1');

const PART_SIZE = 8 * 1024 * 1024;
const PARALLEL = 4;
const BUCKET = 'bench';

interface Run {
  /** 1-minute load average when the upload started: above 1 on 2 cores, others competed. */
  readonly load: number;
  /** Cores' worth of CPU that other processes used during the upload (from /proc/stat). */
  readonly othersCores: number | undefined;
  /** CPU seconds the server process spent during the upload. */
  readonly serverCpuSeconds: number;
  readonly target: 'sink' | 'dev-server';
  readonly size: number;
  readonly contender: Contender;
  readonly round: number;
  readonly mbps: number;
  readonly report: UploadReport;
}

interface ServerReady extends Message {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { accessKeyId: string; accessKeySecret: string };
}

interface Stats extends Message {
  readonly userSeconds: number;
  readonly systemSeconds: number;
  readonly peakRssBytes: number;
  readonly bodyBytes?: number;
}

const started = performance.now();
console.log(environment());
console.log(
  `part size 8 MiB, parallel ${PARALLEL}, sizes ${sizes.map(formatSize).join(' + ')}, ${rounds} round(s), targets ${targets.join(' + ')}, dev server data on ${serverData}${profile ? ', PROFILING (times are distorted)' : ''}\n`,
);

// The contenders run the packages as published (dist/, plain JavaScript), as ali-oss runs
// its own: from src/ through tsx, ossup paid for transpiling the modules it loads on first
// use (the XML reader at the first multipart upload) inside the measured time.
buildPackages();

const workDir = await mkdtemp(join(ramDir(), 'ossup-bench-upload-'));
const dataRoot = serverData === 'disk' ? tmpdir() : ramDir();
const devDataDir = await mkdtemp(join(dataRoot, 'ossup-bench-dev-'));
const profileDir = join(here, 'results', 'profiles');
if (profile) await mkdir(profileDir, { recursive: true });
const children: Child[] = [];
const runs: Run[] = [];
const profiles: { name: string; summary: ProfileSummary }[] = [];
let devStats: Stats | undefined;
let waitedSeconds = 0;

try {
  const files = new Map<number, { path: string; crc: bigint }>();
  const t0 = performance.now();
  for (const size of sizes) {
    const path = join(workDir, `source-${formatSize(size).replace(' ', '')}.bin`);
    files.set(size, { path, crc: await writeRandomFile(path, size) });
  }
  console.log(
    `generated ${sizes.map(formatSize).join(' + ')} of random data in ${workDir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const sink = startChild('oss-sink.ts', []);
  children.push(sink);
  const sinkReady = await sink.next<ServerReady>('ready');
  const dev = startChild('dev-server-child.ts', [
    JSON.stringify({ dataDir: devDataDir, anonymous: true, buckets: [BUCKET] }),
  ]);
  children.push(dev);
  const devReady = await dev.next<ServerReady>('ready');
  const admin = createNodeClient({
    endpoint: devReady.endpoint,
    region: devReady.region,
    credentials: devReady.credentials,
  });

  for (const target of targets) {
    for (const size of sizes) {
      for (let round = 1; round <= rounds; round++) {
        // Rotate the order each round, so no contender always follows the same one.
        const shift = (round - 1) % contenders.length;
        const order = [...contenders.slice(shift), ...contenders.slice(0, shift)];
        for (const contender of order) {
          const file = files.get(size)!;
          const key = `bench/${contender}-${size}-${round}`;
          const server = target === 'sink' ? sinkReady : devReady;
          const name = `${target}-${formatSize(size).replace(' ', '')}-${contender}-r${round}`;
          const child = startChild('upload-contender.ts', [], { builtPackages: true });
          const profileFile = profile ? join(profileDir, `${name}.cpuprofile`) : undefined;
          const job: UploadJob = {
            type: 'go',
            contender,
            endpoint: server.endpoint,
            region: target === 'sink' ? 'cn-hangzhou' : devReady.region,
            accessKeyId: target === 'sink' ? 'bench' : devReady.credentials.accessKeyId,
            accessKeySecret:
              target === 'sink' ? 'bench-secret' : devReady.credentials.accessKeySecret,
            bucket: BUCKET,
            key,
            file: file.path,
            partSize: PART_SIZE,
            parallel: PARALLEL,
            ...(profileFile === undefined ? {} : { profileFile }),
          };
          child.send(job);
          const prepared = await child.next<Message & { message?: string }>(['prepared', 'error']);
          if (prepared.type === 'error') throw new Error(`${name} failed: ${prepared.message}`);
          // Wait for a quiet moment, then read every counter just before the upload starts.
          const quiet = maxWait > 0 ? await waitForQuiet(maxWait) : undefined;
          waitedSeconds += quiet?.waited ?? 0;
          const serverProcess = target === 'sink' ? sink : dev;
          const serverBefore = await serverProcess.ask<Stats>({ type: 'stats' }, 'stats');
          const load = loadavg()[0] ?? 0;
          const busyBefore = machineBusySeconds();
          const selfBefore = process.cpuUsage();
          child.send({ type: 'start' });
          const answer = await child.next<UploadReport | (Message & { message: string })>([
            'result',
            'error',
          ]);
          const busyAfter = machineBusySeconds();
          const self = process.cpuUsage(selfBefore);
          const serverAfter = await serverProcess.ask<Stats>({ type: 'stats' }, 'stats');
          await child.exited;
          if (answer.type === 'error') {
            throw new Error(`${name} failed: ${(answer as { message: string }).message}`);
          }
          const report = answer as UploadReport;
          // Check that the whole file arrived, so a contender cannot win by sending less.
          if (target === 'sink') {
            const received = (serverAfter.bodyBytes ?? 0) - (serverBefore.bodyBytes ?? 0);
            if (received < size || received > size + (1 << 20)) {
              throw new Error(
                `${name}: the sink received ${received} bytes for a ${size}-byte file.`,
              );
            }
          } else {
            const head = await admin.headObject({ bucket: BUCKET, key });
            if (head.size !== size || head.crc64 !== file.crc) {
              throw new Error(
                `${name}: the dev server holds ${head.size} bytes with CRC-64 ${head.crc64}, expected ${size} bytes with ${file.crc}.`,
              );
            }
            await admin.deleteObject({ bucket: BUCKET, key });
          }
          const serverCpu =
            serverAfter.userSeconds +
            serverAfter.systemSeconds -
            serverBefore.userSeconds -
            serverBefore.systemSeconds;
          // CPU the rest of the machine used meanwhile: all busy time minus the contender's,
          // the server's and this process's. The client's process also spent a little after
          // its upload (reporting), so this slightly overstates the others.
          const othersCores =
            busyBefore === undefined || busyAfter === undefined
              ? undefined
              : Math.max(
                  0,
                  (busyAfter -
                    busyBefore -
                    report.cpuSeconds -
                    serverCpu -
                    (self.user + self.system) / 1e6) /
                    report.seconds,
                );
          const run: Run = {
            load,
            othersCores,
            serverCpuSeconds: serverCpu,
            target,
            size,
            contender,
            round,
            mbps: mbPerSecond(size, report.seconds),
            report,
          };
          runs.push(run);
          console.log(
            `${name.padEnd(34)} ${run.mbps.toFixed(0).padStart(5)} MB/s  cpu ${report.cpuSeconds.toFixed(2)} s  peak RSS ${mib(report.peakRssBytes)} MiB  server cpu ${serverCpu.toFixed(2)} s  others ${othersCores === undefined ? '?' : othersCores.toFixed(2)} cores${report.warnings.length ? `  warnings: ${report.warnings.join(',')}` : ''}`,
          );
          if (profile) {
            // Inclusive time of the steps of one part: read, hash, sign, send.
            const summary = summarizeProfile(profileFile!, [
              /^(crc64|md5|bodySums|sendPart|writeBody|uploadPart|_uploadPart|signV4|authorization|_createStream|rawRequest)$/,
              /^read$/,
            ]);
            profiles.push({ name, summary });
          }
        }
      }
    }
  }
  devStats = await dev.ask<Stats>({ type: 'stats' }, 'stats');
} finally {
  await Promise.all(children.map((c) => c.stop()));
  await rm(workDir, { recursive: true, force: true });
  await rm(devDataDir, { recursive: true, force: true });
}

// ---- report ---------------------------------------------------------------------------------

/** The fastest run of each contender per target and size. */
function best(target: string, size: number, contender: Contender): Run | undefined {
  return runs
    .filter((r) => r.target === target && r.size === size && r.contender === contender)
    .sort((a, b) => b.mbps - a.mbps)[0];
}

const tables: string[] = [];
for (const target of targets) {
  for (const size of sizes) {
    const ali = best(target, size, 'ali-oss');
    const raw = best(target, size, 'raw');
    const rows = contenders.map((c) => {
      const r = best(target, size, c)!;
      const rep = r.report;
      return [
        c,
        r.mbps.toFixed(0),
        ali ? `${(r.mbps / ali.mbps).toFixed(2)}x` : '-',
        raw ? `${((100 * r.mbps) / raw.mbps).toFixed(0)}%` : '-',
        rep.cpuSeconds.toFixed(2),
        ((rep.cpuSeconds / size) * 1e9).toFixed(2),
        mib(rep.peakRssBytes),
        mib(rep.peakRssBytes - rep.baselinePeakRssBytes),
        r.serverCpuSeconds.toFixed(2),
        r.othersCores === undefined ? '?' : r.othersCores.toFixed(2),
      ];
    });
    tables.push(
      `### ${target}, ${formatSize(size)}\n\n${markdownTable(
        [
          'contender',
          'MB/s',
          'vs ali-oss',
          'of raw',
          'CPU s',
          'CPU s/GB',
          'peak RSS MiB',
          'RSS growth MiB',
          'server CPU s',
          'others (cores)',
        ],
        rows,
      )}`,
    );
  }
}

interface Target {
  readonly name: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}
const checks: Target[] = [];
const ratio = (a: Run | undefined, b: Run | undefined) => (a && b ? a.mbps / b.mbps : undefined);
for (const size of sizes) {
  const s = (c: Contender) => best('sink', size, c);
  const label = formatSize(size);
  const add = (name: string, value: number | undefined, goal: number, unit: 'x' | '%') => {
    checks.push({
      name: `${name} (sink, ${label})`,
      measured:
        value === undefined
          ? 'not measured'
          : unit === 'x'
            ? `${value.toFixed(2)}x`
            : `${(value * 100).toFixed(0)}%`,
      met: value === undefined ? undefined : value >= goal,
    });
  };
  add('ossup defaults >= 1.3x ali-oss', ratio(s('ossup'), s('ali-oss')), 1.3, 'x');
  add('ossup Content-MD5 >= 1.0x ali-oss', ratio(s('ossup-md5'), s('ali-oss')), 1.0, 'x');
  add('ossup integrity off >= 85% of raw', ratio(s('ossup-no-crc'), s('raw')), 0.85, '%');
  const o = s('ossup');
  const a = s('ali-oss');
  checks.push({
    name: `ossup defaults peak RSS <= ali-oss (sink, ${label})`,
    measured:
      o && a
        ? `${mib(o.report.peakRssBytes)} vs ${mib(a.report.peakRssBytes)} MiB`
        : 'not measured',
    met: o && a ? o.report.peakRssBytes <= a.report.peakRssBytes : undefined,
  });
}
if (sizes.length > 1) {
  const small = best('sink', Math.min(...sizes), 'ossup');
  const large = best('sink', Math.max(...sizes), 'ossup');
  // "Flat": the larger file's peak within 10% of the smaller one's.
  checks.push({
    name: `ossup defaults peak RSS flat from ${formatSize(Math.min(...sizes))} to ${formatSize(Math.max(...sizes))} (within 10%, sink)`,
    measured:
      small && large
        ? `${mib(small.report.peakRssBytes)} -> ${mib(large.report.peakRssBytes)} MiB`
        : 'not measured',
    met: small && large ? large.report.peakRssBytes <= small.report.peakRssBytes * 1.1 : undefined,
  });
}

console.log(`\n${tables.join('\n\n')}\n`);
console.log(
  markdownTable(
    ['target', 'measured', 'met'],
    checks.map((c) => [c.name, c.measured, c.met === undefined ? '-' : c.met ? 'yes' : 'NO']),
  ),
);
if (devStats) {
  console.log(
    `\ndev server process over the whole run: ${(devStats.userSeconds + devStats.systemSeconds).toFixed(1)} CPU s, peak RSS ${mib(devStats.peakRssBytes)} MiB`,
  );
}
for (const p of profiles)
  console.log(`\n${formatProfile(`${p.name}, main thread during the upload`, p.summary)}`);

const seconds = (performance.now() - started) / 1000;
console.log(
  `\ntotal ${seconds.toFixed(0)} s (${waitedSeconds.toFixed(0)} s of it waiting for a quiet machine); at the end: ${environment()}`,
);
await mkdir(join(here, 'results'), { recursive: true });
await writeFile(
  join(here, 'results', profile ? 'upload-profile.json' : 'upload.json'),
  `${JSON.stringify(
    {
      topic: 'upload',
      date: new Date().toISOString(),
      environment: environment(),
      config: {
        partSize: PART_SIZE,
        parallel: PARALLEL,
        sizes,
        rounds,
        targets,
        contenders,
        serverData,
        profile,
      },
      totalSeconds: seconds,
      waitedSeconds,
      best: targets.flatMap((target) =>
        sizes.flatMap((size) =>
          contenders.map((c) => {
            const r = best(target, size, c)!;
            return { target, size, contender: c, mbps: r.mbps, ...strip(r.report) };
          }),
        ),
      ),
      targets: checks,
      devServer: devStats ? strip(devStats) : undefined,
      runs: runs.map((r) => ({
        target: r.target,
        size: r.size,
        contender: r.contender,
        round: r.round,
        mbps: r.mbps,
        ...strip(r.report),
      })),
      profiles,
    },
    null,
    2,
  )}\n`,
);
console.log(`results written to bench/results/${profile ? 'upload-profile' : 'upload'}.json`);

function strip<T extends Message>(m: T): Omit<T, 'type'> {
  const { type: _type, ...rest } = m;
  return rest;
}
