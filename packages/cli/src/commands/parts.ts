import { formatBytes } from '@ossup/part-planner';
import type { CommandDef } from '../command.ts';
import { makeClient } from '../make-client.ts';
import { parseOssUrl } from '../oss-url.ts';
import { EXIT, UsageError } from '../usage-error.ts';

/** `ossup parts`: list the parts of one multipart upload. */
export const partsCommand: CommandDef = {
  name: 'parts',
  summary: 'list the parts of a multipart upload (all pages)',
  usage: 'parts oss://<bucket>/<key> --upload-id ID',
  positionals: [1, 1],
  options: {
    'upload-id': { type: 'string', value: 'ID', description: 'the upload (see `ossup uploads`)' },
  },
  async run(ctx) {
    const { bucket, key } = parseOssUrl(ctx.positionals[0]!, 'location');
    const uploadId = ctx.values['upload-id'] as string | undefined;
    if (!key) throw new UsageError('parts needs an object key: oss://<bucket>/<key>.');
    if (!uploadId)
      throw new UsageError(
        'parts needs --upload-id ID (list them with `ossup uploads oss://<bucket>`).',
      );
    const client = makeClient(await ctx.config(), ctx.out);
    let n = 0;
    let bytes = 0;
    for await (const p of client.listAllParts({ bucket, key, uploadId, signal: ctx.signal })) {
      n++;
      bytes += p.size;
      ctx.out.emit({ type: 'part', ...p });
      ctx.out.result(
        `${String(p.partNumber).padStart(5)}  ${formatBytes(p.size).padStart(10)}  ${p.etag}  ${p.crc64 ?? '-'}  ${p.lastModified}`,
      );
    }
    ctx.out.info(`${n} part${n === 1 ? '' : 's'}, ${formatBytes(bytes)}`);
    return EXIT.ok;
  },
};
