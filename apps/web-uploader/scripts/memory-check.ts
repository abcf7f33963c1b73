// Uploads one big file through the page in headless Chromium and samples the memory of
// Chromium's processes while it runs: the evidence that memory does not grow with the file.
// pnpm --filter web-uploader memory-check [-- --size-mib 2048]
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromiumMemory } from '../test/support/chromium-memory.ts';
import {
  card,
  MiB,
  openPage,
  pickFiles,
  startHarness,
  waitForState,
} from '../test/support/harness.ts';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { 'size-mib': { type: 'string', default: '2048' } },
});
const size = Number(values['size-mib']) * MiB;

const h = await startHarness({ backend: { partSize: 8 * MiB } });
try {
  // A sparse file: no disk space or page cache needed on this side.
  const path = join(h.dir, 'huge.bin');
  const handle = await open(path, 'w');
  await handle.truncate(size);
  await handle.close();
  const { page } = await openPage(h);
  const baseline = await chromiumMemory();
  let peak = baseline;
  let sampling = true;
  const samples: Array<{ t: number; loaded: number; renderer: number; total: number }> = [];
  const t0 = Date.now();
  const sampler = (async () => {
    while (sampling) {
      const m = await chromiumMemory();
      const loaded = Number(
        (await card(page, 'huge.bin')
          .getAttribute('data-loaded')
          .catch(() => 0)) ?? 0,
      );
      samples.push({ t: Date.now() - t0, loaded, ...m });
      peak = {
        renderer: Math.max(peak.renderer, m.renderer),
        total: Math.max(peak.total, m.total),
      };
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  await pickFiles(page, [{ path, name: 'huge.bin', size, crc64: 0n, sha256: '' }]);
  await waitForState(page, 'huge.bin', ['done', 'failed'], 30 * 60_000);
  sampling = false;
  await sampler;
  const state = await card(page, 'huge.bin').getAttribute('data-state');
  const mib = (n: number) => `${(n / MiB).toFixed(0)} MiB`;
  for (const s of samples.filter((_, i) => i % Math.ceil(samples.length / 12) === 0)) {
    console.log(
      `${(s.t / 1000).toFixed(1).padStart(6)} s  uploaded ${mib(s.loaded).padStart(9)}  tab ${mib(s.renderer).padStart(8)}  all chromium ${mib(s.total).padStart(8)}`,
    );
  }
  console.log(`\nfile ${mib(size)}: ${state} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`tab (renderer) RSS: baseline ${mib(baseline.renderer)}, peak ${mib(peak.renderer)}`);
  console.log(`all Chromium processes: baseline ${mib(baseline.total)}, peak ${mib(peak.total)}`);
  await rm(path, { force: true });
} finally {
  await h.close();
}
