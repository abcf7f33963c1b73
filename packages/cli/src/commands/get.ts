import { type FileHandle, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, posix, sep } from 'node:path';
import type { Writable } from 'node:stream';
import { createCrc64 } from '@ossup/checksum';
import { formatBytes } from '@ossup/part-planner';
import type { CommandDef } from '../command.ts';
import { makeClient } from '../make-client.ts';
import { parseOssUrl } from '../oss-url.ts';
import { StdoutClosedError } from '../stdout-closed.ts';
import { EXIT, UsageError } from '../usage-error.ts';

/**
 * A file-system failure while saving, worded for the destination the user named (not the
 * temporary file), with the errno code kept for `--json`.
 */
class SaveError extends Error {
  override readonly name = 'SaveError';
  readonly code: string | undefined;

  constructor(dest: string, error: unknown) {
    const code = (error as NodeJS.ErrnoException)?.code;
    const why: Record<string, string> = {
      ENOENT: `${dirname(dest)} does not exist (no such file or directory)`,
      ENOTDIR: `${dirname(dest)} is not a directory`,
      EACCES: 'permission denied',
      EPERM: 'permission denied',
      EROFS: 'the file system is read-only',
      ENOSPC: 'no space left on the device',
      EDQUOT: 'disk quota exceeded',
      EFBIG: 'the file is larger than this system allows (file too large)',
    };
    const reason = (code && why[code]) ?? (error instanceof Error ? error.message : String(error));
    super(`cannot write ${dest}: ${reason}. Nothing was saved.`, { cause: error });
    this.code = code;
  }
}

/**
 * Where to save: the destination itself, or `<dir>/<base name of the key>` when it is a
 * directory (existing, or written with a trailing separator), as `cp` names objects.
 */
async function destinationFile(dest: string, bucket: string, key: string): Promise<string> {
  let isDir = dest.endsWith('/') || dest.endsWith(sep);
  if (!isDir) isDir = (await stat(dest).catch(() => undefined))?.isDirectory() === true;
  if (!isDir) return dest;
  const name = posix.basename(key);
  if (key.endsWith('/') || name === '.' || name === '..') {
    throw new UsageError(
      `oss://${bucket}/${key} ends in '/' (or has no file name), so it cannot be saved under its own name in the directory ${dest}. Give a file path as the destination.`,
    );
  }
  return join(dest, name);
}

/** Writes all of `bytes` to the file, which may take several writes. */
async function writeAll(file: FileHandle, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await file.write(bytes, done, bytes.length - done);
    done += bytesWritten;
  }
}

/** Writes to stdout, waiting for it to drain; a write error rejects instead of crashing. */
function writeStdout(out: Writable, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (e: NodeJS.ErrnoException) => {
      out.off('drain', done);
      reject(e.code === 'EPIPE' ? new StdoutClosedError('stdout was closed', { cause: e }) : e);
    };
    const done = () => {
      out.off('error', fail);
      resolve();
    };
    out.once('error', fail);
    if (out.write(bytes)) done();
    else out.once('drain', done);
  });
}

/** `ossup get`: download an object, verifying its CRC-64. */
export const getCommand: CommandDef = {
  name: 'get',
  summary: 'download an object to a file (or - for stdout), verifying its CRC-64',
  usage: 'get oss://<bucket>/<key> <file|dir|->',
  details: `
The file is written under a temporary name and renamed only once the CRC-64 matches, so a
failed download never leaves a half-written file behind. A file it replaces keeps its mode;
a device or a pipe (/dev/null) is written directly.
A directory as destination saves the object under the base name of its key, as cp names
objects: \`ossup get oss://media/2024/video.mp4 .\` writes ./video.mp4.
With - the object goes to stdout and everything else, --json documents included, to stderr.
Bytes written to stdout cannot be taken back: on a CRC-64 mismatch the command fails (exit 1)
after they went out. A reader that closes stdout early (| head) ends the command quietly with
exit 141, as SIGPIPE ends other programs.`,
  positionals: [2, 2],
  options: {},
  async run(ctx) {
    const { bucket, key } = parseOssUrl(ctx.positionals[0]!, 'source');
    if (!key) throw new UsageError('get needs an object key: oss://<bucket>/<key>.');
    const toStdout = ctx.positionals[1] === '-';
    // stdout carries the object: a JSON line or an error there would corrupt it.
    if (toStdout) ctx.out.keepStdoutForData();
    const dest = toStdout ? '-' : await destinationFile(ctx.positionals[1]!, bucket, key);
    const client = makeClient(await ctx.config(), ctx.out);
    const existing = toStdout ? undefined : await stat(dest).catch(() => undefined);
    // A device or a pipe (/dev/null, a FIFO) is written as it is: a temporary file renamed
    // over it would replace it.
    const direct = toStdout || (existing !== undefined && !existing.isFile());
    const tmp = direct ? '' : join(dirname(dest), `.${basename(dest)}.ossup-${process.pid}.part`);
    let file: FileHandle | undefined;
    if (!toStdout) {
      // Opened before the request, so a destination that cannot be written fails before any
      // byte is downloaded.
      try {
        if (direct) file = await open(dest, 'w');
        else {
          // A file that is replaced passes its mode on exactly (open() applies the umask), so
          // a 0600 file never becomes readable by others through a download.
          file = await open(tmp, 'w', (existing?.mode ?? 0o644) & 0o777);
          if (existing) await file.chmod(existing.mode & 0o777);
        }
      } catch (e) {
        await file?.close().catch(() => {});
        if (file && !direct) await rm(tmp, { force: true });
        throw new SaveError(dest, e);
      }
    }
    // File-system failures from here on are reported for the destination the user named.
    const saving = <T>(work: Promise<T>): Promise<T> =>
      work.catch((e: unknown) => Promise.reject(new SaveError(dest, e)));
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let bytes = 0;
    try {
      const obj = await client.getObject({ bucket, key, signal: ctx.signal });
      const crc = createCrc64();
      const started = Date.now();
      reader = obj.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        crc.update(value);
        if (file) await saving(writeAll(file, value));
        else await writeStdout(process.stdout, value);
        bytes += value.length;
      }
      reader = undefined;
      if (file) {
        await saving(file.close());
        file = undefined;
      }
      const outcome = direct
        ? `The ${bytes} bytes already written to ${toStdout ? 'standard output' : dest} are not the object: do not use them; try again.`
        : 'The download was discarded; try again.';
      const actual = crc.digest();
      if (obj.crc64 !== undefined && actual !== obj.crc64) {
        throw new Error(
          `CRC-64 mismatch for oss://${bucket}/${key}: server says ${obj.crc64}, received bytes give ${actual}. ${outcome}`,
        );
      }
      if (bytes !== obj.contentLength) {
        throw new Error(
          `oss://${bucket}/${key}: received ${bytes} bytes, expected ${obj.contentLength}. ${outcome}`,
        );
      }
      if (!direct) await saving(rename(tmp, dest));
      const secs = (Date.now() - started) / 1000;
      ctx.out.emit({
        type: 'result',
        command: 'get',
        bucket,
        key,
        file: dest,
        size: bytes,
        crc64: actual,
        verified: obj.crc64 !== undefined,
      });
      if (!toStdout) {
        ctx.out.info(
          `downloaded oss://${bucket}/${key} → ${dest}: ${formatBytes(bytes)} in ${secs.toFixed(1)}s, ${obj.crc64 === undefined ? 'no CRC-64 from the server to check' : `CRC-64 ${actual} verified`}`,
        );
      }
      return EXIT.ok;
    } catch (e) {
      // Stop the download: nothing will read the rest of the body.
      await reader?.cancel().catch(() => {});
      await file?.close().catch(() => {});
      if (!direct) await rm(tmp, { force: true });
      throw e;
    }
  },
};
