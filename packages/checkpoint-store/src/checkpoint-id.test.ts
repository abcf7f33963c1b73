import { describe, expect, it } from 'vitest';
import { checkpointId } from './checkpoint-id.ts';

const base = {
  fingerprint: '/data/a.bin:10:1',
  endpoint: 'http://127.0.0.1:9000',
  bucket: 'b',
  key: 'k',
};

describe('checkpointId', () => {
  it('is stable 64-char hex', async () => {
    const a = await checkpointId(base);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await checkpointId({ ...base })).toBe(a);
  });

  it('changes with every field, and field boundaries matter', async () => {
    const a = await checkpointId(base);
    for (const field of ['fingerprint', 'endpoint', 'bucket', 'key'] as const) {
      expect(await checkpointId({ ...base, [field]: `${base[field]}x` })).not.toBe(a);
    }
    const x = await checkpointId({ ...base, bucket: 'ab', key: 'c' });
    const y = await checkpointId({ ...base, bucket: 'a', key: 'bc' });
    expect(x).not.toBe(y);
  });

  it('does not reveal the key or path', async () => {
    const id = await checkpointId({ ...base, key: 'secret-plan.pdf' });
    expect(id).not.toContain('secret');
  });
});
