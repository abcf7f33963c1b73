import { type EncodingType, type OssErrorDocument, XmlProtocolError } from '@ossup/xml-protocol';
import type { OssError } from '../errors.ts';

const TYPED: Record<string, keyof OssErrorDocument> = {
  BucketName: 'bucketName',
  Key: 'key',
  UploadId: 'uploadId',
  ArgumentName: 'argumentName',
  ArgumentValue: 'argumentValue',
  OSSAccessKeyId: 'ossAccessKeyId',
  SignatureProvided: 'signatureProvided',
  StringToSign: 'stringToSign',
  StringToSignBytes: 'stringToSignBytes',
};

/** The `<Error>` document for an OssError. */
export function errorDocument(err: OssError, requestId: string, hostId: string): OssErrorDocument {
  const doc: OssErrorDocument = {
    code: err.code,
    message: err.message,
    requestId,
    hostId,
    extra: {},
  };
  const typed = doc as unknown as Record<string, string>;
  for (const [name, value] of Object.entries(err.extra)) {
    const field = TYPED[name];
    if (field !== undefined) typed[field] = value;
    else doc.extra[name] = value;
  }
  if (err.ec !== undefined) doc.ec = err.ec;
  return doc;
}

/**
 * Builds a listing-style document, falling back to `encoding-type=url` when an object name
 * holds a character XML 1.0 cannot carry (a control character). Clients decode names
 * whenever `<EncodingType>url</EncodingType>` is present, so the fallback is always read
 * correctly, while raw control characters would make the whole body unparsable.
 */
export function buildWithUrlFallback(
  build: (encodingType: EncodingType | undefined) => string,
  encodingType: EncodingType | undefined,
): string {
  try {
    return build(encodingType);
  } catch (err) {
    if (
      encodingType !== 'url' &&
      err instanceof XmlProtocolError &&
      err.kind === 'needs-url-encoding'
    ) {
      return build('url');
    }
    throw err;
  }
}
