import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anyKey,
  anyName,
  identifier,
  isoDate,
  kindOf,
  owner,
  RUNS,
  xmlSafeKey,
  xmlSafeName,
} from '../test/helpers.ts';
import {
  buildListMultipartUploadsResult,
  type ListMultipartUploadsResult,
  parseListMultipartUploadsResult,
} from './list-multipart-uploads-result.ts';

function listUploads(
  key: fc.Arbitrary<string>,
  name: fc.Arbitrary<string>,
  encodingType?: 'url',
): fc.Arbitrary<ListMultipartUploadsResult> {
  const upload = fc
    .record(
      {
        key,
        uploadId: identifier,
        storageClass: fc.constantFrom('Standard', 'IA'),
        initiated: isoDate,
        initiator: owner.map((o) => ({ ...o })),
        owner: owner.map((o) => ({ ...o })),
      },
      { requiredKeys: ['key', 'uploadId', 'initiated'] },
    )
    .map((u) => ({ ...u }));
  return fc
    .record(
      {
        bucket: identifier,
        keyMarker: name,
        uploadIdMarker: fc.oneof(fc.constant(''), identifier),
        nextKeyMarker: name,
        nextUploadIdMarker: fc.oneof(fc.constant(''), identifier),
        delimiter: name,
        prefix: name,
        maxUploads: fc.integer({ min: 1, max: 1000 }),
        isTruncated: fc.boolean(),
        uploads: fc.array(upload, { maxLength: 4 }),
        commonPrefixes: fc.array(key, { maxLength: 3 }),
      },
      {
        requiredKeys: [
          'bucket',
          'keyMarker',
          'uploadIdMarker',
          'nextKeyMarker',
          'nextUploadIdMarker',
          'delimiter',
          'prefix',
          'isTruncated',
          'uploads',
          'commonPrefixes',
        ],
      },
    )
    .map((r) => (encodingType === undefined ? { ...r } : { ...r, encodingType }));
}

describe('ListMultipartUploadsResult', () => {
  it('decodes every name field under EncodingType url, but not the upload-id markers', () => {
    const body = `<ListMultipartUploadsResult><EncodingType>url</EncodingType><Bucket>b</Bucket><KeyMarker>a%2Fb</KeyMarker><UploadIdMarker>X%2F</UploadIdMarker><NextKeyMarker>c%20d</NextKeyMarker><NextUploadIdMarker>Y%2F</NextUploadIdMarker><Delimiter>%2F</Delimiter><Prefix>p%2B</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>true</IsTruncated><Upload><Key>p%2B%0C</Key><UploadId>U1</UploadId><StorageClass>Standard</StorageClass><Initiated>2023-11-22T05:45:57.000Z</Initiated></Upload><CommonPrefixes><Prefix>p%2Bdir%2F</Prefix></CommonPrefixes></ListMultipartUploadsResult>`;
    expect(parseListMultipartUploadsResult(body)).toStrictEqual({
      encodingType: 'url',
      bucket: 'b',
      keyMarker: 'a/b',
      uploadIdMarker: 'X%2F',
      nextKeyMarker: 'c d',
      nextUploadIdMarker: 'Y%2F',
      delimiter: '/',
      prefix: 'p+',
      maxUploads: 1000,
      isTruncated: true,
      uploads: [
        {
          key: 'p+\f',
          uploadId: 'U1',
          storageClass: 'Standard',
          initiated: '2023-11-22T05:45:57.000Z',
        },
      ],
      commonPrefixes: ['p+dir/'],
    });
  });

  it('leaves name fields untouched without EncodingType', () => {
    const parsed = parseListMultipartUploadsResult(
      '<ListMultipartUploadsResult><Prefix>a%2Fb+c</Prefix><CommonPrefixes><Prefix>x%20</Prefix></CommonPrefixes></ListMultipartUploadsResult>',
    );
    expect(parsed.prefix).toBe('a%2Fb+c');
    expect(parsed.commonPrefixes).toEqual(['x%20']);
    expect(parsed.keyMarker).toBe('');
    expect(parsed.isTruncated).toBe(false);
  });

  it('accepts several Prefix in one CommonPrefixes', () => {
    const parsed = parseListMultipartUploadsResult(
      '<ListMultipartUploadsResult><CommonPrefixes><Prefix>a/</Prefix><Prefix>b/</Prefix></CommonPrefixes><CommonPrefixes><Prefix>c/</Prefix></CommonPrefixes></ListMultipartUploadsResult>',
    );
    expect(parsed.commonPrefixes).toEqual(['a/', 'b/', 'c/']);
  });

  it('refuses a malformed percent-escape under EncodingType url, naming the element', () => {
    const body =
      '<ListMultipartUploadsResult><EncodingType>url</EncodingType><Upload><Key>%E4%B8</Key><UploadId>u</UploadId></Upload></ListMultipartUploadsResult>';
    expect(kindOf(() => parseListMultipartUploadsResult(body))).toBe('invalid-value');
    expect(() => parseListMultipartUploadsResult(body)).toThrow(/Key/);
  });

  it('requires Key and UploadId in each Upload', () => {
    expect(
      kindOf(() =>
        parseListMultipartUploadsResult(
          '<ListMultipartUploadsResult><Upload><Key>k</Key></Upload></ListMultipartUploadsResult>',
        ),
      ),
    ).toBe('missing-element');
  });

  it('builds the §4.7 element order', () => {
    expect(
      buildListMultipartUploadsResult({
        bucket: 'oss-example',
        keyMarker: '',
        uploadIdMarker: '',
        nextKeyMarker: 'oss.avi',
        nextUploadIdMarker: 'N',
        delimiter: '/',
        prefix: 'pre',
        maxUploads: 1000,
        isTruncated: false,
        uploads: [
          {
            key: 'oss.avi',
            uploadId: 'U',
            storageClass: 'Standard',
            initiated: '2023-11-22T05:45:57.000Z',
          },
        ],
        commonPrefixes: ['pre/dir/'],
      }),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><ListMultipartUploadsResult><Bucket>oss-example</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker><NextKeyMarker>oss.avi</NextKeyMarker><NextUploadIdMarker>N</NextUploadIdMarker><Delimiter>/</Delimiter><Prefix>pre</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated><Upload><Key>oss.avi</Key><UploadId>U</UploadId><StorageClass>Standard</StorageClass><Initiated>2023-11-22T05:45:57.000Z</Initiated></Upload><CommonPrefixes><Prefix>pre/dir/</Prefix></CommonPrefixes></ListMultipartUploadsResult>',
    );
  });

  it('round-trips raw names XML can carry', () => {
    fc.assert(
      fc.property(listUploads(xmlSafeKey, xmlSafeName), (value) => {
        expect(parseListMultipartUploadsResult(buildListMultipartUploadsResult(value))).toEqual(
          value,
        );
      }),
      RUNS,
    );
  });

  it('round-trips any names under encoding-type=url', () => {
    fc.assert(
      fc.property(listUploads(anyKey, anyName, 'url'), (value) => {
        expect(parseListMultipartUploadsResult(buildListMultipartUploadsResult(value))).toEqual(
          value,
        );
      }),
      RUNS,
    );
  });

  it('refuses a control character in any raw name field', () => {
    const base: ListMultipartUploadsResult = {
      bucket: 'b',
      keyMarker: '',
      uploadIdMarker: '',
      nextKeyMarker: '',
      nextUploadIdMarker: '',
      delimiter: '',
      prefix: '',
      isTruncated: false,
      uploads: [],
      commonPrefixes: [],
    };
    expect(kindOf(() => buildListMultipartUploadsResult({ ...base, keyMarker: '\u0001' }))).toBe(
      'needs-url-encoding',
    );
    expect(kindOf(() => buildListMultipartUploadsResult({ ...base, prefix: '\u0002' }))).toBe(
      'needs-url-encoding',
    );
    expect(
      kindOf(() => buildListMultipartUploadsResult({ ...base, commonPrefixes: ['\u0003'] })),
    ).toBe('needs-url-encoding');
    expect(
      kindOf(() =>
        buildListMultipartUploadsResult({
          ...base,
          uploads: [{ key: '\u0004', uploadId: 'u', initiated: '' }],
        }),
      ),
    ).toBe('needs-url-encoding');
    expect(
      kindOf(() =>
        buildListMultipartUploadsResult({ ...base, encodingType: 'url', keyMarker: '\u0001' }),
      ),
    ).toBe('no error');
  });
});
