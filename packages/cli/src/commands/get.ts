import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { createCrc64 } from '@ossup/checksum';
import { formatBytes } from '@ossup/part-planner';
import type { CommandDef } from '../command.ts';
import { makeClient } from '../make-client.ts';
import { parseOssUrl } from '../oss-url.ts';
import { EXIT, UsageError } from '../usage-error.ts';

/** `ossup get`: download an object, verifying its CRC-64. */
export const getCommand: CommandDef = {
  name: 'get',
  summary: 'download an object to a file (or - for stdout), verifying its CRC-64',
  usage: 'get oss://<bucket>/<key> <file|->',
  details:
    'The file is written under a temporary name and renamed only once the CRC-64 matches, so a failed download never leaves a half-written file behind.',
  positionals: [2, 2],
  options: {},
  async run(ctx) {
    const { bucket, key } = parseOssUrl(ctx.positionals[0]!, 'source');
    if (!key) throw new UsageError('get needs an object key: oss://<bucket>/<key>.');
    const dest = ctx.positionals[1]!;
    const client = makeClient(await ctx.config(), ctx.out);
    const obj = await client.getObject({ bucket, key, signal: ctx.signal });
    const crc = createCrc64();
    let bytes = 0;
    const toStdout = dest === '-';
    const tmp = toStdout ? '' : join(dirname(dest), `.${basename(dest)}.ossup-${process.pid}.part`);
    const sink: Writable = toStdout ? process.stdout : createWriteStream(tmp, { mode: 0o644 });
    const started = Date.now();
    try {
      const reader = obj.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        crc.update(value);
        bytes += value.length;
        if (!sink.write(value)) await new Promise<void>((r) => sink.once('drain', () => r()));
      }
      if (!toStdout)
        await new Promise<void>((res, rej) => sink.end((e?: Error | null) => (e ? rej(e) : res())));
      const actual = crc.digest();
      if (obj.crc64 !== undefined && actual !== obj.crc64) {
        throw new Error(
          `CRC-64 mismatch for oss://${bucket}/${key}: server says ${obj.crc64}, received bytes give ${actual}. The download was discarded; try again.`,
        );
      }
      if (bytes !== obj.contentLength) {
        throw new Error(
          `oss://${bucket}/${key}: received ${bytes} bytes, expected ${obj.contentLength}. The download was discarded; try again.`,
        );
      }
      if (!toStdout) await rename(tmp, dest);
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
      if (!toStdout) {
        sink.destroy();
        await rm(tmp, { force: true });
      }
      throw e;
    }
  },
};
