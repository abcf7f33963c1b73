/**
 * An OSS-style error raised while handling a request. The server turns it into the OSS
 * `<Error>` XML document (or, for HEAD, an empty body plus the `x-oss-err` header).
 *
 * `extra` holds the optional children OSS adds for some codes (`BucketName`, `UploadId`,
 * `ArgumentName`/`ArgumentValue`, `OSSAccessKeyId`, `StringToSign`, ...), in the order given.
 */
export class OssError extends Error {
  /** HTTP status of the response, e.g. 404. */
  readonly status: number;
  /** OSS error code, e.g. `NoSuchUpload`. */
  readonly code: string;
  /** Extra `<Error>` children, emitted after `HostId` in insertion order. */
  readonly extra: Readonly<Record<string, string>>;
  /** OSS error-centre code (`<EC>` and the `x-oss-ec` header), e.g. `0042-00000104`. */
  readonly ec: string | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    extra: Record<string, string> = {},
    ec?: string,
  ) {
    super(message);
    this.name = 'OssError';
    this.status = status;
    this.code = code;
    this.extra = extra;
    this.ec = ec;
  }
}
