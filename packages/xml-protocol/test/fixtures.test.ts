// The XML examples of the protocol reference (§4), parsed to exact objects; see
// fixtures/README.md for where each file comes from.

import { describe, expect, it } from 'vitest';
import {
  buildCompleteMultipartUpload,
  buildCompleteMultipartUploadResult,
  buildCopyPartResult,
  buildInitiateMultipartUploadResult,
  buildListBucketResult,
  buildListMultipartUploadsResult,
  buildListPartsResult,
  buildOssError,
  parseCompleteMultipartUpload,
  parseCompleteMultipartUploadResult,
  parseCopyPartResult,
  parseInitiateMultipartUploadResult,
  parseListBucketResult,
  parseListMultipartUploadsResult,
  parseListPartsResult,
  parseOssError,
  parseOssErrorBody,
  XmlProtocolError,
} from '../src/index.ts';
import completeRequest from './fixtures/complete-multipart-upload.xml?raw';
import completeGoV2 from './fixtures/complete-multipart-upload-go-v2-style.xml?raw';
import completeJavaV1 from './fixtures/complete-multipart-upload-java-v1-style.xml?raw';
import completeResult from './fixtures/complete-multipart-upload-result.xml?raw';
import copyPartResult from './fixtures/copy-part-result.xml?raw';
import errorNoSuchUpload from './fixtures/error-no-such-upload.xml?raw';
import errorSignature from './fixtures/error-signature-does-not-match.xml?raw';
import initiateResult from './fixtures/initiate-multipart-upload-result.xml?raw';
import listBucketV1 from './fixtures/list-bucket-result-v1.xml?raw';
import listBucketV2 from './fixtures/list-bucket-result-v2-url.xml?raw';
import listUploads from './fixtures/list-multipart-uploads-result.xml?raw';
import listParts from './fixtures/list-parts-result.xml?raw';
import proxy502 from './fixtures/proxy-502.html.txt?raw';

describe('§4 fixtures parse to exact objects', () => {
  it('§4.0 Error (NoSuchUpload)', () => {
    expect(parseOssError(errorNoSuchUpload)).toStrictEqual({
      code: 'NoSuchUpload',
      message:
        'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      requestId: '63E37239D9A902383982A9EC',
      hostId: 'examplebucket.oss-cn-hangzhou.aliyuncs.com',
      uploadId: '00358B75E5C546AF822369CE04A48A14',
      ec: '0042-00000104',
      extra: {},
    });
    expect(parseOssErrorBody(errorNoSuchUpload)?.code).toBe('NoSuchUpload');
  });

  it('§4.1 InitiateMultipartUploadResult', () => {
    expect(parseInitiateMultipartUploadResult(initiateResult)).toStrictEqual({
      encodingType: 'url',
      bucket: 'oss-example',
      key: 'multipart.data',
      uploadId: '0004B9894A22E5B1888A1E29F823****',
    });
  });

  it('§4.3 CopyPartResult', () => {
    expect(parseCopyPartResult(copyPartResult)).toStrictEqual({
      lastModified: '2014-07-17T06:27:54.000Z',
      etag: '5B3C1A2E053D763E1B002CC607C5****',
    });
  });

  it('§4.4 CompleteMultipartUpload request body, in all three SDK styles', () => {
    const expected = {
      parts: [
        { partNumber: 1, etag: '8EFDA8BE206636A695359836FE0A****' },
        { partNumber: 2, etag: '8C315065167132444177411FDA14****' },
      ],
    };
    expect(parseCompleteMultipartUpload(completeRequest)).toStrictEqual(expected);
    expect(parseCompleteMultipartUpload(completeGoV2)).toStrictEqual(expected);
    expect(parseCompleteMultipartUpload(completeJavaV1)).toStrictEqual(expected);
  });

  it('§4.4 CompleteMultipartUploadResult', () => {
    expect(parseCompleteMultipartUploadResult(completeResult)).toStrictEqual({
      encodingType: 'url',
      location: 'http://oss-example.oss-cn-hangzhou.aliyuncs.com/multipart.data',
      bucket: 'oss-example',
      key: 'multipart.data',
      etag: '097DE458AD02B5F89F9D0530231876****-3',
    });
  });

  it('§4.6 ListPartsResult, key URL-decoded to its control characters', () => {
    expect(parseListPartsResult(listParts)).toStrictEqual({
      encodingType: 'url',
      bucket: 'bucket',
      key: 'demo/gp-\f\n\v',
      uploadId: 'D4E111D4EA834F3ABCE4877B2779****',
      storageClass: 'Standard',
      partNumberMarker: 0,
      nextPartNumberMarker: 1,
      maxParts: 1000,
      isTruncated: false,
      parts: [
        {
          partNumber: 1,
          lastModified: '2023-11-22T05:42:34.000Z',
          etag: 'CF3F46D505093571E916FCDD4967****',
          hashCrc64ecma: 12066172435287683848n,
          size: 96316,
        },
      ],
    });
  });

  it('§4.7 ListMultipartUploadsResult with CommonPrefixes', () => {
    expect(parseListMultipartUploadsResult(listUploads)).toStrictEqual({
      encodingType: 'url',
      bucket: 'oss-example',
      keyMarker: '',
      uploadIdMarker: '',
      nextKeyMarker: 'oss.avi',
      nextUploadIdMarker: '89F0105AA66942638E35300618DF****',
      delimiter: '/',
      prefix: 'pre',
      maxUploads: 1000,
      isTruncated: false,
      uploads: [
        {
          key: 'oss.avi',
          uploadId: '0214A87687F040F1BA4D83AB17C9****',
          storageClass: 'Standard',
          initiated: '2023-11-22T05:45:57.000Z',
        },
      ],
      commonPrefixes: ['pre/dir/'],
    });
  });
});

describe('other fixtures', () => {
  it('SignatureDoesNotMatch error with its optional children', () => {
    expect(parseOssError(errorSignature)).toStrictEqual({
      code: 'SignatureDoesNotMatch',
      message:
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      requestId: '5A016E35CB3DB13FD2BAAB3A',
      hostId: 'examplebucket.oss-cn-hangzhou.aliyuncs.com',
      ossAccessKeyId: 'LTAI-EXAMPLE-ONLY',
      signatureProvided: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      stringToSign:
        'PUT\n\napplication/octet-stream\nWed, 28 Dec 2022 10:27:41 GMT\n/examplebucket/multipart.data?partNumber=1&uploadId=0004B9894A22E5B1888A1E29F823****',
      stringToSignBytes: '50 55 54 0A 0A',
      ec: '0002-00000040',
      recommendDoc: 'https://api.aliyun.com/troubleshoot?q=0002-00000040',
      extra: {},
    });
  });

  it('ListBucketResult v1', () => {
    expect(parseListBucketResult(listBucketV1)).toStrictEqual({
      listType: 1,
      name: 'examplebucket',
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
          etag: '5B3C1A2E053D763E1B002CC607C5****',
          type: 'Normal',
          size: 344606,
          storageClass: 'Standard',
          owner: { id: '0022012****', displayName: 'user-example' },
        },
      ],
      commonPrefixes: ['fun/test/'],
    });
  });

  it('ListBucketResult v2 under encoding-type=url', () => {
    expect(parseListBucketResult(listBucketV2)).toStrictEqual({
      listType: 2,
      encodingType: 'url',
      name: 'examplebucket',
      prefix: 'a/',
      startAfter: 'a/b',
      maxKeys: 3,
      delimiter: '/',
      isTruncated: true,
      nextContinuationToken: 'CgJiYw--',
      keyCount: 2,
      contents: [
        {
          key: 'a/c d+e\f',
          lastModified: '2020-05-18T05:45:54.000Z',
          etag: '35A27C2B9EAEEB6F48FD7FB5861D****',
          type: 'Multipart',
          size: 25,
          storageClass: 'Standard',
        },
      ],
      commonPrefixes: ['a/sub/'],
    });
  });

  it('the proxy page is HTML to every parser, and not an OSS error', () => {
    expect(() => parseListPartsResult(proxy502)).toThrow(XmlProtocolError);
    expect(() => parseInitiateMultipartUploadResult(proxy502)).toThrow(/HTML page/);
    expect(parseOssErrorBody(proxy502)).toBeUndefined();
  });
});

describe('fixtures survive parse → build → parse', () => {
  it('every §4 body', () => {
    const cases: Array<[string, (xml: string) => unknown, (value: never) => string]> = [
      [errorNoSuchUpload, parseOssError, buildOssError],
      [errorSignature, parseOssError, buildOssError],
      [initiateResult, parseInitiateMultipartUploadResult, buildInitiateMultipartUploadResult],
      [copyPartResult, parseCopyPartResult, buildCopyPartResult],
      [completeRequest, parseCompleteMultipartUpload, buildCompleteMultipartUpload],
      [completeResult, parseCompleteMultipartUploadResult, buildCompleteMultipartUploadResult],
      [listParts, parseListPartsResult, buildListPartsResult],
      [listUploads, parseListMultipartUploadsResult, buildListMultipartUploadsResult],
      [listBucketV1, parseListBucketResult, buildListBucketResult],
      [listBucketV2, parseListBucketResult, buildListBucketResult],
    ];
    for (const [xml, parse, build] of cases) {
      const first = parse(xml);
      const rebuilt = build(first as never);
      expect(rebuilt.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
      expect(parse(rebuilt)).toStrictEqual(first);
    }
  });

  it('the §4.6 key is written back URL-encoded exactly as the service wrote it', () => {
    expect(buildListPartsResult(parseListPartsResult(listParts))).toContain(
      '<Key>demo%2Fgp-%0C%0A%0B</Key>',
    );
  });
});
