// Dev server ingest: sustained MB/s of parallel UploadPart on loopback vs a minimal node:http sink writing the same bytes to disk.
//
// One fixed raw client (in this process: node:http keep-alive agent, N parallel PUTs of 8 MiB
// parts cycled from 4 random buffers, Content-MD5 on every part) sends the same bytes to:
//   dev-server      @ossup/dev-server, anonymous: true (nothing to sign), in a child process:
//                   MD5 + CRC-64 of every body (worker threads), Content-MD5 checked, write,
//                   fdatasync, rename, directory fsync
//   sink-fsync      lib/disk-sink.ts: the same file I/O (1 MiB+ vectored writes, fdatasync,
//                   rename, directory fsync), no hashing, no auth, no XML: the ceiling
//   sink-no-fsync   the same without any fsync (the page-cache ceiling)
//   dev-server-inline  (only with --contenders) the dev server with hashWorkers: 0
// Every server runs in a fresh child process with a fresh data directory, so its CPU time and
// peak RSS (VmHWM) are its own. Storage: the real disk (os.tmpdir()) and tmpfs (/dev/shm).
// Flags: --size 4GiB  --parallel 4,8  --storage disk,tmpfs  --contenders a,b  --quick

import { spawnSync } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Child, type Message, startChild } from './lib/child.ts';
import { formatProfile, type ProfileSummary, summarizeProfile } from './lib/cpu-profile.ts';
import { listFlag, parseFlags } from './lib/flags.ts';
import { environment, markdownTable, mbPerSecond } from './lib/measure.ts';
import { formatSize, mib, parseSize, processStats } from './lib/proc-stats.ts';
import { rawRequest } from './lib/raw-upload.ts';
import { machineBusySeconds, waitForQuiet } from './lib/system-cpu.ts';
import { ramDir } from './lib/test-file.ts';

const CONTENDERS = ['dev-server', 'sink-fsync', 'sink-no-fsync', 'dev-server-inline'] as const;
type Contender = (typeof CONTENDERS)[number];

const USAGE = `pnpm bench server [flags]
  --size 4GiB             bytes sent per measurement (default 4GiB; --quick: 1GiB)
  --parallel 4,8          PUTs in flight (default 4,8; --quick: 4)
  --storage disk,tmpfs    where servers write: the disk under ${tmpdir()}, or /dev/shm (default both)
  --contenders a,b        subset of ${CONTENDERS.join(',')} (default: all but dev-server-inline)
  --rounds N              measurements per server and setting; the fastest counts (default 2)
  --quick                 1 GiB, parallel 4, disk only, one round
  --max-wait S            before each measurement, wait up to S seconds for the machine to be
                          quiet (other processes under 0.25 core); 0: do not wait (default 10)
  --profile               CPU-profile every server thread (main and hash workers), summarise`;

const here = dirname(fileURLToPath(import.meta.url));
const flags = parseFlags(
  process.argv.slice(2),
  ['size', 'parallel', 'storage', 'contenders', 'max-wait', 'rounds'],
  ['quick', 'profile'],
  USAGE,
);
const profile = flags.has('profile');
const maxWait = Number(flags.get('max-wait') ?? 10);
let waitedSeconds = 0;
const quick = flags.has('quick');
const rounds = Number(flags.get('rounds') ?? (quick ? 1 : 2));
if (!Number.isSafeInteger(rounds) || rounds < 1) throw new Error('--rounds must be >= 1');
const size = parseSize(String(flags.get('size') ?? (quick ? '1GiB' : '4GiB')));
const parallels = listFlag(flags, 'parallel', quick ? ['4'] : ['4', '8']).map(Number);
const storages = listFlag(flags, 'storage', quick ? ['disk'] : ['disk', 'tmpfs']) as (
  | 'disk'
  | 'tmpfs'
)[];
const contenders = listFlag(flags, 'contenders', CONTENDERS.slice(0, 3)) as Contender[];
for (const c of contenders)
  if (!CONTENDERS.includes(c)) throw new Error(`Unknown contender ${c}.\n${USAGE}`);
for (const s of storages)
  if (s !== 'disk' && s !== 'tmpfs') throw new Error(`Unknown storage ${s}.\n${USAGE}`);

const PART_SIZE = 8 * 1024 * 1024;
const partCount = Math.ceil(size / PART_SIZE);

// Four different parts, so that no two consecutive bodies are equal; their MD5s computed once.
const bodies = Array.from({ length: 4 }, () => randomFillSync(Buffer.allocUnsafe(PART_SIZE)));
const md5s = bodies.map((b) => createHash('md5').update(b).digest('base64'));

interface Stats extends Message {
  readonly userSeconds: number;
  readonly systemSeconds: number;
  readonly peakRssBytes: number;
  readonly rssBytes: number;
  readonly mainThreadSeconds: number | undefined;
}

interface Result {
  /** 1-minute load average when the measurement started. */
  readonly load: number;
  readonly storage: 'disk' | 'tmpfs';
  readonly parallel: number;
  readonly contender: Contender;
  readonly round: number;
  readonly seconds: number;
  readonly mbps: number;
  readonly serverCpuSeconds: number;
  /** The part of serverCpuSeconds spent on the server's main thread (the rest: workers, libuv pool). */
  readonly serverMainThreadSeconds: number | undefined;
  readonly serverPeakRssBytes: number;
  readonly serverStartRssBytes: number;
  readonly clientCpuSeconds: number;
  /** Cores' worth of CPU other processes used during the measurement (from /proc/stat). */
  readonly othersCores: number | undefined;
}

/** Sends `size` bytes as parts of one multipart upload; resolves with the seconds it took. */
async function ingest(endpoint: string, parallel: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: parallel });
  const object = `${endpoint}/bench/ingest`;
  try {
    const init = await rawRequest(agent, `${object}?uploads`, 'POST', undefined, {}, true);
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(init.body)?.[1];
    if (uploadId === undefined) throw new Error(`No UploadId in ${init.body.slice(0, 200)}`);
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        for (let i = next++; i < partCount; i = next++) {
          const length = Math.min(PART_SIZE, size - i * PART_SIZE);
          await rawRequest(
            agent,
            `${object}?partNumber=${i + 1}&uploadId=${uploadId}`,
            'PUT',
            bodies[i % 4]!.subarray(0, length),
            {
              'content-md5':
                length === PART_SIZE
                  ? md5s[i % 4]!
                  : createHash('md5')
                      .update(bodies[i % 4]!.subarray(0, length))
                      .digest('base64'),
            },
          );
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    // Abort: the dev server drops the parts (and their files) at once.
    await rawRequest(agent, `${object}?uploadId=${uploadId}`, 'DELETE', undefined);
    return seconds;
  } finally {
    agent.destroy();
  }
}

function startServer(contender: Contender, dataDir: string, profileDir: string | undefined): Child {
  // Every thread (main, hash workers, tsx's loader) writes its own profile into the directory.
  const options =
    profileDir === undefined ? {} : { execArgv: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] };
  switch (contender) {
    case 'dev-server':
    case 'dev-server-inline':
      return startChild(
        'dev-server-child.ts',
        [
          JSON.stringify({
            dataDir,
            anonymous: true,
            buckets: ['bench'],
            ...(contender === 'dev-server-inline' ? { hashWorkers: 0 } : {}),
          }),
        ],
        options,
      );
    case 'sink-fsync':
      return startChild('disk-sink.ts', [dataDir, 'fsync'], options);
    case 'sink-no-fsync':
      return startChild('disk-sink.ts', [dataDir, 'no-fsync'], options);
  }
}

const started = performance.now();
console.log(environment());
console.log(
  `${formatSize(size)} per measurement in 8 MiB parts, parallel ${parallels.join(' and ')}, storage ${storages.join(' and ')} (disk: ${tmpdir()}, tmpfs: ${ramDir()})\n`,
);

const results: Result[] = [];
const profiles: { name: string; summary: ProfileSummary }[] = [];

/** Summaries of every thread's profile in `dir` that did real work (not tsx's loader). */
async function summarizeThreads(dir: string): Promise<{ name: string; summary: ProfileSummary }[]> {
  const out: { name: string; summary: ProfileSummary }[] = [];
  for (const file of (await readdir(dir)).sort()) {
    const tid = /^CPU\.\d+\.\d+\.\d+\.(\d+)\.\d+\.cpuprofile$/.exec(file)?.[1];
    if (tid === undefined) continue;
    const summary = summarizeProfile(join(dir, file), [
      /^(crcUpdate|storeBody|receiveBody|authenticate|handleRequest|commit|datasync|writeAll|store|flush|push)$/,
    ]);
    // Skip threads that mostly slept (tsx's module loader thread).
    const idle = summary.origins.find((o) => o.name.startsWith('idle'))?.percent ?? 0;
    if (idle > 90) continue;
    const role = tid === '0' ? 'main thread' : `worker thread ${tid}`;
    out.push({ name: `${dir.split('/').pop()}, ${role}, whole process life`, summary });
  }
  return out;
}
for (const storage of storages) {
  const root = storage === 'disk' ? tmpdir() : ramDir();
  for (const parallel of parallels) {
    for (let round = 1; round <= rounds; round++) {
      // Rotate the order each round, so no server always follows the same one.
      const shift = (round - 1) % contenders.length;
      const order = [...contenders.slice(shift), ...contenders.slice(0, shift)];
      for (const contender of order) {
        const dir = await mkdtemp(join(root, 'ossup-bench-server-'));
        // Start from a clean page cache state: no one else's dirty pages queued before ours.
        spawnSync('sync');
        const profileDir = profile
          ? join(
              here,
              'results',
              'profiles',
              `server-${storage}-p${parallel}-${contender}-r${round}`,
            )
          : undefined;
        if (profileDir !== undefined) await rm(profileDir, { recursive: true, force: true });
        const server = startServer(contender, dir, profileDir);
        try {
          const ready = await server.next<Message & { endpoint: string }>('ready');
          if (maxWait > 0) waitedSeconds += (await waitForQuiet(maxWait)).waited;
          const startStats = await server.ask<Stats>({ type: 'stats' }, 'stats');
          const load = loadavg()[0] ?? 0;
          const busy0 = machineBusySeconds();
          const client0 = processStats();
          const seconds = await ingest(ready.endpoint, parallel);
          const client1 = processStats();
          const busy1 = machineBusySeconds();
          const stats = await server.ask<Stats>({ type: 'stats' }, 'stats');
          const serverCpuSeconds =
            stats.userSeconds +
            stats.systemSeconds -
            startStats.userSeconds -
            startStats.systemSeconds;
          const clientCpuSeconds =
            client1.userSeconds +
            client1.systemSeconds -
            client0.userSeconds -
            client0.systemSeconds;
          const result: Result = {
            load,
            storage,
            parallel,
            contender,
            round,
            seconds,
            mbps: mbPerSecond(size, seconds),
            serverCpuSeconds,
            serverMainThreadSeconds:
              stats.mainThreadSeconds === undefined || startStats.mainThreadSeconds === undefined
                ? undefined
                : stats.mainThreadSeconds - startStats.mainThreadSeconds,
            serverPeakRssBytes: stats.peakRssBytes,
            serverStartRssBytes: startStats.rssBytes,
            clientCpuSeconds,
            othersCores:
              busy0 === undefined || busy1 === undefined
                ? undefined
                : Math.max(0, (busy1 - busy0 - serverCpuSeconds - clientCpuSeconds) / seconds),
          };
          results.push(result);
          console.log(
            `${storage.padEnd(5)} p${parallel} r${round} ${contender.padEnd(17)} ${result.mbps.toFixed(0).padStart(5)} MB/s  server cpu ${result.serverCpuSeconds.toFixed(2)} s (main thread ${result.serverMainThreadSeconds?.toFixed(2) ?? '?'})  server peak RSS ${mib(result.serverPeakRssBytes)} MiB  client cpu ${result.clientCpuSeconds.toFixed(2)} s  others ${result.othersCores?.toFixed(2) ?? '?'} cores`,
          );
        } finally {
          await server.stop();
          await rm(dir, { recursive: true, force: true });
        }
        if (profileDir !== undefined) profiles.push(...(await summarizeThreads(profileDir)));
      }
    }
  }
}

// ---- report ---------------------------------------------------------------------------------

/** The fastest round of a server. */
const find = (storage: string, parallel: number, contender: Contender) =>
  results
    .filter((r) => r.storage === storage && r.parallel === parallel && r.contender === contender)
    .sort((a, b) => b.mbps - a.mbps)[0];
const tables: string[] = [];
const checks: { name: string; measured: string; met: boolean | undefined }[] = [];
for (const storage of storages) {
  const rows: string[][] = [];
  for (const parallel of parallels) {
    const fsyncSink = find(storage, parallel, 'sink-fsync');
    const plainSink = find(storage, parallel, 'sink-no-fsync');
    for (const contender of contenders) {
      const r = find(storage, parallel, contender)!;
      rows.push([
        String(parallel),
        contender,
        r.mbps.toFixed(0),
        fsyncSink ? `${((100 * r.mbps) / fsyncSink.mbps).toFixed(0)}%` : '-',
        plainSink ? `${((100 * r.mbps) / plainSink.mbps).toFixed(0)}%` : '-',
        r.serverCpuSeconds.toFixed(2),
        ((r.serverCpuSeconds / size) * 1e9).toFixed(2),
        r.serverMainThreadSeconds === undefined
          ? '?'
          : ((r.serverMainThreadSeconds / size) * 1e9).toFixed(2),
        mib(r.serverStartRssBytes),
        mib(r.serverPeakRssBytes),
        r.clientCpuSeconds.toFixed(2),
        r.othersCores === undefined ? '?' : r.othersCores.toFixed(2),
      ]);
    }
    const dev = find(storage, parallel, 'dev-server');
    if (dev && fsyncSink) {
      const share = dev.mbps / fsyncSink.mbps;
      checks.push({
        name: `dev server >= 70% of the fsync sink (${storage}, parallel ${parallel})`,
        measured: `${(share * 100).toFixed(0)}% (${dev.mbps.toFixed(0)} vs ${fsyncSink.mbps.toFixed(0)} MB/s)`,
        met: share >= 0.7,
      });
    }
  }
  tables.push(
    `### ${storage} (${storage === 'disk' ? tmpdir() : ramDir()}), ${formatSize(size)}\n\n${markdownTable(
      [
        'parallel',
        'server',
        'MB/s',
        'of sink-fsync',
        'of sink-no-fsync',
        'server CPU s',
        'CPU s/GB',
        'main thread CPU s/GB',
        'RSS at start MiB',
        'peak RSS MiB',
        'client CPU s',
        'others (cores)',
      ],
      rows,
    )}`,
  );
}
console.log(`\n${tables.join('\n\n')}\n`);
console.log(
  markdownTable(
    ['target', 'measured', 'met'],
    checks.map((c) => [c.name, c.measured, c.met === undefined ? '-' : c.met ? 'yes' : 'NO']),
  ),
);
for (const p of profiles) console.log(`\n${formatProfile(p.name, p.summary)}`);
const totalSeconds = (performance.now() - started) / 1000;
console.log(
  `\ntotal ${totalSeconds.toFixed(0)} s (${waitedSeconds.toFixed(0)} s of it waiting for a quiet machine); at the end: ${environment()}`,
);
await mkdir(join(here, 'results'), { recursive: true });
await writeFile(
  join(here, 'results', profile ? 'server-profile.json' : 'server.json'),
  `${JSON.stringify(
    {
      topic: 'server',
      date: new Date().toISOString(),
      environment: environment(),
      config: {
        rounds,
        size,
        partSize: PART_SIZE,
        parallels,
        storages,
        contenders,
        disk: tmpdir(),
        tmpfs: ramDir(),
      },
      totalSeconds,
      waitedSeconds,
      results,
      targets: checks,
      profiles,
    },
    null,
    2,
  )}\n`,
);
console.log(`results written to bench/results/${profile ? 'server-profile' : 'server'}.json`);
