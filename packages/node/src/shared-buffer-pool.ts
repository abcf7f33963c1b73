/**
 * `SharedArrayBuffer`s for the hashing worker threads, reused instead of dropped.
 *
 * Why: a worker thread keeps every `SharedArrayBuffer` it has been sent alive until its own
 * garbage collection, and a worker that allocates little collects seldom. Measured (Node 20):
 * eight fresh 8 MiB buffers per upload, each hashed on a worker, grew RSS by 64 MiB per upload,
 * past 2 GiB after 40 uploads, whatever the main thread collected. Handing the same buffers
 * out again keeps the set of backing stores, and so memory, at the most that was in use at once.
 *
 * A buffer comes back when the view handed out for it has been garbage-collected (a
 * `FinalizationRegistry`), or explicitly through {@link SharedBufferPool.give} for buffers the
 * hasher owns itself. The uploader keeps the view it was given for as long as it uses any part
 * of the buffer (its part and slice pools hold it), so a buffer is not handed out while still
 * in use.
 */
export class SharedBufferPool {
  readonly #free = new Map<number, SharedArrayBuffer[]>();
  readonly #maxPooledBytes: number;
  #pooledBytes = 0;
  readonly #registry = new FinalizationRegistry<SharedArrayBuffer>((buffer) => this.give(buffer));

  /** @param maxPooledBytes - most bytes kept for reuse; beyond it, buffers given back are dropped */
  constructor(maxPooledBytes: number) {
    this.#maxPooledBytes = maxPooledBytes;
  }

  /** Bytes held for reuse now. */
  get pooledBytes(): number {
    return this.#pooledBytes;
  }

  /**
   * A zero-filled view of `size` bytes on a shared buffer, reused if one of that size is free.
   * The buffer returns to the pool once the view is garbage.
   */
  view(size: number): Uint8Array {
    const reused = this.#take(size);
    const view = new Uint8Array(reused ?? new SharedArrayBuffer(size));
    if (reused !== undefined) view.fill(0);
    this.#registry.register(view, view.buffer as SharedArrayBuffer);
    return view;
  }

  /** A shared buffer of `size` bytes (contents undefined) that the caller gives back itself. */
  take(size: number): SharedArrayBuffer {
    return this.#take(size) ?? new SharedArrayBuffer(size);
  }

  /** Gives a buffer back for reuse (dropped if the pool is full). */
  give(buffer: SharedArrayBuffer): void {
    if (this.#pooledBytes + buffer.byteLength > this.#maxPooledBytes) return;
    const list = this.#free.get(buffer.byteLength);
    if (list === undefined) this.#free.set(buffer.byteLength, [buffer]);
    else list.push(buffer);
    this.#pooledBytes += buffer.byteLength;
  }

  #take(size: number): SharedArrayBuffer | undefined {
    const buffer = this.#free.get(size)?.pop();
    if (buffer !== undefined) this.#pooledBytes -= size;
    return buffer;
  }
}
