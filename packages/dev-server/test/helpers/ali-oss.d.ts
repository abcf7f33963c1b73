// Types for the part of ali-oss 6.23.0 that test/ali-oss-compat.test.ts drives, written from
// ali-oss's own source (lib/client.js, lib/common/multipart.js, ...). They describe what it
// returns at run time, which is why they are local rather than @types/ali-oss: that package
// types `isTruncated` as a boolean (ali-oss passes the XML text through) and `parts` as an
// array (xml2js gives a lone <Part> as an object), and has no `sldEnable`.
declare module 'ali-oss' {
  namespace OSS {
    /** Constructor options (lib/common/client/initOptions.js). */
    interface Options {
      accessKeyId: string;
      accessKeySecret: string;
      bucket?: string;
      /** `http://127.0.0.1:PORT`: ali-oss then sends `Host: <bucket>.<region>.aliyuncs.com`. */
      endpoint?: string;
      /** `oss-cn-hangzhou` form; V4 signing strips the `oss-`. */
      region?: string;
      secure?: boolean;
      /** Path-style URLs (`/<bucket>/<key>`). */
      sldEnable?: boolean;
      authorizationV4?: boolean;
      timeout?: number;
    }

    /** `res` of every result (urllib's response). */
    interface Response {
      status: number;
      /** Lower-cased header names. */
      headers: Record<string, string | undefined>;
      size: number;
      rt: number;
      requestUrls: string[];
    }

    /** What ali-oss throws for an OSS error answer (`requestError` in lib/client.js). */
    interface RequestError extends Error {
      status: number;
      code: string;
      requestId?: string;
      ecCode?: string;
      hostId?: string;
    }

    interface RequestOptions {
      headers?: Record<string, string>;
      timeout?: number;
    }

    interface PutOptions extends RequestOptions {
      mime?: string;
      meta?: Record<string, string>;
    }

    interface MultipartUploadOptions extends PutOptions {
      parallel?: number;
      partSize?: number;
      progress?: (
        percentage: number,
        checkpoint: MultipartCheckpoint | null,
        res: Response,
      ) => void | Promise<void>;
    }

    interface MultipartCheckpoint {
      name: string;
      fileSize: number;
      partSize: number;
      uploadId: string;
      doneParts: { number: number; etag: string }[];
    }

    /** One `<Part>` of ListParts, as xml2js renders it: every value is text. */
    interface ListedPart {
      PartNumber: string;
      LastModified: string;
      ETag: string;
      HashCrc64ecma?: string;
      Size: string;
    }

    interface ListPartsResult {
      res: Response;
      uploadId: string;
      bucket: string;
      name: string;
      partNumberMarker: string;
      nextPartNumberMarker: string;
      maxParts: string;
      /** `'true'` or `'false'`, as in the XML. */
      isTruncated: string;
      /** An object, not an array, when the page holds a single part. */
      parts: ListedPart | ListedPart[];
    }

    interface ListUploadsResult {
      res: Response;
      bucket: string;
      uploads: { name: string; uploadId: string; initiated: string }[];
      nextKeyMarker: string;
      nextUploadIdMarker: string;
      isTruncated: boolean;
    }

    interface SignatureUrlOptions {
      /** Seconds from now; default 1800. */
      expires?: number;
      method?: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';
      'Content-Type'?: string;
      /** `response-*` overrides, e.g. `{ 'content-disposition': 'attachment' }`. */
      response?: Record<string, string>;
    }
  }

  class OSS {
    constructor(options: OSS.Options);
    putBucket(
      name: string,
      options?: OSS.RequestOptions,
    ): Promise<{ bucket: string | null; res: OSS.Response }>;
    put(
      name: string,
      file: Buffer | string,
      options?: OSS.PutOptions,
    ): Promise<{ name: string; res: OSS.Response }>;
    get(
      name: string,
      options?: OSS.RequestOptions,
    ): Promise<{ content: Buffer; res: OSS.Response }>;
    head(
      name: string,
      options?: OSS.RequestOptions,
    ): Promise<{ status: number; meta: Record<string, string> | null; res: OSS.Response }>;
    delete(name: string, options?: OSS.RequestOptions): Promise<{ res: OSS.Response }>;
    multipartUpload(
      name: string,
      file: Buffer | string,
      options?: OSS.MultipartUploadOptions,
    ): Promise<{ bucket: string; name: string; etag: string; res: OSS.Response }>;
    initMultipartUpload(
      name: string,
      options?: OSS.PutOptions,
    ): Promise<{ bucket: string; name: string; uploadId: string; res: OSS.Response }>;
    uploadPart(
      name: string,
      uploadId: string,
      partNo: number,
      file: Buffer | string,
      start: number,
      end: number,
      options?: OSS.RequestOptions,
    ): Promise<{ name: string; etag: string; res: OSS.Response }>;
    completeMultipartUpload(
      name: string,
      uploadId: string,
      parts: { number: number; etag: string }[],
      options?: OSS.RequestOptions,
    ): Promise<{ bucket: string; name: string; etag: string; res: OSS.Response }>;
    listParts(
      name: string,
      uploadId: string,
      query?: { 'max-parts'?: number; 'part-number-marker'?: number | string },
      options?: OSS.RequestOptions,
    ): Promise<OSS.ListPartsResult>;
    listUploads(
      query?: {
        prefix?: string;
        'max-uploads'?: number;
        'key-marker'?: string;
        'upload-id-marker'?: string;
      },
      options?: OSS.RequestOptions,
    ): Promise<OSS.ListUploadsResult>;
    abortMultipartUpload(
      name: string,
      uploadId: string,
      options?: OSS.RequestOptions,
    ): Promise<{ res: OSS.Response }>;
    /** V1 presigned URL. Throws for an IP endpoint. */
    signatureUrl(name: string, options?: OSS.SignatureUrlOptions): string;
    /** V4 presigned URL; `expires` is seconds from now (1..604800). */
    signatureUrlV4(
      method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD',
      expires: number,
      request: { headers?: Record<string, string>; queries?: Record<string, string> } | undefined,
      objectName: string,
      additionalHeaders?: string[],
    ): Promise<string>;
  }

  export = OSS;
}
