import { describe, expect, it } from 'vitest';
import { runPool } from './worker-pool.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('runPool', () => {
  it('never runs more than `parallel` tasks and takes tasks only when a worker is free', async () => {
    let next = 0;
    let running = 0;
    let maxRunning = 0;
    let handedOut = 0;
    let finished = 0;
    let maxAhead = 0;
    const done: number[] = [];
    await runPool<number>({
      parallel: 3,
      next: () => {
        if (next >= 20) return undefined;
        handedOut++;
        maxAhead = Math.max(maxAhead, handedOut - finished);
        return next++;
      },
      run: async (task) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        for (let i = 0; i < (task % 4) + 1; i++) await tick();
        running--;
        finished++;
        done.push(task);
      },
    });
    expect(maxRunning).toBe(3);
    expect(maxAhead).toBeLessThanOrEqual(3);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('stops on the first failure, aborts the others and waits for them', async () => {
    let next = 0;
    const aborted: number[] = [];
    let settled = 0;
    const failure = new Error('part 2 failed');
    const run = runPool<number>({
      parallel: 3,
      next: () => (next < 100 ? next++ : undefined),
      run: async (task, signal) => {
        try {
          if (task === 2) {
            await tick();
            throw failure;
          }
          await new Promise<void>((_, reject) => {
            signal.addEventListener('abort', () => {
              aborted.push(task);
              reject(signal.reason);
            });
          });
        } finally {
          settled++;
        }
      },
    });
    await expect(run).rejects.toThrow('part 2 failed');
    expect(aborted.sort()).toEqual([0, 1]);
    expect(settled).toBe(3);
    expect(next).toBe(3);
  });

  it('rejects with the cancel reason', async () => {
    const controller = new AbortController();
    let next = 0;
    const run = runPool<number>({
      parallel: 2,
      signal: controller.signal,
      next: () => next++,
      run: (_task, signal) =>
        new Promise<void>((_, reject) => {
          signal.addEventListener('abort', () => reject(new Error('request aborted')));
        }),
    });
    await tick();
    const reason = new Error('user paused');
    controller.abort(reason);
    await expect(run).rejects.toThrow('user paused');
    expect(next).toBe(2);
  });
});
