// The `@ossup/checksum/crc64` entry point: CRC-64 (with combine and formatting) and the byte
// encodings, and nothing of MD5 or the multipart ETag. The main entry re-exports all of these
// too; this one exists for bundles. A bundler keeps every module the main entry re-exports
// within reach of the code that imports it, so a browser app using only `crc64` from
// `@ossup/checksum` would still ship the MD5 selection code; importing from here it does not.
// `@ossup/client` needs MD5 only with `contentMd5`, and loads it then.

export type { Crc64Hasher } from './crc64.ts';
export { crc64, createCrc64 } from './crc64.ts';
export type { Crc64Part } from './crc64-combine.ts';
export { combineCrc64, combineCrc64Parts } from './crc64-combine.ts';
export { crc64ToString, parseCrc64 } from './crc64-format.ts';
export type { Crc64Kernel } from './crc64-wasm.ts';
export { createWasmCrc64Kernel } from './crc64-wasm.ts';
export type { HexOptions } from './encoding.ts';
export { fromBase64, fromHex, toBase64, toHex } from './encoding.ts';
export type { ChecksumFormat } from './errors.ts';
export { ChecksumFormatError } from './errors.ts';
