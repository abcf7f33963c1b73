import { describe, expect, it } from 'vitest';
import { blobFingerprint, fromBlob } from './from-blob.ts';
import { fromBytes } from './from-bytes.ts';

describe('fromBlob', () => {
  it('reads ranges of a blob', async () => {
    const source = fromBlob(new Blob([new Uint8Array([1, 2, 3, 4, 5])]));
    expect(source.size).toBe(5);
    expect(Array.from(await source.read(1, 4))).toEqual([2, 3, 4]);
    expect(Array.from(await source.read(5, 5))).toEqual([]);
    await expect(source.read(3, 6)).rejects.toThrow(RangeError);
  });

  it('has no fingerprint for a plain blob, unless given one', () => {
    const blob = new Blob(['abc']);
    expect(fromBlob(blob).fingerprint).toBeUndefined();
    expect(fromBlob(blob, { fingerprint: 'sha:1' }).fingerprint).toBe('sha:1');
  });

  it('fingerprints a File by name, size and lastModified', () => {
    const a = new File(['abc'], 'a.txt', { lastModified: 1000 });
    const same = new File(['xyz'], 'a.txt', { lastModified: 1000 });
    const touched = new File(['abc'], 'a.txt', { lastModified: 2000 });
    expect(fromBlob(a).fingerprint).toBeDefined();
    expect(fromBlob(a).fingerprint).toBe(blobFingerprint(same));
    expect(fromBlob(a).fingerprint).not.toBe(fromBlob(touched).fingerprint);
  });

  it('fingerprints any blob with a name and lastModified, such as Bun.file()', () => {
    const bunLike = Object.defineProperties(new Blob(['abc']), {
      name: { value: '/data/a.txt' },
      lastModified: { value: 5 },
    });
    expect(fromBlob(bunLike).fingerprint).toBe(
      blobFingerprint(new File(['xyz'], '/data/a.txt', { lastModified: 5 })),
    );
  });

  it('rejects an aborted read', async () => {
    const controller = new AbortController();
    controller.abort(new Error('paused'));
    await expect(
      fromBlob(new Blob(['abc'])).read(0, 1, { signal: controller.signal }),
    ).rejects.toThrow('paused');
  });
});

describe('fromBytes', () => {
  it('returns views of the array', async () => {
    const data = new Uint8Array([9, 8, 7, 6]);
    const source = fromBytes(data);
    expect(source.size).toBe(4);
    expect(source.fingerprint).toBeUndefined();
    const view = await source.read(1, 3);
    expect(Array.from(view)).toEqual([8, 7]);
    expect(view.buffer).toBe(data.buffer);
    await expect(source.read(2, 1)).rejects.toThrow(RangeError);
  });

  it('refuses a string', () => {
    expect(() => fromBytes('abc' as unknown as Uint8Array)).toThrow(TypeError);
  });
});
