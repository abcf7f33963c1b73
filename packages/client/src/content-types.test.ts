import { describe, expect, it } from 'vitest';
import { contentTypeForName } from './content-types.ts';

describe('contentTypeForName', () => {
  it('picks the type from the last extension of the last path segment, any case', () => {
    expect(contentTypeForName('videos/2024/clip.MP4')).toBe('video/mp4');
    expect(contentTypeForName('report.final.pdf')).toBe('application/pdf');
    expect(contentTypeForName('backup.tar.gz')).toBe('application/gzip');
    expect(contentTypeForName('a/b.7z')).toBe('application/x-7z-compressed');
  });

  it('knows nothing of keys without a common extension', () => {
    expect(contentTypeForName('backup')).toBeUndefined();
    expect(contentTypeForName('dir.v2/backup')).toBeUndefined();
    expect(contentTypeForName('.env')).toBeUndefined();
    expect(contentTypeForName('trailing.')).toBeUndefined();
    expect(contentTypeForName('data.bin')).toBeUndefined();
    // Not an own property of the table.
    expect(contentTypeForName('x.constructor')).toBeUndefined();
    expect(contentTypeForName('x.__proto__')).toBeUndefined();
  });
});
