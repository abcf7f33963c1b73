import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anyKey,
  etag,
  identifier,
  kindOf,
  RUNS,
  trimmedText,
  xmlSafeKey,
} from '../test/helpers.ts';
import {
  buildCompleteMultipartUploadResult,
  type CompleteMultipartUploadResult,
  parseCompleteMultipartUploadResult,
} from './complete-multipart-upload-result.ts';

describe('CompleteMultipartUploadResult', () => {
  it('builds the exact shape of §4.4, ETag quoted', () => {
    expect(
      buildCompleteMultipartUploadResult({
        location: 'http://oss-example.oss-cn-hangzhou.aliyuncs.com/multipart.data',
        bucket: 'oss-example',
        key: 'multipart.data',
        etag: '097DE458AD02B5F89F9D0530231876AB-3',
      }),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult><Location>http://oss-example.oss-cn-hangzhou.aliyuncs.com/multipart.data</Location><Bucket>oss-example</Bucket><Key>multipart.data</Key><ETag>"097DE458AD02B5F89F9D0530231876AB-3"</ETag></CompleteMultipartUploadResult>',
    );
  });

  it('stores the ETag bare, whatever its escaping', () => {
    const parsed = parseCompleteMultipartUploadResult(
      '<CompleteMultipartUploadResult><Location>l</Location><Bucket>b</Bucket><Key>k</Key><ETag>&quot;1C787C506EABFB9B45EAAA8DB039F4B2-2&quot;</ETag></CompleteMultipartUploadResult>',
    );
    expect(parsed).toStrictEqual({
      location: 'l',
      bucket: 'b',
      key: 'k',
      etag: '1C787C506EABFB9B45EAAA8DB039F4B2-2',
    });
  });

  it('does not URL-decode Location, even under EncodingType url', () => {
    const parsed = parseCompleteMultipartUploadResult(
      '<CompleteMultipartUploadResult><EncodingType>url</EncodingType><Location>http://b.h/a%20b</Location><Bucket>b</Bucket><Key>a%20b</Key><ETag>"E"</ETag></CompleteMultipartUploadResult>',
    );
    expect(parsed.location).toBe('http://b.h/a%20b');
    expect(parsed.key).toBe('a b');
  });

  it('requires Key and ETag; Location and Bucket default to empty', () => {
    expect(
      kindOf(() =>
        parseCompleteMultipartUploadResult(
          '<CompleteMultipartUploadResult><Key>k</Key></CompleteMultipartUploadResult>',
        ),
      ),
    ).toBe('missing-element');
    expect(
      kindOf(() =>
        parseCompleteMultipartUploadResult(
          '<CompleteMultipartUploadResult><ETag>e</ETag></CompleteMultipartUploadResult>',
        ),
      ),
    ).toBe('missing-element');
    expect(
      parseCompleteMultipartUploadResult(
        '<CompleteMultipartUploadResult><Key>k</Key><ETag>e</ETag></CompleteMultipartUploadResult>',
      ),
    ).toStrictEqual({ location: '', bucket: '', key: 'k', etag: 'e' });
  });

  it('a callback JSON body is not XML', () => {
    expect(kindOf(() => parseCompleteMultipartUploadResult('{"Status":"OK"}'))).toBe('not-xml');
  });

  it('round-trips raw keys and, under encoding-type=url, any key', () => {
    const result = (key: fc.Arbitrary<string>, encodingType?: 'url') =>
      fc
        .record({ location: trimmedText, bucket: identifier, key, etag })
        .map(
          (r): CompleteMultipartUploadResult =>
            encodingType === undefined ? { ...r } : { ...r, encodingType },
        );
    fc.assert(
      fc.property(result(xmlSafeKey), (value) => {
        expect(
          parseCompleteMultipartUploadResult(buildCompleteMultipartUploadResult(value)),
        ).toStrictEqual(value);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(result(anyKey, 'url'), (value) => {
        expect(
          parseCompleteMultipartUploadResult(buildCompleteMultipartUploadResult(value)),
        ).toStrictEqual(value);
      }),
      RUNS,
    );
  });

  it('refuses a raw control character in the key, and in Location', () => {
    expect(
      kindOf(() =>
        buildCompleteMultipartUploadResult({
          location: 'l',
          bucket: 'b',
          key: 'a\u000b',
          etag: 'e',
        }),
      ),
    ).toBe('needs-url-encoding');
    expect(
      kindOf(() =>
        buildCompleteMultipartUploadResult({
          location: 'http://b/a\u000b',
          bucket: 'b',
          key: 'a',
          etag: 'e',
        }),
      ),
    ).toBe('invalid-value');
  });
});
