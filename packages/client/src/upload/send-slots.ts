/**
 * A counting semaphore: `count` slots, handed out in the order they were asked for. Each
 * acquisition resolves to the function that frees the slot (calling it again does nothing).
 * No abort: a part waiting here whose upload is cancelled gets a slot as soon as the sends
 * in flight, cancelled too, give theirs back, and then fails at once on its aborted signal.
 */
export function createSendSlots(count: number): () => Promise<() => void> {
  let free = count;
  const waiters: (() => void)[] = [];
  const release = (): void => {
    const next = waiters.shift();
    if (next !== undefined) next();
    else free++;
  };
  const once = (): (() => void) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  };
  return () => {
    if (free > 0) {
      free--;
      return Promise.resolve(once());
    }
    return new Promise((resolve) => waiters.push(() => resolve(once())));
  };
}
