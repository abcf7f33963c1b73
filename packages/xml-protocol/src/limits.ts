/**
 * Default `maxBytes` for response bodies (20 MiB). A ListParts page of 1000 parts is about
 * 250 KB and a ListBucketResult page of 1000 objects with owners under 1 MB, so this leaves
 * a wide margin while refusing a runaway body before it is parsed.
 */
export const DEFAULT_MAX_RESPONSE_BYTES: number = 20 * 1024 * 1024;

/**
 * Default `maxBytes` for a CompleteMultipartUpload request body (2 MiB), used by
 * {@link parseCompleteMultipartUpload}. 10,000 parts written with indentation and `&quot;`
 * escapes take about 1.3 MB; a server should refuse anything bigger before parsing it.
 */
export const DEFAULT_MAX_COMPLETE_BODY_BYTES: number = 2 * 1024 * 1024;

/**
 * Default `maxBytes` for {@link parseOssErrorBody} and {@link parseOssErrHeader} (1 MiB):
 * OSS error documents are well under 4 KB, so anything bigger is not one.
 */
export const DEFAULT_MAX_ERROR_BYTES: number = 1024 * 1024;

/**
 * Default `maxDepth` (32). The deepest OSS body handled here nests 4 levels
 * (`ListBucketResult/Contents/Owner/ID`).
 */
export const DEFAULT_MAX_DEPTH = 32;

/**
 * Default `maxElements` (200,000). The biggest legitimate bodies are a CompleteMultipartUpload
 * of 10,000 parts (30,001 elements) and a 1000-object listing with owners (about 12,000);
 * a cap keeps a body of millions of tiny elements from costing seconds of parsing.
 */
export const DEFAULT_MAX_ELEMENTS = 200_000;

/** Limits applied by every `parseX` function before the XML parser sees the body. */
export interface XmlParseOptions {
  /**
   * Largest accepted body, in UTF-8 bytes. Checked before parsing; a bigger body throws
   * `XmlProtocolError` with kind `'too-large'`. Default {@link DEFAULT_MAX_RESPONSE_BYTES}
   * (20 MiB); {@link parseCompleteMultipartUpload} defaults to
   * {@link DEFAULT_MAX_COMPLETE_BODY_BYTES} (2 MiB).
   */
  maxBytes?: number;
  /**
   * Deepest accepted element nesting (the root element is depth 1). Checked before parsing;
   * deeper input throws kind `'too-deep'`. Default {@link DEFAULT_MAX_DEPTH} (32).
   */
  maxDepth?: number;
  /**
   * Most elements accepted in one body. Counted before parsing; more throws kind
   * `'too-large'`. Default {@link DEFAULT_MAX_ELEMENTS} (200,000).
   */
  maxElements?: number;
}
