// CRC-64 and MD5 throughput of @ossup/checksum against hash-wasm and node:crypto.
//
//   CRC-64/XZ: ossup (plain TS, slicing-by-16)  vs  hash-wasm createCRC64 (WebAssembly)
//   MD5:       ossup auto (node:crypto path)    vs  node:crypto createHash directly
//              ossup portable (hash-wasm path)  vs  hash-wasm createMD5 directly
//   combine:   folding 10,000 part CRCs (5 GiB parts) with combineCrc64Parts
//
// Every case hashes the same pseudo-random data (fixed seed) in the same update size, as an
// uploader hashing a part would. Each measured run is a fresh process that loads only the code
// of its own case: loading hash-wasm through tsx in the same process measurably slowed the
// plain-JS CRC loop (~25%, no deoptimisation visible), so sharing a process would measure an
// artefact of the harness. Rounds are interleaved (every case once per round) so a burst of
// load from another process hits all cases alike; the best of the rounds is reported.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseFlags } from './lib/flags.ts';
import { environment, markdownTable, mbPerSecond } from './lib/measure.ts';

const USAGE = `pnpm bench checksum [--size MiB] [--chunk KiB] [--runs N] [--quick]

  --size MiB   data hashed per run (default 256)
  --chunk KiB  size of each update() call (default 1024)
  --runs N     rounds; each case reports its best (default 3)
  --quick      --size 32 --runs 1, to check that the benchmark works`;

const CASE_ENV = 'OSSUP_BENCH_CHECKSUM_CASE';

const CASES = [
  'ossup crc64',
  'hash-wasm crc64',
  'ossup md5 (node-crypto)',
  'ossup md5 (portable)',
  'node:crypto md5',
  'hash-wasm md5',
] as const;
type CaseName = (typeof CASES)[number];

/** Peer each ossup case is compared with. */
const PEER: Partial<Record<CaseName, CaseName>> = {
  'ossup crc64': 'hash-wasm crc64',
  'ossup md5 (node-crypto)': 'node:crypto md5',
  'ossup md5 (portable)': 'hash-wasm md5',
};

interface CaseReport {
  readonly mbs: number;
  /** Hex digest, so the parent can check that every implementation agrees. */
  readonly digest: string;
}

/** An update-style hasher; every case is adapted to this. */
interface Hasher {
  update(bytes: Uint8Array): unknown;
  hex(): string;
}

const caseName = process.env[CASE_ENV];
if (caseName === undefined) await parent();
else await child(caseName as CaseName);

async function parent(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), ['size', 'chunk', 'runs'], ['quick'], USAGE);
  const quick = flags.has('quick');
  const sizeMiB = Number(flags.get('size') ?? (quick ? 32 : 256));
  const chunkKiB = Number(flags.get('chunk') ?? 1024);
  const runs = Number(flags.get('runs') ?? (quick ? 1 : 3));
  for (const [name, value] of [
    ['size', sizeMiB],
    ['chunk', chunkKiB],
    ['runs', runs],
  ] as const) {
    if (!Number.isInteger(value) || value <= 0) {
      console.error(`--${name} must be a positive integer.\n\n${USAGE}`);
      process.exit(2);
    }
  }

  console.log(environment());
  console.log(
    `${sizeMiB} MiB of pseudo-random data, fed in ${chunkKiB} KiB updates; ` +
      `each run in its own process, best of ${runs}.\n`,
  );

  const best = new Map<CaseName, number>();
  const digests = new Map<CaseName, string>();
  const script = fileURLToPath(import.meta.url);
  for (let round = 0; round < runs; round++) {
    for (const name of CASES) {
      const result = spawnSync(process.execPath, [...process.execArgv, script], {
        env: {
          ...process.env,
          [CASE_ENV]: name,
          SIZE_MIB: String(sizeMiB),
          CHUNK_KIB: String(chunkKiB),
        },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      if (result.status !== 0) {
        console.error(`Case ${name} failed (exit ${result.status ?? result.signal}).`);
        process.exit(1);
      }
      const report = JSON.parse(result.stdout.trim().split('\n').pop()!) as CaseReport;
      best.set(name, Math.max(best.get(name) ?? 0, report.mbs));
      digests.set(name, report.digest);
    }
  }

  // The comparison is only meaningful if every implementation computed the same thing.
  const crcs = new Set(CASES.filter((c) => c.includes('crc64')).map((c) => digests.get(c)));
  const md5s = new Set(CASES.filter((c) => c.includes('md5')).map((c) => digests.get(c)));
  if (crcs.size !== 1 || md5s.size !== 1) {
    console.error('Implementations disagree:', Object.fromEntries(digests));
    process.exit(1);
  }

  const rows = CASES.map((name) => {
    const mbs = best.get(name)!;
    const peer = PEER[name];
    const ratio = peer ? `${(mbs / best.get(peer)!).toFixed(2)}x vs ${peer}` : '';
    return [name, mbs.toFixed(0), ratio];
  });
  console.log(markdownTable(['case', 'MB/s', 'ratio'], rows));

  // Folding the CRCs of a maximal upload: 10,000 parts of 5 GiB each.
  const { combineCrc64Parts } = await import('@ossup/checksum');
  const parts = Array.from({ length: 10_000 }, (_, i) => ({
    crc64: (BigInt(i) * 0x9e37_79b9_7f4a_7c15n) & 0xffff_ffff_ffff_ffffn,
    size: 5 * 1024 ** 3,
  }));
  let foldSeconds = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    combineCrc64Parts(parts);
    foldSeconds = Math.min(foldSeconds, (performance.now() - start) / 1000);
  }
  console.log(
    `\ncombineCrc64Parts over 10,000 parts of 5 GiB: ${(foldSeconds * 1000).toFixed(1)} ms ` +
      `(${((foldSeconds / 10_000) * 1e6).toFixed(2)} µs per combine)`,
  );

  const crcOk = best.get('ossup crc64')! >= 1200;
  const md5Ratio = best.get('ossup md5 (node-crypto)')! / best.get('node:crypto md5')!;
  console.log(
    `\nTargets: CRC-64 >= 1200 MB/s: ${crcOk ? 'met' : 'MISSED'}; ` +
      `MD5 within 10% of node:crypto: ${md5Ratio >= 0.9 ? 'met' : 'MISSED'} (${md5Ratio.toFixed(2)}x).`,
  );
}

async function child(name: CaseName): Promise<void> {
  const size = Number(process.env['SIZE_MIB']) * 1024 * 1024;
  const chunk = Number(process.env['CHUNK_KIB']) * 1024;
  const data = pseudoRandomBytes(size);
  const pieces: Uint8Array[] = [];
  for (let start = 0; start < size; start += chunk)
    pieces.push(data.subarray(start, start + chunk));

  const create = await hasherFactory(name);
  // Warm-up on the first 8 MiB (JIT tiers, WebAssembly compilation), then one measured run.
  const warm = await create();
  for (const piece of pieces.slice(0, Math.ceil((8 * 1024 * 1024) / chunk))) warm.update(piece);
  warm.hex();

  (globalThis as { gc?: () => void }).gc?.();
  const start = performance.now();
  const hasher = await create();
  for (const piece of pieces) hasher.update(piece);
  const digest = hasher.hex();
  const seconds = (performance.now() - start) / 1000;
  const report: CaseReport = { mbs: mbPerSecond(size, seconds), digest };
  console.log(JSON.stringify(report));
}

/** Loads only the implementation the case needs (see the header comment for why). */
async function hasherFactory(name: CaseName): Promise<() => Promise<Hasher>> {
  switch (name) {
    case 'ossup crc64': {
      const { createCrc64 } = await import('@ossup/checksum');
      return async () => {
        const h = createCrc64();
        return { update: (b) => h.update(b), hex: () => h.digest().toString(16).padStart(16, '0') };
      };
    }
    case 'ossup md5 (node-crypto)':
    case 'ossup md5 (portable)': {
      const { createMd5, toHex } = await import('@ossup/checksum');
      const implementation = name === 'ossup md5 (portable)' ? 'portable' : 'node-crypto';
      return async () => {
        const h = await createMd5({ implementation });
        return { update: (b) => h.update(b), hex: () => toHex(h.digest()) };
      };
    }
    case 'hash-wasm crc64':
    case 'hash-wasm md5': {
      const hashWasm = await import('hash-wasm');
      const make = name === 'hash-wasm crc64' ? hashWasm.createCRC64 : hashWasm.createMD5;
      return async () => {
        const h = await make();
        return { update: (b) => h.update(b), hex: () => h.digest('hex') };
      };
    }
    case 'node:crypto md5': {
      const { createHash } = await import('node:crypto');
      return async () => {
        const h = createHash('md5');
        return { update: (b) => h.update(b), hex: () => h.digest('hex') };
      };
    }
  }
}

/** Same bytes in every process: xorshift32 from a fixed seed (content does not affect speed). */
function pseudoRandomBytes(size: number): Uint8Array {
  const words = new Uint32Array(Math.ceil(size / 4));
  let x = 0x9e37_79b9;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x;
  }
  return new Uint8Array(words.buffer, 0, size);
}
