import type { BodyDigestRequest, BodyHasher } from '../body-hasher.ts';

/**
 * The buffers one upload reads its parts into. A part holds a buffer from its read until it
 * is acknowledged (or fails), then gives it back for the next part, so an upload with
 * `parallel` workers never has more than `parallel` of them, allocated on first need: no
 * fresh `partSize` array per part for the garbage collector, and memory that stays at
 * `parallel × partSize` instead of growing with dead parts between collections.
 */
export class PartBuffers {
  readonly #free: Uint8Array[] = [];
  readonly #size: number;
  readonly #hasher: BodyHasher;
  readonly #uses: BodyDigestRequest;

  /**
   * @param size - bytes per buffer: the plan's part size (the last part uses a prefix)
   * @param hasher - allocates buffers its `digest` reads without copying, when it can
   * @param uses - the digests the upload will ask of the parts
   */
  constructor(size: number, hasher: BodyHasher, uses: BodyDigestRequest) {
    this.#size = size;
    this.#hasher = hasher;
    this.#uses = uses;
  }

  take(): Uint8Array {
    return (
      this.#free.pop() ??
      this.#hasher.allocate?.(this.#size, this.#uses) ??
      new Uint8Array(this.#size)
    );
  }

  give(buffer: Uint8Array): void {
    this.#free.push(buffer);
  }
}
