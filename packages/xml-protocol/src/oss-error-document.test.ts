import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identifier, kindOf, RUNS, trimmedText, xmlSafeName } from '../test/helpers.ts';
import {
  buildOssError,
  type OssErrorDocument,
  parseOssError,
  parseOssErrorBody,
} from './oss-error-document.ts';

const SIGNATURE_DOES_NOT_MATCH = `<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>SignatureDoesNotMatch</Code>
  <Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>
  <RequestId>5A016E35CB3DB13FD2BAAB3A</RequestId>
  <HostId>bucket.oss-cn-hangzhou.aliyuncs.com</HostId>
  <OSSAccessKeyId>LTAI-example</OSSAccessKeyId>
  <SignatureProvided>c2lnbmF0dXJl</SignatureProvided>
  <StringToSign>GET


Wed, 28 Dec 2022 10:27:41 GMT
/bucket/key</StringToSign>
  <StringToSignBytes>47 45 54 0A</StringToSignBytes>
  <AccessDeniedDetail>
    <AuthAction>oss:GetObject</AuthAction>
    <PolicyType>ControlPolicy</PolicyType>
  </AccessDeniedDetail>
  <ErrorDetail>extra detail</ErrorDetail>
  <EC>0002-00000040</EC>
  <RecommendDoc>https://api.aliyun.com/troubleshoot?q=0002-00000040</RecommendDoc>
</Error>`;

describe('OSS error document', () => {
  it('parses typed fields, keeps StringToSign verbatim and unknown children in extra', () => {
    expect(parseOssError(SIGNATURE_DOES_NOT_MATCH)).toStrictEqual({
      code: 'SignatureDoesNotMatch',
      message:
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      requestId: '5A016E35CB3DB13FD2BAAB3A',
      hostId: 'bucket.oss-cn-hangzhou.aliyuncs.com',
      ossAccessKeyId: 'LTAI-example',
      signatureProvided: 'c2lnbmF0dXJl',
      stringToSign: 'GET\n\n\nWed, 28 Dec 2022 10:27:41 GMT\n/bucket/key',
      stringToSignBytes: '47 45 54 0A',
      ec: '0002-00000040',
      recommendDoc: 'https://api.aliyun.com/troubleshoot?q=0002-00000040',
      extra: {
        'AccessDeniedDetail.AuthAction': 'oss:GetObject',
        'AccessDeniedDetail.PolicyType': 'ControlPolicy',
        ErrorDetail: 'extra detail',
      },
    });
  });

  it('trims padded values (as old OSS docs show them) and defaults missing ones to empty', () => {
    expect(parseOssError('<Error>\n <Code>\n   AccessDenied\n </Code>\n</Error>')).toStrictEqual({
      code: 'AccessDenied',
      message: '',
      requestId: '',
      hostId: '',
      extra: {},
    });
  });

  it('requires Code', () => {
    expect(kindOf(() => parseOssError('<Error><Message>m</Message></Error>'))).toBe(
      'missing-element',
    );
  });

  it('keeps prototype-looking element names harmless', () => {
    const doc = parseOssError(
      '<Error><Code>X</Code><__proto__>p</__proto__><constructor>c</constructor><toString>t</toString></Error>',
    );
    expect(doc.extra).toEqual({ toString: 't' });
    expect(Object.getPrototypeOf(doc.extra)).toBe(Object.prototype);
  });

  it('builds Code, Message, RequestId, HostId, details, extra, then EC and RecommendDoc', () => {
    expect(
      buildOssError({
        code: 'NoSuchUpload',
        message: 'The specified upload does not exist.',
        requestId: 'R',
        hostId: 'h',
        uploadId: 'U',
        ec: '0042-00000104',
        extra: { Detail: 'd' },
      }),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message><RequestId>R</RequestId><HostId>h</HostId><UploadId>U</UploadId><Detail>d</Detail><EC>0042-00000104</EC></Error>',
    );
  });

  it('never refuses a value: characters XML cannot carry become U+FFFD, bad extra names are skipped', () => {
    const xml = buildOssError({
      code: 'NoSuchKey',
      message: 'm',
      requestId: 'r',
      hostId: 'h',
      key: 'demo/gp-\f\n\v',
      extra: { 'not a name': 'x', '<evil>': 'y', Code: 'dup', xmlThing: 'z' },
    });
    const doc = parseOssError(xml);
    expect(doc.key).toBe('demo/gp-\uFFFD\n\uFFFD');
    expect(doc.extra).toEqual({});
    expect(doc.code).toBe('NoSuchKey');
  });

  it('round-trips', () => {
    const known = [
      'Code',
      'Message',
      'RequestId',
      'HostId',
      'BucketName',
      'Key',
      'UploadId',
      'ArgumentName',
      'ArgumentValue',
      'OSSAccessKeyId',
      'SignatureProvided',
      'StringToSign',
      'StringToSignBytes',
      'EC',
      'RecommendDoc',
    ];
    const extraName = fc
      .stringMatching(/^[A-Z][A-Za-z0-9]{0,12}$/)
      .filter((name) => !known.includes(name) && !name.toLowerCase().startsWith('xml'));
    const doc = fc
      .record(
        {
          code: identifier,
          message: trimmedText,
          requestId: identifier,
          hostId: identifier,
          ec: identifier,
          recommendDoc: trimmedText,
          bucketName: identifier,
          key: trimmedText,
          uploadId: identifier,
          argumentName: identifier,
          argumentValue: trimmedText,
          ossAccessKeyId: identifier,
          signatureProvided: identifier,
          stringToSign: xmlSafeName,
          stringToSignBytes: trimmedText,
          extra: fc.dictionary(extraName, trimmedText, { maxKeys: 4 }).map((d) => ({ ...d })),
        },
        { requiredKeys: ['code', 'message', 'requestId', 'hostId', 'extra'] },
      )
      .map((d) => ({ ...d }) as OssErrorDocument);
    fc.assert(
      fc.property(doc, (value) => {
        expect(parseOssError(buildOssError(value))).toEqual(value);
      }),
      RUNS,
    );
  });
});

describe('parseOssErrorBody (lenient)', () => {
  it('returns the document for an OSS error body', () => {
    expect(parseOssErrorBody(SIGNATURE_DOES_NOT_MATCH)?.code).toBe('SignatureDoesNotMatch');
  });

  it('returns undefined, never throws, for anything that is not an OSS error document', () => {
    const notErrors: unknown[] = [
      '',
      '   ',
      '<html><body><h1>502 Bad Gateway</h1></body></html>',
      '<!DOCTYPE html><html><body>x</body></html>',
      '<!DOCTYPE Error [<!ENTITY a "b">]><Error><Code>&a;</Code></Error>',
      '{"Code":"X"}',
      '<Error><Code>Trunc',
      '<Error><Message>no code</Message></Error>',
      '<ListPartsResult/>',
      `<Error><Code>${'x'.repeat(2 * 1024 * 1024)}</Code></Error>`,
      undefined,
      null,
      42,
      new Uint8Array([60, 69]),
    ];
    for (const body of notErrors) {
      expect(parseOssErrorBody(body)).toBeUndefined();
    }
  });
});
