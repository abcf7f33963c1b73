import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { etag, kindOf, RUNS } from '../test/helpers.ts';
import {
  buildCompleteMultipartUpload,
  type CompleteMultipartUpload,
  parseCompleteMultipartUpload,
} from './complete-multipart-upload.ts';
import { DEFAULT_MAX_COMPLETE_BODY_BYTES } from './limits.ts';

describe('CompleteMultipartUpload (request body)', () => {
  it('builds the §4.4 shape with quoted ETags, bare or quoted input alike', () => {
    expect(
      buildCompleteMultipartUpload({
        parts: [
          { partNumber: 1, etag: '8EFDA8BE206636A695359836FE0AABCD' },
          { partNumber: 2, etag: '"8C315065167132444177411FDA14ABCD"' },
        ],
      }),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"8EFDA8BE206636A695359836FE0AABCD"</ETag></Part><Part><PartNumber>2</PartNumber><ETag>"8C315065167132444177411FDA14ABCD"</ETag></Part></CompleteMultipartUpload>',
    );
  });

  it('reads ETags written raw, as &quot; or as &#34; (oss2, Java v1, go-v2)', () => {
    const body = (tag: string) =>
      `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${tag}</ETag></Part></CompleteMultipartUpload>`;
    for (const tag of ['"ABC"', '&quot;ABC&quot;', '&#34;ABC&#34;', ' "ABC" ']) {
      expect(parseCompleteMultipartUpload(body(tag))).toStrictEqual({
        parts: [{ partNumber: 1, etag: 'ABC' }],
      });
    }
  });

  it('does not judge the list: empty, out of order, duplicated, out of range all parse', () => {
    expect(parseCompleteMultipartUpload('<CompleteMultipartUpload/>')).toStrictEqual({ parts: [] });
    const odd =
      '<CompleteMultipartUpload><Part><PartNumber>0</PartNumber><ETag>a</ETag></Part><Part><PartNumber>20000</PartNumber><ETag>b</ETag></Part><Part><PartNumber>20000</PartNumber><ETag>c</ETag></Part></CompleteMultipartUpload>';
    expect(parseCompleteMultipartUpload(odd).parts.map((p) => p.partNumber)).toEqual([
      0, 20000, 20000,
    ]);
  });

  it('refuses a part without PartNumber or ETag, or with a non-integer number', () => {
    expect(
      kindOf(() =>
        parseCompleteMultipartUpload(
          '<CompleteMultipartUpload><Part><ETag>a</ETag></Part></CompleteMultipartUpload>',
        ),
      ),
    ).toBe('missing-element');
    expect(
      kindOf(() =>
        parseCompleteMultipartUpload(
          '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>',
        ),
      ),
    ).toBe('missing-element');
    for (const bad of ['-1', '1.5', 'one', '', '1e3', '99999999999999999']) {
      expect(
        kindOf(() =>
          parseCompleteMultipartUpload(
            `<CompleteMultipartUpload><Part><PartNumber>${bad}</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>`,
          ),
        ),
      ).toBe('invalid-value');
    }
  });

  it('uses the smaller Complete-body limit by default', () => {
    const part =
      '<Part><PartNumber>1</PartNumber><ETag>"8EFDA8BE206636A695359836FE0AABCD"</ETag></Part>';
    const big = `<CompleteMultipartUpload>${part.repeat(Math.ceil(DEFAULT_MAX_COMPLETE_BODY_BYTES / part.length) + 1)}</CompleteMultipartUpload>`;
    expect(kindOf(() => parseCompleteMultipartUpload(big))).toBe('too-large');
  });

  it('accepts 10,000 parts written with indentation within the default limit', () => {
    const parts = Array.from(
      { length: 10_000 },
      (_, i) =>
        `\n    <Part>\n        <PartNumber>${i + 1}</PartNumber>\n        <ETag>&quot;8EFDA8BE206636A695359836FE0AABCD&quot;</ETag>\n    </Part>`,
    );
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload>${parts.join('')}\n</CompleteMultipartUpload>\n`;
    const parsed = parseCompleteMultipartUpload(body);
    expect(parsed.parts).toHaveLength(10_000);
    expect(parsed.parts[9_999]).toEqual({
      partNumber: 10_000,
      etag: '8EFDA8BE206636A695359836FE0AABCD',
    });
  });

  it('refuses to build a part number that is not a non-negative safe integer', () => {
    for (const partNumber of [-1, 1.5, Number.NaN, 2 ** 53]) {
      expect(
        kindOf(() => buildCompleteMultipartUpload({ parts: [{ partNumber, etag: 'a' }] })),
      ).toBe('invalid-value');
    }
  });

  it('round-trips', () => {
    const part = fc.record({ partNumber: fc.integer({ min: 1, max: 10_000 }), etag });
    fc.assert(
      fc.property(fc.array(part, { maxLength: 30 }), (parts) => {
        const body: CompleteMultipartUpload = { parts };
        expect(parseCompleteMultipartUpload(buildCompleteMultipartUpload(body))).toEqual(body);
      }),
      RUNS,
    );
  });
});
