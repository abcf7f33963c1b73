// Media types by file extension, for objects uploaded without a Content-Type: the official
// v2 SDKs pick one from the object key's extension by default, and ali-oss from the file's
// name, so that `report.pdf` opens in a browser instead of downloading as
// application/octet-stream. The common types only (values from the IANA registry as mime-db
// lists them); anything else keeps OSS's default. `upload()` loads it on first use (see
// on-demand.ts); `fromFile` of @ossup/node imports it as `@ossup/client/content-types`.

import { extensionOf } from './file-extension.ts';

const TYPES: Record<string, string> = {
  // text and documents
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  js: 'text/javascript',
  mjs: 'text/javascript',
  json: 'application/json',
  xml: 'application/xml',
  txt: 'text/plain',
  log: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  ics: 'text/calendar',
  pdf: 'application/pdf',
  rtf: 'application/rtf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  epub: 'application/epub+zip',
  wasm: 'application/wasm',
  // images
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  heic: 'image/heic',
  svg: 'image/svg+xml',
  ico: 'image/vnd.microsoft.icon',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  // audio and video
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  wav: 'audio/wav',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  mp4: 'video/mp4',
  // Apple's .m4v is MPEG-4 video; browsers play it as video/mp4 (mime-db: video/x-m4v).
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  mkv: 'video/x-matroska',
  avi: 'video/x-msvideo',
  mpeg: 'video/mpeg',
  mpg: 'video/mpeg',
  flv: 'video/x-flv',
  m3u8: 'application/vnd.apple.mpegurl',
  // Not `.ts` (HLS segments, video/mp2t): as many keys ending in .ts are TypeScript.
  // fonts
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  // archives and packages
  zip: 'application/zip',
  gz: 'application/gzip',
  tgz: 'application/gzip',
  tar: 'application/x-tar',
  bz2: 'application/x-bzip2',
  xz: 'application/x-xz',
  zst: 'application/zstd',
  '7z': 'application/x-7z-compressed',
  rar: 'application/vnd.rar',
  jar: 'application/java-archive',
  apk: 'application/vnd.android.package-archive',
  dmg: 'application/x-apple-diskimage',
  iso: 'application/x-iso9660-image',
};

/**
 * The media type for an object key or file name from its extension, case-insensitively, or
 * `undefined` when the extension is missing or not a common one.
 */
export function contentTypeForName(name: string): string | undefined {
  const extension = extensionOf(name);
  return extension !== undefined && Object.hasOwn(TYPES, extension) ? TYPES[extension] : undefined;
}
