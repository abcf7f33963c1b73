import type { BodyHasher } from './body-hasher.ts';
import type {
  AbortMultipartUploadInput,
  AbortMultipartUploadOutput,
  CompleteMultipartUploadInput,
  CompleteMultipartUploadOutput,
  DeleteObjectInput,
  DeleteObjectOutput,
  GetObjectInput,
  GetObjectOutput,
  HeadObjectInput,
  HeadObjectOutput,
  InitiateMultipartUploadInput,
  InitiateMultipartUploadOutput,
  ListedPart,
  ListMultipartUploadsInput,
  ListMultipartUploadsOutput,
  ListPartsInput,
  ListPartsOutput,
  MultipartUploadEntry,
  MultipartUploadInfo,
  PresignInput,
  PresignOutput,
  PutObjectInput,
  PutObjectOutput,
  UploadPartCopyInput,
  UploadPartCopyOutput,
  UploadPartInput,
  UploadPartOutput,
} from './operation-types.ts';
import type { ReplayableBody } from './replayable-body.ts';

/** Options of {@link OssClient.listAllParts}: a ListParts input without the page cursor. */
export type ListAllPartsInput = Omit<ListPartsInput, 'partNumberMarker' | 'maxParts'> & {
  /** Page size, 1..1000. Default 1000. */
  pageSize?: number;
};

/** Options of the ListMultipartUploads paginators. */
export interface ListAllMultipartUploadsInput {
  /** Bucket to list. */
  bucket: string;
  /** Only uploads whose key starts with this. */
  prefix?: string;
  /** Page size, 1..1000. Default 1000. */
  pageSize?: number;
  /** Cancels the iteration. */
  signal?: AbortSignal;
}

/** Options of {@link OssClient.listUploadsForKey}. */
export interface ListUploadsForKeyInput {
  /** Bucket. */
  bucket: string;
  /** Exact object key. */
  key: string;
  /** Page size, 1..1000. Default 1000. */
  pageSize?: number;
  /** Cancels the iteration. */
  signal?: AbortSignal;
}

/** Options of {@link OssClient.listUploadsAndPrefixes}. */
export interface ListUploadsAndPrefixesInput extends ListAllMultipartUploadsInput {
  /** Directory separator; keys containing it after the prefix roll up into one entry. Default `/`. */
  delimiter?: string;
}

/**
 * A configured OSS client: one method per operation, async-iterator paginators, and
 * presigning. Create one with {@link createClient}; it is cheap and safe to share across
 * concurrent calls (credentials refresh single-flight, the clock offset is shared).
 *
 * Every method rejects with an {@link OssError} subclass: {@link OssServiceError} for an
 * OSS error answer, {@link OssNetworkError}/{@link OssTimeoutError} once retries are spent,
 * {@link OssArgumentError} for invalid input (before anything is sent), or the signal's
 * reason when aborted.
 */
export interface OssClient {
  /** Endpoint origin, e.g. `https://oss-cn-hangzhou.aliyuncs.com`. */
  readonly endpoint: string;
  /** Region id used for V4 signing, e.g. `cn-hangzhou`. */
  readonly region: string;
  /** Signature scheme in use. */
  readonly signatureVersion: 'v1' | 'v4';
  /**
   * How `upload()` hashes parts with this client (the `hasher` option of `createClient`). Optional so
   * that hand-written clients (test doubles) need not provide one; `upload()` then hashes
   * inline.
   */
  readonly hasher?: BodyHasher;
  /**
   * Whether the transport streams a {@link ReplayableBody} instead of gathering it into one
   * array per attempt (see `Transport.streamsBodies`). `upload()` then reads each part of a
   * source that has `readInto` (a file) in slices as the socket takes them, holding a few
   * MiB per part in flight instead of the whole part. Optional, like `hasher`; absent means
   * `false`.
   */
  readonly streamsBodies?: boolean;

  /** InitiateMultipartUpload (`POST /key?uploads`): starts an upload, returns its id. */
  initiateMultipartUpload(
    input: InitiateMultipartUploadInput,
  ): Promise<InitiateMultipartUploadOutput>;
  /**
   * UploadPart (`PUT /key?partNumber=N&uploadId=…`). Returns the part's ETag (no quotes)
   * and CRC-64; the caller compares the CRC with its own (the uploader does).
   */
  uploadPart(input: UploadPartInput): Promise<UploadPartOutput>;
  /** UploadPartCopy: fills a part from (a range of) an existing object. */
  uploadPartCopy(input: UploadPartCopyInput): Promise<UploadPartCopyOutput>;
  /**
   * CompleteMultipartUpload: assembles the listed parts (ascending), or every uploaded part
   * with `completeAll: true` (`x-oss-complete-all: yes`).
   */
  completeMultipartUpload(
    input: CompleteMultipartUploadInput,
  ): Promise<CompleteMultipartUploadOutput>;
  /** AbortMultipartUpload: deletes the upload and its parts. */
  abortMultipartUpload(input: AbortMultipartUploadInput): Promise<AbortMultipartUploadOutput>;
  /** ListParts: one page (up to 1000) of uploaded parts. */
  listParts(input: ListPartsInput): Promise<ListPartsOutput>;
  /** Every uploaded part of an upload, ascending, fetching pages as the loop advances. */
  listAllParts(input: ListAllPartsInput): AsyncIterable<ListedPart>;
  /** ListMultipartUploads: one page of in-progress uploads of a bucket. */
  listMultipartUploads(input: ListMultipartUploadsInput): Promise<ListMultipartUploadsOutput>;
  /** Every in-progress upload of a bucket (optionally under a prefix), by key then upload id. */
  listAllMultipartUploads(input: ListAllMultipartUploadsInput): AsyncIterable<MultipartUploadInfo>;
  /** Every in-progress upload of exactly one key (use it to find an upload to resume). */
  listUploadsForKey(input: ListUploadsForKeyInput): AsyncIterable<MultipartUploadInfo>;
  /**
   * In-progress uploads directly under a prefix, with deeper "directories" rolled up into
   * `{ kind: 'prefix' }` entries (ListMultipartUploads with a delimiter), across all pages.
   */
  listUploadsAndPrefixes(input: ListUploadsAndPrefixesInput): AsyncIterable<MultipartUploadEntry>;
  /** PutObject: uploads a whole object in one request (max 5 GiB). */
  putObject(input: PutObjectInput): Promise<PutObjectOutput>;
  /** GetObject: headers plus a streaming body; optionally a byte range. */
  getObject(input: GetObjectInput): Promise<GetObjectOutput>;
  /** HeadObject: size, ETag, CRC-64, type and metadata of an object. */
  headObject(input: HeadObjectInput): Promise<HeadObjectOutput>;
  /** DeleteObject. Succeeds for a missing key, as OSS does. */
  deleteObject(input: DeleteObjectInput): Promise<DeleteObjectOutput>;
  /**
   * Presigns a request into a URL usable with plain `fetch`/curl and no credentials, e.g. a
   * GET to share or a PUT for a browser. Needs local credentials (not a remote signer).
   */
  presign(input: PresignInput): Promise<PresignOutput>;
}
