import { describe, expect, it } from 'vitest';
import { buildOssErrHeader, parseOssErrHeader } from './oss-err-header.ts';
import type { OssErrorDocument } from './oss-error-document.ts';

describe('x-oss-err header', () => {
  const doc: OssErrorDocument = {
    code: 'NoSuchKey',
    message: 'The specified key does not exist.',
    requestId: '5A016E35CB3DB13FD2BAAB3A',
    hostId: 'b.oss-cn-hangzhou.aliyuncs.com',
    key: 'dir/中文 key',
    ec: '0026-00000001',
    extra: {},
  };

  it('is Base64 of the UTF-8 error document and reads back', () => {
    const header = buildOssErrHeader(doc);
    expect(header).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(parseOssErrHeader(header)).toEqual(doc);
  });

  it('reads a header built by hand (Base64 of the XML bytes)', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>m</Message><RequestId>r</RequestId><HostId>h</HostId></Error>';
    expect(parseOssErrHeader(btoa(xml))?.code).toBe('NoSuchKey');
  });

  it('is lenient: undefined for a missing, non-Base64, non-UTF-8 or non-error value', () => {
    expect(parseOssErrHeader(null)).toBeUndefined();
    expect(parseOssErrHeader(undefined)).toBeUndefined();
    expect(parseOssErrHeader('')).toBeUndefined();
    expect(parseOssErrHeader('***not base64***')).toBeUndefined();
    expect(parseOssErrHeader(btoa('\xff\xfe\xfd'))).toBeUndefined();
    expect(parseOssErrHeader(btoa('<html>x</html>'))).toBeUndefined();
    expect(
      parseOssErrHeader(btoa('<Error><Code>X</Code></Error>'), { maxBytes: 10 }),
    ).toBeUndefined();
  });
});
