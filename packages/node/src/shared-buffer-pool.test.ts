import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SharedBufferPool } from './shared-buffer-pool.ts';

describe('SharedBufferPool', () => {
  it('hands a buffer given back out again for the same size, and drops what exceeds its limit', () => {
    const pool = new SharedBufferPool(3 * 1024);
    const a = pool.take(1024);
    const b = pool.take(2048);
    pool.give(a);
    pool.give(b);
    expect(pool.pooledBytes).toBe(3072);
    pool.give(new SharedArrayBuffer(1024)); // over the limit: dropped
    expect(pool.pooledBytes).toBe(3072);
    expect(pool.take(2048)).toBe(b);
    expect(pool.take(1024)).toBe(a);
    expect(pool.take(1024)).not.toBe(a); // none left of that size: a new one
    expect(pool.pooledBytes).toBe(0);
  });

  it('takes back the buffer of a view once the view is garbage, and hands it out zero-filled', () => {
    // Needs gc(): in a child process with --expose-gc.
    const script = `
const { SharedBufferPool } = await import(${JSON.stringify(fileURLToPath(new URL('./shared-buffer-pool.ts', import.meta.url)))});
const pool = new SharedBufferPool(1 << 20);
let view = pool.view(4096);
const buffer = view.buffer;
view.fill(7);
view = undefined;
for (let i = 0; i < 5 && pool.pooledBytes === 0; i++) {
  globalThis.gc();
  await new Promise((resolve) => setTimeout(resolve, 10));
}
const again = pool.view(4096);
console.log(JSON.stringify({ reused: again.buffer === buffer, zero: again.every((x) => x === 0) }));`;
    const child = spawnSync(
      process.execPath,
      ['--expose-gc', '--no-warnings', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.status, child.stderr).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual({ reused: true, zero: true });
  });
});
