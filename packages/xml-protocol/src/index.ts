export type { CompleteMultipartUpload, CompletePart } from './complete-multipart-upload.ts';
export {
  buildCompleteMultipartUpload,
  parseCompleteMultipartUpload,
} from './complete-multipart-upload.ts';
export type { CompleteMultipartUploadResult } from './complete-multipart-upload-result.ts';
export {
  buildCompleteMultipartUploadResult,
  parseCompleteMultipartUploadResult,
} from './complete-multipart-upload-result.ts';
export type { CopyPartResult } from './copy-part-result.ts';
export { buildCopyPartResult, parseCopyPartResult } from './copy-part-result.ts';
export { formatEtag, normalizeEtag } from './etag.ts';
export type { InitiateMultipartUploadResult } from './initiate-multipart-upload-result.ts';
export {
  buildInitiateMultipartUploadResult,
  parseInitiateMultipartUploadResult,
} from './initiate-multipart-upload-result.ts';
export type { XmlParseOptions } from './limits.ts';
export {
  DEFAULT_MAX_COMPLETE_BODY_BYTES,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_ELEMENTS,
  DEFAULT_MAX_ERROR_BYTES,
  DEFAULT_MAX_RESPONSE_BYTES,
} from './limits.ts';
export type {
  ListBucketResult,
  ListBucketResultCommon,
  ListBucketResultParseOptions,
  ListObjectsV1Result,
  ListObjectsV2Result,
  ObjectSummary,
} from './list-bucket-result.ts';
export { buildListBucketResult, parseListBucketResult } from './list-bucket-result.ts';
export type {
  ListMultipartUploadsResult,
  MultipartUploadSummary,
} from './list-multipart-uploads-result.ts';
export {
  buildListMultipartUploadsResult,
  parseListMultipartUploadsResult,
} from './list-multipart-uploads-result.ts';
export type { ListedPart, ListPartsResult } from './list-parts-result.ts';
export { buildListPartsResult, parseListPartsResult } from './list-parts-result.ts';
export { buildOssErrHeader, parseOssErrHeader } from './oss-err-header.ts';
export type { OssErrorDocument } from './oss-error-document.ts';
export { buildOssError, parseOssError, parseOssErrorBody } from './oss-error-document.ts';
export type { ReadXmlBodyOptions, XmlBodySource } from './read-xml-body.ts';
export { readXmlBody } from './read-xml-body.ts';
export type { EncodingType, OssOwner } from './types.ts';
export { percentDecode, percentEncode } from './url-encoding.ts';
export type { XmlProtocolErrorKind, XmlProtocolErrorOptions } from './xml-protocol-error.ts';
export { XmlProtocolError } from './xml-protocol-error.ts';
export { XML_DECLARATION } from './xml-writer.ts';
