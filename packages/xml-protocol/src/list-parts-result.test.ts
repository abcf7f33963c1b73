import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anyKey,
  crc64,
  etag,
  identifier,
  isoDate,
  kindOf,
  owner,
  RUNS,
  xmlSafeKey,
} from '../test/helpers.ts';
import {
  buildListPartsResult,
  type ListPartsResult,
  parseListPartsResult,
} from './list-parts-result.ts';

const part = fc
  .record(
    {
      partNumber: fc.integer({ min: 1, max: 10_000 }),
      lastModified: isoDate,
      etag,
      hashCrc64ecma: crc64,
      size: fc.maxSafeNat(),
    },
    { requiredKeys: ['partNumber', 'lastModified', 'etag', 'size'] },
  )
  .map((p) => ({ ...p }));

function listParts(key: fc.Arbitrary<string>, encodingType?: 'url'): fc.Arbitrary<ListPartsResult> {
  return fc
    .record(
      {
        bucket: identifier,
        key,
        uploadId: identifier,
        initiator: owner.map((o) => ({ ...o })),
        owner: owner.map((o) => ({ ...o })),
        storageClass: fc.constantFrom('Standard', 'IA', 'Archive'),
        partNumberMarker: fc.integer({ min: 0, max: 10_000 }),
        nextPartNumberMarker: fc.integer({ min: 0, max: 10_000 }),
        maxParts: fc.integer({ min: 1, max: 1000 }),
        isTruncated: fc.boolean(),
        parts: fc.array(part, { maxLength: 5 }),
      },
      { requiredKeys: ['bucket', 'key', 'uploadId', 'isTruncated', 'parts'] },
    )
    .map((r) => (encodingType === undefined ? { ...r } : { ...r, encodingType }));
}

describe('ListPartsResult', () => {
  it('parses numbers as numbers, the CRC as bigint, ETags bare', () => {
    const parsed = parseListPartsResult(
      '<ListPartsResult><Bucket>b</Bucket><Key>007</Key><UploadId>0001</UploadId><PartNumberMarker></PartNumberMarker><NextPartNumberMarker>2</NextPartNumberMarker><MaxParts>1000</MaxParts><IsTruncated>TRUE</IsTruncated><Part><PartNumber>2</PartNumber><LastModified>2023-11-22T05:42:34.000Z</LastModified><ETag>&quot;CF3F&quot;</ETag><HashCrc64ecma>18446744073709551615</HashCrc64ecma><Size>9007199254740991</Size></Part></ListPartsResult>',
    );
    expect(parsed).toStrictEqual({
      bucket: 'b',
      key: '007',
      uploadId: '0001',
      nextPartNumberMarker: 2,
      maxParts: 1000,
      isTruncated: true,
      parts: [
        {
          partNumber: 2,
          lastModified: '2023-11-22T05:42:34.000Z',
          etag: 'CF3F',
          hashCrc64ecma: 18446744073709551615n,
          size: 9007199254740991,
        },
      ],
    });
  });

  it('reads a missing IsTruncated as false and an empty page as no parts', () => {
    expect(
      parseListPartsResult('<ListPartsResult><Bucket>b</Bucket></ListPartsResult>'),
    ).toStrictEqual({
      bucket: 'b',
      key: '',
      uploadId: '',
      isTruncated: false,
      parts: [],
    });
  });

  it('refuses sizes and CRCs out of range, and a bad IsTruncated', () => {
    const withPart = (inner: string) => `<ListPartsResult><Part>${inner}</Part></ListPartsResult>`;
    expect(
      kindOf(() =>
        parseListPartsResult(
          withPart('<PartNumber>1</PartNumber><ETag>e</ETag><Size>9007199254740992</Size>'),
        ),
      ),
    ).toBe('invalid-value');
    expect(
      kindOf(() =>
        parseListPartsResult(withPart('<PartNumber>1</PartNumber><ETag>e</ETag><Size>-5</Size>')),
      ),
    ).toBe('invalid-value');
    expect(
      kindOf(() =>
        parseListPartsResult(
          withPart(
            '<PartNumber>1</PartNumber><ETag>e</ETag><Size>1</Size><HashCrc64ecma>18446744073709551616</HashCrc64ecma>',
          ),
        ),
      ),
    ).toBe('invalid-value');
    expect(
      kindOf(() =>
        parseListPartsResult(
          withPart(
            '<PartNumber>1</PartNumber><ETag>e</ETag><Size>1</Size><HashCrc64ecma>0x12</HashCrc64ecma>',
          ),
        ),
      ),
    ).toBe('invalid-value');
    expect(
      kindOf(() => parseListPartsResult(withPart('<PartNumber>1</PartNumber><ETag>e</ETag>'))),
    ).toBe('missing-element');
    expect(
      kindOf(() =>
        parseListPartsResult('<ListPartsResult><IsTruncated>yes</IsTruncated></ListPartsResult>'),
      ),
    ).toBe('invalid-value');
  });

  it('decodes the key only under EncodingType url', () => {
    const body = '<ListPartsResult><Key>demo%2Fgp-%0C%0A%0B</Key></ListPartsResult>';
    expect(parseListPartsResult(body).key).toBe('demo%2Fgp-%0C%0A%0B');
    expect(
      parseListPartsResult(body.replace('<Key>', '<EncodingType>url</EncodingType><Key>')).key,
    ).toBe('demo/gp-\f\n\v');
  });

  it('builds the §4.6 element order, empty markers as empty elements', () => {
    expect(
      buildListPartsResult({
        bucket: 'bucket',
        key: 'k',
        uploadId: 'U',
        storageClass: 'Standard',
        partNumberMarker: 0,
        maxParts: 1000,
        isTruncated: false,
        parts: [
          {
            partNumber: 1,
            lastModified: '2023-11-22T05:42:34.000Z',
            etag: 'CF3F',
            hashCrc64ecma: 12066172435287683848n,
            size: 96316,
          },
        ],
      }),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><ListPartsResult><Bucket>bucket</Bucket><Key>k</Key><UploadId>U</UploadId><StorageClass>Standard</StorageClass><PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker></NextPartNumberMarker><MaxParts>1000</MaxParts><IsTruncated>false</IsTruncated><Part><PartNumber>1</PartNumber><LastModified>2023-11-22T05:42:34.000Z</LastModified><ETag>"CF3F"</ETag><HashCrc64ecma>12066172435287683848</HashCrc64ecma><Size>96316</Size></Part></ListPartsResult>',
    );
  });

  it('refuses to build a CRC outside 0…2^64-1 or a negative size', () => {
    const base: ListPartsResult = {
      bucket: 'b',
      key: 'k',
      uploadId: 'u',
      isTruncated: false,
      parts: [],
    };
    const withPart = (hashCrc64ecma: bigint, size: number) =>
      buildListPartsResult({
        ...base,
        parts: [{ partNumber: 1, lastModified: '', etag: 'e', hashCrc64ecma, size }],
      });
    expect(kindOf(() => withPart(1n << 64n, 1))).toBe('invalid-value');
    expect(kindOf(() => withPart(-1n, 1))).toBe('invalid-value');
    expect(kindOf(() => withPart(1n, -1))).toBe('invalid-value');
    expect(kindOf(() => withPart(1n, 1))).toBe('no error');
  });

  it('round-trips raw keys XML can carry', () => {
    fc.assert(
      fc.property(listParts(xmlSafeKey), (value) => {
        expect(parseListPartsResult(buildListPartsResult(value))).toEqual(value);
      }),
      RUNS,
    );
  });

  it('round-trips any key under encoding-type=url, and refuses control characters raw', () => {
    fc.assert(
      fc.property(listParts(anyKey, 'url'), (value) => {
        expect(parseListPartsResult(buildListPartsResult(value))).toEqual(value);
      }),
      RUNS,
    );
    expect(
      kindOf(() =>
        buildListPartsResult({
          bucket: 'b',
          key: '\u001f',
          uploadId: 'u',
          isTruncated: false,
          parts: [],
        }),
      ),
    ).toBe('needs-url-encoding');
  });
});
