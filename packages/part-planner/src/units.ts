/** One kibibyte: 1024 bytes. Handy for writing part sizes, e.g. `partSize: 64 * KiB`. */
export const KiB = 1024;
/** One mebibyte: 1024² = 1,048,576 bytes. */
export const MiB = 1024 * KiB;
/** One gibibyte: 1024³ = 1,073,741,824 bytes. */
export const GiB = 1024 * MiB;
/** One tebibyte: 1024⁴ = 1,099,511,627,776 bytes. */
export const TiB = 1024 * GiB;
