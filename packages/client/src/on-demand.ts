// The code loaded on first use, through `loadOnDemand()` (load-on-demand.ts), so that the
// browser bundle of `createClient` + `upload` stays small (issue #8). What `upload()` runs for
// every part (signing, sending, retrying, hashing, progress) is loaded up front; here is what
// only some calls need:
// - reading and writing XML bodies: the Initiate and Complete answers of a multipart upload,
//   error answers, the Complete request (a single-request upload that succeeds never needs it);
// - the table of media types by extension (an upload given no type, of a key with an extension);
// - checkpoints and resuming (uploads given a checkpoint store);
// - the object reads, listings and paginators, UploadPartCopy, presigning and V1 signing;
// - MD5 (uploads with `contentMd5`, and confirming a Complete whose answer was lost).
//
// Everything goes through this one module, on purpose: a bundler makes a chunk per dynamic
// import target plus a shared chunk for each combination of targets that use the same code,
// and every chunk costs a request and about a kilobyte of gzip overhead. One target means one
// lazy chunk. Import from here only through `loadOnDemand()`: a static import would pull it
// all back into the up-front code. Likewise the up-front code imports the sibling packages
// whose other parts are loaded here through their narrower entry points (`@ossup/signer/v4`,
// `@ossup/part-planner/plan`) and nothing from `@ossup/xml-protocol`: a bundler keeps every
// module a package's main entry re-exports within reach of whoever imports that entry.

export { CHECKPOINT_VERSION, checkpointId } from '@ossup/checkpoint-store';
export { md5, multipartEtag } from '@ossup/checksum';
export { presignV1, signV1 } from '@ossup/signer';
export {
  buildCompleteMultipartUpload,
  parseCompleteMultipartUploadResult,
  parseInitiateMultipartUploadResult,
} from '@ossup/xml-protocol';
export { contentTypeForName } from './content-types.ts';
export { serviceErrorFromResponse } from './error-mapping.ts';
export {
  listAllMultipartUploads,
  listAllParts,
  listMultipartUploads,
  listParts,
  listUploadsAndPrefixes,
  listUploadsForKey,
} from './listing-operations.ts';
export { deleteObject, getObject, headObject } from './object-operations.ts';
export { parseResponse } from './parse-response.ts';
export { presign, presignRequest } from './presign.ts';
export { gatherBody, untilSettled, watchBody } from './replayable-body-io.ts';
export { badHeaderValueError, signingTimeoutError } from './request-errors.ts';
export { CheckpointWriter, uploadCheckpointWriter } from './upload/checkpoint-writer.ts';
export { partSending } from './upload/part-sending.ts';
export { findResumePoint, matchesServerPart } from './upload/resume.ts';
export { uploadPartCopy } from './upload-part-copy.ts';
