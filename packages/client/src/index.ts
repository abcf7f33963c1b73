export type { ByteSource, ByteSourceReadOptions } from "./byte-source.ts";
export type { Transport, TransportOptions, TransportRequest, UploadProgressListener } from "./transport.ts";
