/**
 * The only `encoding-type` OSS defines. On a parsed model, `encodingType: 'url'` records that
 * the body carried `<EncodingType>url</EncodingType>` (object names were percent-decoded for
 * you); on a model given to a builder, it asks the builder to emit that element and
 * percent-encode the object-name fields.
 */
export type EncodingType = 'url';

/** The `<Owner>` / `<Initiator>` container of older and listing responses. */
export interface OssOwner {
  /** `<ID>`; `''` when absent. */
  id: string;
  /** `<DisplayName>`; `''` when absent. */
  displayName: string;
}
