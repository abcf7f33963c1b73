import { describe, expect, it } from 'vitest';
import { type SelfWatchingBody, streamWatched } from './replayable-body.ts';
import { watchBody } from './replayable-body-io.ts';

function failingStream(error: Error): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    pull() {
      throw error;
    },
  });
}

describe('watchBody', () => {
  it("hands a self-watching body's own stream through, with the callback", () => {
    const failure = new Error('read failed');
    let given: ((error: unknown) => void) | undefined;
    const own = failingStream(failure);
    const body: SelfWatchingBody = {
      size: 1,
      stream: () => {
        throw new Error('stream() must not be called');
      },
      [streamWatched]: (onError) => {
        given = onError;
        return own;
      },
    };
    const onError = () => {};
    expect(watchBody(body, onError)).toBe(own);
    expect(given).toBe(onError);
  });

  it('wraps any other body, reporting the error that ends its stream', async () => {
    const failure = new Error('read failed');
    const body = { size: 1, stream: () => failingStream(failure) };
    const seen: unknown[] = [];
    const reader = watchBody(body, (error) => seen.push(error)).getReader();
    await expect(reader.read()).rejects.toBe(failure);
    expect(seen).toEqual([failure]);
  });
});
