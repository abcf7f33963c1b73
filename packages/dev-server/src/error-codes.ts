import { OssError } from './errors.ts';

// Messages are OSS's own where the protocol reference quotes them (§4.0.1); the rest follow
// the same style. EC values are those the reference cites.

export const noSuchBucket = (bucket: string): OssError =>
  new OssError(
    404,
    'NoSuchBucket',
    'The specified bucket does not exist.',
    { BucketName: bucket },
    '0015-00000101',
  );

export const noSuchKey = (key: string): OssError =>
  new OssError(
    404,
    'NoSuchKey',
    'The specified key does not exist.',
    { Key: key },
    '0026-00000001',
  );

export const noSuchUpload = (uploadId: string, ec = '0042-00000104'): OssError =>
  new OssError(
    404,
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { UploadId: uploadId },
    ec,
  );

export const bucketNotEmpty = (bucket: string): OssError =>
  new OssError(
    409,
    'BucketNotEmpty',
    'The bucket has objects. Please delete them first.',
    { BucketName: bucket },
    '0015-00000301',
  );

export const bucketAlreadyExists = (bucket: string): OssError =>
  new OssError(
    409,
    'BucketAlreadyExists',
    'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
    { BucketName: bucket },
    '0015-00000104',
  );

export const invalidBucketName = (bucket: string): OssError =>
  new OssError(
    400,
    'InvalidBucketName',
    'The specified bucket is not valid.',
    { BucketName: bucket },
    '0015-00000001',
  );

export const invalidObjectName = (message = 'The specified object name is not valid.'): OssError =>
  new OssError(400, 'InvalidObjectName', message, {}, '0016-00000005');

export const objectNameTooLong = (): OssError =>
  invalidObjectName('The Length of Object name must be less than 1024.');

export const invalidArgument = (
  message: string,
  name: string,
  value: string,
  ec?: string,
): OssError =>
  new OssError(400, 'InvalidArgument', message, { ArgumentName: name, ArgumentValue: value }, ec);

export const invalidPartNumber = (value: string, max: number): OssError =>
  invalidArgument(
    `Part number must be an integer between 1 and ${max}, inclusive.`,
    'PartNumber',
    value,
    '0017-00000220',
  );

export const malformedXml = (): OssError =>
  new OssError(
    400,
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema.',
    {},
    '0016-00000608',
  );

export const invalidDigest = (mismatch: boolean): OssError =>
  new OssError(
    400,
    'InvalidDigest',
    'The Content-MD5 you specified was invalid.',
    {},
    mismatch ? '0017-00000503' : '0017-00000502',
  );

export const invalidPart = (): OssError =>
  new OssError(
    400,
    'InvalidPart',
    "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.",
    {},
    '0042-00000210',
  );

export const invalidPartOrder = (): OssError =>
  new OssError(
    400,
    'InvalidPartOrder',
    'The list of parts was not in ascending order. Parts list must specified in order by part number.',
    {},
    '0042-00000209',
  );

export const entityTooSmall = (): OssError =>
  new OssError(
    400,
    'EntityTooSmall',
    'Your proposed upload smaller than the minimum allowed size.',
    {},
    '0042-00000213',
  );

export const entityTooLarge = (max: number): OssError =>
  new OssError(
    400,
    'EntityTooLarge',
    `Your proposed upload exceeds the maximum allowed size (${max} bytes).`,
    {},
    '0017-00000301',
  );

export const fileAlreadyExists = (ec = '0026-00000002'): OssError =>
  new OssError(
    409,
    'FileAlreadyExists',
    'The object you specified already exists and can not be overwritten.',
    {},
    ec,
  );

export const missingContentLength = (): OssError =>
  new OssError(
    411,
    'MissingContentLength',
    'You must provide the Content-Length HTTP header.',
    {},
    '0016-00000103',
  );

export const invalidRange = (): OssError =>
  new OssError(416, 'InvalidRange', 'The requested range cannot be satisfied', {}, '0017-00000401');

export const preconditionFailed = (condition: string): OssError =>
  new OssError(
    412,
    'PreconditionFailed',
    'At least one of the pre-conditions you specified did not hold.',
    { Condition: condition },
    '0026-00000010',
  );

export const notImplemented = (what: string): OssError =>
  new OssError(
    501,
    'NotImplemented',
    `${what} is not implemented by the ossup dev server.`,
    {},
    '0003-00001502',
  );

export const methodNotAllowed = (method: string): OssError =>
  new OssError(
    405,
    'MethodNotAllowed',
    'The specified method is not allowed against this resource.',
    { Method: method },
    '0003-00000104',
  );

export const accessDeniedAnonymous = (): OssError =>
  new OssError(
    403,
    'AccessDenied',
    'You have no right to access this object because of bucket acl.',
    {},
    '0003-00000001',
  );

export const serviceUnavailable = (code = 'ServiceUnavailable', status = 503): OssError =>
  new OssError(status, code, 'Injected fault: the ossup dev server was told to fail this request.');

export const internalError = (): OssError =>
  new OssError(
    500,
    'InternalError',
    'We encountered an internal error. Please try again.',
    {},
    '0001-00000001',
  );

export const requestTimeout = (): OssError =>
  new OssError(
    400,
    'RequestTimeout',
    'Your socket connection to the server was not read from or written to within the timeout period.',
    {},
    '0002-00000007',
  );

export const incompleteBody = (): OssError =>
  new OssError(
    400,
    'IncompleteBody',
    'The request body terminated unexpectedly.',
    {},
    '0016-00000104',
  );
