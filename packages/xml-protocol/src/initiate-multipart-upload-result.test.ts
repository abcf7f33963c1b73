import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyKey, identifier, kindOf, RUNS, xmlSafeKey } from '../test/helpers.ts';
import {
  buildInitiateMultipartUploadResult,
  type InitiateMultipartUploadResult,
  parseInitiateMultipartUploadResult,
} from './initiate-multipart-upload-result.ts';

describe('InitiateMultipartUploadResult', () => {
  it('builds the exact shape of §4.1', () => {
    expect(
      buildInitiateMultipartUploadResult({
        bucket: 'oss-example',
        key: 'multipart.data',
        uploadId: '0004B9894A22E5B1888A1E29F823ABCD',
      }),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><Bucket>oss-example</Bucket><Key>multipart.data</Key><UploadId>0004B9894A22E5B1888A1E29F823ABCD</UploadId></InitiateMultipartUploadResult>',
    );
  });

  it('writes EncodingType first and encodes the key when asked', () => {
    expect(
      buildInitiateMultipartUploadResult({
        encodingType: 'url',
        bucket: 'b',
        key: 'a b/c+d',
        uploadId: 'u',
      }),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><EncodingType>url</EncodingType><Bucket>b</Bucket><Key>a%20b%2Fc%2Bd</Key><UploadId>u</UploadId></InitiateMultipartUploadResult>',
    );
  });

  it('keeps a numeric-looking key and upload id as strings', () => {
    const parsed = parseInitiateMultipartUploadResult(
      '<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>007</Key><UploadId>0123</UploadId></InitiateMultipartUploadResult>',
    );
    expect(parsed).toStrictEqual({ bucket: 'b', key: '007', uploadId: '0123' });
  });

  it('decodes the key only when EncodingType is url', () => {
    const raw =
      '<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>a%2Fb+c</Key><UploadId>u</UploadId></InitiateMultipartUploadResult>';
    expect(parseInitiateMultipartUploadResult(raw).key).toBe('a%2Fb+c');
    const encoded = raw.replace('<Bucket>', '<EncodingType>url</EncodingType><Bucket>');
    expect(parseInitiateMultipartUploadResult(encoded).key).toBe('a/b c');
    expect(parseInitiateMultipartUploadResult(encoded).encodingType).toBe('url');
  });

  it('requires Key and UploadId', () => {
    expect(
      kindOf(() =>
        parseInitiateMultipartUploadResult(
          '<InitiateMultipartUploadResult><Key>k</Key></InitiateMultipartUploadResult>',
        ),
      ),
    ).toBe('missing-element');
    expect(
      kindOf(() =>
        parseInitiateMultipartUploadResult(
          '<InitiateMultipartUploadResult><UploadId>u</UploadId></InitiateMultipartUploadResult>',
        ),
      ),
    ).toBe('missing-element');
  });

  it('refuses an unknown EncodingType', () => {
    expect(
      kindOf(() =>
        parseInitiateMultipartUploadResult(
          '<InitiateMultipartUploadResult><EncodingType>base64</EncodingType><Key>k</Key><UploadId>u</UploadId></InitiateMultipartUploadResult>',
        ),
      ),
    ).toBe('invalid-value');
  });

  it('round-trips raw keys XML can carry', () => {
    fc.assert(
      fc.property(identifier, xmlSafeKey, identifier, (bucket, key, uploadId) => {
        const value: InitiateMultipartUploadResult = { bucket, key, uploadId };
        expect(
          parseInitiateMultipartUploadResult(buildInitiateMultipartUploadResult(value)),
        ).toStrictEqual(value);
      }),
      RUNS,
    );
  });

  it('round-trips any key, control characters included, under encoding-type=url', () => {
    fc.assert(
      fc.property(anyKey, (key) => {
        const value: InitiateMultipartUploadResult = {
          encodingType: 'url',
          bucket: 'b',
          key,
          uploadId: 'u',
        };
        expect(
          parseInitiateMultipartUploadResult(buildInitiateMultipartUploadResult(value)),
        ).toStrictEqual(value);
      }),
      RUNS,
    );
  });

  it('refuses to write a control character raw and says to use encoding-type=url', () => {
    const error = kindOf(() =>
      buildInitiateMultipartUploadResult({ bucket: 'b', key: 'demo/gp-\f\n\v', uploadId: 'u' }),
    );
    expect(error).toBe('needs-url-encoding');
    expect(() =>
      buildInitiateMultipartUploadResult({ bucket: 'b', key: 'a\u0000', uploadId: 'u' }),
    ).toThrow(/encodingType: 'url'/);
  });
});
