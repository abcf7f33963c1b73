import { describe, expect, it } from 'vitest';
import { ProgressTracker, type UploadProgress } from './progress.ts';

function tracker(interval = 0) {
  const events: UploadProgress[] = [];
  let now = 0;
  const t = new ProgressTracker((p) => events.push(p), {
    intervalMs: interval,
    now: () => now,
  });
  return { t, events, tick: (ms: number) => (now += ms) };
}

function assertMonotonic(events: UploadProgress[]): void {
  for (let i = 1; i < events.length; i++) {
    expect(events[i]!.loaded).toBeGreaterThanOrEqual(events[i - 1]!.loaded);
    expect(events[i]!.partsDone).toBeGreaterThanOrEqual(events[i - 1]!.partsDone);
  }
}

describe('ProgressTracker', () => {
  it('reports a part acknowledged after its last byte was reported, though no byte count changes', () => {
    const { t, events, tick } = tracker(100);
    t.setTotals(200, 2);
    t.setPhase('uploading');
    tick(200);
    t.partProgress(1, 100, 100); // every byte of part 1 is out and reported
    tick(200);
    // Part 2 is stalled; part 1's acknowledgement must not wait for part 2's next byte.
    t.partDone(1, 100);
    t.close();
    expect(events.at(-1)).toMatchObject({ loaded: 100, partsDone: 1 });
  });

  it('counts a retried part once: attempts restart from 0 without going backwards', () => {
    const { t, events, tick } = tracker();
    t.setTotals(300, 3);
    t.setPhase('uploading');
    t.partProgress(1, 60, 100);
    tick(1);
    t.partProgress(2, 50, 100);
    tick(1);
    // Part 1 fails and is sent again: its second attempt reports from 0.
    t.partProgress(1, 0, 100);
    t.partProgress(1, 30, 100);
    t.partProgress(1, 80, 100);
    tick(1);
    t.partDone(1, 100);
    t.partProgress(2, 200, 100); // a transport over-reporting is capped at the part size
    t.partDone(2, 100);
    t.partProgress(3, 100, 100);
    t.partProgress(3, 10, 100);
    t.partDone(3, 100);
    t.setPhase('done');
    assertMonotonic(events);
    const last = events[events.length - 1]!;
    expect(last.loaded).toBe(300);
    expect(last.partsDone).toBe(3);
    expect(last.phase).toBe('done');
    expect(Math.max(...events.map((e) => e.loaded))).toBe(300);
  });

  it('starts from the resumed bytes, which add no speed', () => {
    const { t, events, tick } = tracker();
    t.setTotals(1000, 10);
    t.addResumed(700, 7);
    t.setPhase('uploading');
    expect(events[0]!.loaded).toBe(700);
    expect(events[0]!.partsDone).toBe(7);
    expect(events[0]!.bytesPerSecond).toBe(0);
    tick(1000);
    t.partProgress(8, 100, 100);
    expect(events.at(-1)!.loaded).toBe(800);
    expect(events.at(-1)!.bytesPerSecond).toBe(100);
  });

  it('reports parts verified on resume as they are counted, while nothing is sent', () => {
    const { t, events, tick } = tracker(100);
    t.setTotals(1000, 10);
    t.setPhase('uploading');
    for (let n = 1; n <= 5; n++) {
      tick(150);
      t.addResumed(100, 1);
    }
    t.close();
    expect(events.map((e) => e.loaded)).toEqual([0, 100, 200, 300, 400, 500]);
    expect(events.at(-1)!.partsDone).toBe(5);
    assertMonotonic(events);
  });

  it('sends phase changes at once but throttles byte events', async () => {
    const { t, events } = tracker(50);
    t.setTotals(100, 1);
    t.setPhase('uploading');
    for (let i = 1; i <= 100; i++) t.partProgress(1, i, 100);
    // Only the phase event went out; the burst is waiting for its trailing event.
    expect(events).toHaveLength(1);
    t.setPhase('completing');
    expect(events).toHaveLength(2);
    expect(events[1]!.loaded).toBe(100);
    t.close();
  });

  it('delivers the trailing event of a burst', async () => {
    const events: UploadProgress[] = [];
    const t = new ProgressTracker((p) => events.push(p), { intervalMs: 20 });
    t.setTotals(100, 1);
    t.setPhase('uploading');
    t.partProgress(1, 10, 100);
    t.partProgress(1, 40, 100);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(events[events.length - 1]!.loaded).toBe(40);
    t.close();
  });

  it('reports a throwing listener instead of failing', () => {
    const errors: unknown[] = [];
    const t = new ProgressTracker(
      () => {
        throw new Error('bad bar');
      },
      { intervalMs: 0, onListenerError: (e) => errors.push(e) },
    );
    t.setPhase('uploading');
    expect(errors).toHaveLength(1);
  });
});
