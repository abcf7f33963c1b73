import { describe, expect, it } from 'vitest';
import { createSendSlots } from './send-slots.ts';

describe('createSendSlots', () => {
  it('hands out `count` slots at once, then one per release, in the order asked', async () => {
    const acquire = createSendSlots(2);
    const first = await acquire();
    const second = await acquire();
    const order: string[] = [];
    const third = acquire().then((release) => {
      order.push('third');
      return release;
    });
    const fourth = acquire().then((release) => {
      order.push('fourth');
      return release;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(order).toEqual([]);
    first();
    first(); // a second call frees nothing more
    const thirdRelease = await third;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(order).toEqual(['third']);
    second();
    (await fourth)();
    thirdRelease();
    expect(order).toEqual(['third', 'fourth']);
    // Both slots are free again, and no more.
    await acquire();
    await acquire();
    let granted = false;
    void acquire().then(() => {
      granted = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(granted).toBe(false);
  });
});
