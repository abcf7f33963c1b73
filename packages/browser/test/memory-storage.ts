/**
 * An in-memory `Storage` for Node tests, with an optional quota counted like browsers count
 * it (UTF-16 code units of keys and values), throwing the same `QuotaExceededError`.
 */
export class MemoryStorage implements Storage {
  readonly #items = new Map<string, string>();
  readonly #quota: number;

  constructor(quota = Number.POSITIVE_INFINITY) {
    this.#quota = quota;
  }

  get length(): number {
    return this.#items.size;
  }

  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }

  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    const used =
      this.#used() - (this.#items.has(key) ? key.length + this.#items.get(key)!.length : 0);
    if (used + key.length + value.length > this.#quota) {
      throw new DOMException(
        `Setting the value of '${key}' exceeded the quota.`,
        'QuotaExceededError',
      );
    }
    this.#items.set(key, String(value));
  }

  removeItem(key: string): void {
    this.#items.delete(key);
  }

  clear(): void {
    this.#items.clear();
  }

  #used(): number {
    let n = 0;
    for (const [k, v] of this.#items) n += k.length + v.length;
    return n;
  }

  [name: string]: unknown;
}
