import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anyKey,
  anyName,
  etag,
  identifier,
  isoDate,
  kindOf,
  owner,
  RUNS,
  trimmedText,
  xmlSafeKey,
  xmlSafeName,
} from '../test/helpers.ts';
import {
  buildListBucketResult,
  type ListBucketResult,
  type ObjectSummary,
  parseListBucketResult,
} from './list-bucket-result.ts';

function objectSummary(key: fc.Arbitrary<string>): fc.Arbitrary<ObjectSummary> {
  return fc
    .record(
      {
        key,
        lastModified: isoDate,
        etag,
        type: fc.constantFrom('Normal', 'Multipart', 'Appendable'),
        size: fc.maxSafeNat(),
        storageClass: fc.constantFrom('Standard', 'IA', 'Archive'),
        owner: owner.map((o) => ({ ...o })),
        restoreInfo: trimmedText,
      },
      { requiredKeys: ['key', 'lastModified', 'etag', 'size'] },
    )
    .map((s) => ({ ...s }));
}

function listing(
  key: fc.Arbitrary<string>,
  name: fc.Arbitrary<string>,
  encodingType?: 'url',
): fc.Arbitrary<ListBucketResult> {
  const common = {
    name: identifier,
    prefix: name,
    maxKeys: fc.integer({ min: 0, max: 1000 }),
    delimiter: name,
    isTruncated: fc.boolean(),
    contents: fc.array(objectSummary(key), { maxLength: 4 }),
    commonPrefixes: fc.array(key, { maxLength: 3 }),
  };
  const required = [
    'name',
    'prefix',
    'delimiter',
    'isTruncated',
    'contents',
    'commonPrefixes',
  ] as const;
  const v1 = fc
    .record(
      { ...common, marker: name, nextMarker: name },
      { requiredKeys: [...required, 'marker'] },
    )
    .map((r): ListBucketResult => ({ listType: 1, ...r }));
  const v2 = fc
    .record(
      {
        ...common,
        startAfter: name,
        continuationToken: name,
        nextContinuationToken: name,
        keyCount: fc.integer({ min: 0, max: 1000 }),
      },
      { requiredKeys: [...required, 'keyCount'] },
    )
    .map((r): ListBucketResult => ({ listType: 2, ...r }));
  return fc.oneof(v1, v2).map((r) => (encodingType === undefined ? r : { ...r, encodingType }));
}

describe('ListBucketResult (GetBucket / ListObjects, v1 and v2)', () => {
  it('detects v1 and reads Marker/NextMarker', () => {
    const parsed = parseListBucketResult(
      '<ListBucketResult><Name>b</Name><Prefix>fun/</Prefix><Marker></Marker><MaxKeys>100</MaxKeys><Delimiter>/</Delimiter><IsTruncated>true</IsTruncated><NextMarker>fun/movie/001.avi</NextMarker><Contents><Key>fun/movie/001.avi</Key><LastModified>2012-02-24T08:43:07.000Z</LastModified><ETag>"5B3C"</ETag><Type>Normal</Type><Size>344606</Size><StorageClass>Standard</StorageClass><Owner><ID>0022</ID><DisplayName>user-example</DisplayName></Owner></Contents><CommonPrefixes><Prefix>fun/test/</Prefix></CommonPrefixes></ListBucketResult>',
    );
    expect(parsed).toStrictEqual({
      listType: 1,
      name: 'b',
      prefix: 'fun/',
      marker: '',
      maxKeys: 100,
      delimiter: '/',
      isTruncated: true,
      nextMarker: 'fun/movie/001.avi',
      contents: [
        {
          key: 'fun/movie/001.avi',
          lastModified: '2012-02-24T08:43:07.000Z',
          etag: '5B3C',
          type: 'Normal',
          size: 344606,
          storageClass: 'Standard',
          owner: { id: '0022', displayName: 'user-example' },
        },
      ],
      commonPrefixes: ['fun/test/'],
    });
  });

  it('detects v2 by KeyCount and decodes tokens under EncodingType url', () => {
    const parsed = parseListBucketResult(
      '<ListBucketResult><Name>b</Name><Prefix>a%2F</Prefix><StartAfter>a%2Fb</StartAfter><MaxKeys>3</MaxKeys><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated><NextContinuationToken>CgJiYw--</NextContinuationToken><Contents><Key>a%2Fc%20d</Key><Size>25</Size></Contents><KeyCount>1</KeyCount></ListBucketResult>',
    );
    expect(parsed).toStrictEqual({
      listType: 2,
      encodingType: 'url',
      name: 'b',
      prefix: 'a/',
      startAfter: 'a/b',
      maxKeys: 3,
      delimiter: '',
      isTruncated: true,
      nextContinuationToken: 'CgJiYw--',
      keyCount: 1,
      contents: [{ key: 'a/c d', lastModified: '', etag: '', size: 25 }],
      commonPrefixes: [],
    });
  });

  it('honours an explicit listType and counts KeyCount when a v2 body omits it', () => {
    const body =
      '<ListBucketResult><Name>b</Name><Contents><Key>k</Key><Size>1</Size></Contents><CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes></ListBucketResult>';
    expect(parseListBucketResult(body).listType).toBe(1);
    const v2 = parseListBucketResult(body, { listType: 2 });
    expect(v2.listType).toBe(2);
    expect(v2.listType === 2 ? v2.keyCount : -1).toBe(2);
  });

  it('ignores unknown elements such as TransitionTime', () => {
    const parsed = parseListBucketResult(
      '<ListBucketResult><Contents><Key>k</Key><Size>0</Size><TransitionTime>x</TransitionTime></Contents><Future/></ListBucketResult>',
    );
    expect(parsed.contents).toEqual([{ key: 'k', lastModified: '', etag: '', size: 0 }]);
  });

  it('requires Key and Size in Contents', () => {
    expect(
      kindOf(() =>
        parseListBucketResult(
          '<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>',
        ),
      ),
    ).toBe('missing-element');
    expect(
      kindOf(() =>
        parseListBucketResult(
          '<ListBucketResult><Contents><Key>k</Key></Contents></ListBucketResult>',
        ),
      ),
    ).toBe('missing-element');
  });

  it('builds v2 in the documented order, Delimiter only when set', () => {
    expect(
      buildListBucketResult({
        listType: 2,
        encodingType: 'url',
        name: 'b',
        prefix: 'a/',
        startAfter: 'b',
        maxKeys: 3,
        delimiter: '',
        isTruncated: true,
        nextContinuationToken: 'CgJiYw--',
        keyCount: 1,
        contents: [
          {
            key: 'a/b c',
            lastModified: '2020-05-18T05:45:54.000Z',
            etag: '35A2',
            size: 25,
            storageClass: 'Standard',
          },
        ],
        commonPrefixes: [],
      }),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><Prefix>a%2F</Prefix><StartAfter>b</StartAfter><MaxKeys>3</MaxKeys><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated><NextContinuationToken>CgJiYw--</NextContinuationToken><Contents><Key>a%2Fb%20c</Key><LastModified>2020-05-18T05:45:54.000Z</LastModified><ETag>"35A2"</ETag><Size>25</Size><StorageClass>Standard</StorageClass></Contents><KeyCount>1</KeyCount></ListBucketResult>',
    );
  });

  it('builds v1 in the documented order', () => {
    expect(
      buildListBucketResult({
        listType: 1,
        name: 'b',
        prefix: '',
        marker: '',
        maxKeys: 100,
        delimiter: '/',
        isTruncated: false,
        contents: [],
        commonPrefixes: ['d/'],
      }),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><Prefix></Prefix><Marker></Marker><MaxKeys>100</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated><CommonPrefixes><Prefix>d/</Prefix></CommonPrefixes></ListBucketResult>',
    );
  });

  it('round-trips raw names XML can carry (both versions)', () => {
    fc.assert(
      fc.property(listing(xmlSafeKey, xmlSafeName), (value) => {
        expect(parseListBucketResult(buildListBucketResult(value))).toEqual(value);
      }),
      RUNS,
    );
  });

  it('round-trips any names under encoding-type=url (both versions)', () => {
    fc.assert(
      fc.property(listing(anyKey, anyName, 'url'), (value) => {
        expect(parseListBucketResult(buildListBucketResult(value))).toEqual(value);
      }),
      RUNS,
    );
  });

  it('refuses a raw control character in a key, marker or token', () => {
    const v1: ListBucketResult = {
      listType: 1,
      name: 'b',
      prefix: '',
      marker: '\u0000',
      delimiter: '',
      isTruncated: false,
      contents: [],
      commonPrefixes: [],
    };
    expect(kindOf(() => buildListBucketResult(v1))).toBe('needs-url-encoding');
    const v2: ListBucketResult = {
      listType: 2,
      name: 'b',
      prefix: '',
      delimiter: '',
      isTruncated: true,
      nextContinuationToken: 'a\u0007',
      keyCount: 0,
      contents: [],
      commonPrefixes: [],
    };
    expect(kindOf(() => buildListBucketResult(v2))).toBe('needs-url-encoding');
  });
});
