import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { etag, isoDate, kindOf, RUNS } from '../test/helpers.ts';
import {
  buildCopyPartResult,
  type CopyPartResult,
  parseCopyPartResult,
} from './copy-part-result.ts';

describe('CopyPartResult', () => {
  it('builds the exact shape of §4.3', () => {
    expect(
      buildCopyPartResult({
        lastModified: '2014-07-17T06:27:54.000Z',
        etag: '5B3C1A2E053D763E1B002CC607C5ABCD',
      }),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><CopyPartResult><LastModified>2014-07-17T06:27:54.000Z</LastModified><ETag>"5B3C1A2E053D763E1B002CC607C5ABCD"</ETag></CopyPartResult>',
    );
  });

  it('parses with the date kept as the ISO string sent', () => {
    expect(
      parseCopyPartResult(
        '<CopyPartResult>\n <LastModified> 2014-07-17T06:27:54.000Z </LastModified>\n <ETag>"E1"</ETag>\n</CopyPartResult>',
      ),
    ).toStrictEqual({
      lastModified: '2014-07-17T06:27:54.000Z',
      etag: 'E1',
    });
  });

  it('requires the ETag', () => {
    expect(
      kindOf(() =>
        parseCopyPartResult('<CopyPartResult><LastModified>x</LastModified></CopyPartResult>'),
      ),
    ).toBe('missing-element');
  });

  it('round-trips', () => {
    fc.assert(
      fc.property(isoDate, etag, (lastModified, tag) => {
        const value: CopyPartResult = { lastModified, etag: tag };
        expect(parseCopyPartResult(buildCopyPartResult(value))).toStrictEqual(value);
      }),
      RUNS,
    );
  });
});
