// The short, seeded soak that runs with every test run; the full one is `pnpm test:soak`
// (soak.ts, figures in docs/reliability.md). Same runner, smaller sizes and parts.
import { describe, expect, it } from 'vitest';
import { runSoak, type SoakOptions } from '../src/soak-runner.ts';
import { soakTable } from '../src/table.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

const SHORT: SoakOptions = {
  seed: 424242,
  uploads: 40,
  maxSize: 8 * MiB,
  partSizes: [64 * KiB, 100 * KiB, 256 * KiB],
  minPartSize: 16 * KiB,
  concurrency: 4,
  parallel: 3,
  timeoutMs: 1500,
  slowMs: 2000,
};

describe('soak under faults (short, seeded)', () => {
  it('at the issue rates (5% 5xx, 2% resets, 1% dropped after store, 1% slow, 0.5% bit flips) every upload is verified or fails typed, and nothing is left', async () => {
    const report = await runSoak(SHORT);
    console.log(`short soak, issue rates:\n${soakTable(report)}`);
    expect(report.violations).toEqual([]);
    expect(report.uploads).toBe(40);
    expect(report.succeeded + report.failed).toBe(40);
    expect(report.recovered).toBe(report.failed);
    // The seeded schedule really injected every kind of fault.
    for (const kind of ['status-5xx', 'reset-mid-body', 'drop-after-store', 'slow-reply'] as const)
      expect(report.faults[kind]).toBeGreaterThan(0);
    expect(report.retries).toBeGreaterThan(0);
    expect(report.orphanUploads).toBe(0);
    expect(report.leftoverAfterRecovery).toBe(0);
    expect(report.checkpointsLeft).toBe(0);
    expect(report.unhandledRejections).toBe(0);
    // Bounded memory: a few parts in flight, not whole objects (the sizes sum to ~47 MiB).
    expect(report.peakRss - report.startRss).toBeLessThan(256 * MiB);
  });

  it('at four times the rates some uploads exhaust their retries: each fails typed, keeps or aborts its upload, and finishes on the next run', async () => {
    const report = await runSoak({
      ...SHORT,
      seed: 15,
      uploads: 24,
      maxSize: 4 * MiB,
      rates: { status: 0.2, reset: 0.08, drop: 0.04, slow: 0.04 },
      flipRate: 0.02,
    });
    console.log(`short soak, 4x rates:\n${soakTable(report)}`);
    expect(report.violations).toEqual([]);
    expect(report.failed).toBeGreaterThan(0);
    expect(report.recovered).toBe(report.failed);
    expect(report.resumedFromCheckpoint).toBeGreaterThan(0);
    expect(Object.keys(report.failuresByCause).length).toBeGreaterThan(0);
    for (const cause of Object.keys(report.failuresByCause))
      expect(cause).toMatch(/^(initiating|uploading|completing): Oss\w+Error/);
    expect(report.integrityResends).toBeGreaterThan(0);
    expect(report.leftoverAfterRecovery).toBe(0);
    expect(report.checkpointsLeft).toBe(0);
  });
});
