import { formatBytes } from '@ossup/part-planner';
import type { CommandDef } from '../command.ts';
import { parseDuration } from '../duration.ts';
import { makeClient } from '../make-client.ts';
import { parseOssUrl } from '../oss-url.ts';
import { EXIT } from '../usage-error.ts';

/** `ossup uploads`: list in-progress multipart uploads. */
export const uploadsCommand: CommandDef = {
  name: 'uploads',
  summary: 'list multipart uploads in progress (all pages), e.g. to find orphans',
  usage: 'uploads oss://<bucket>[/<prefix>] [--older-than 7d] [--parts]',
  positionals: [1, 1],
  options: {
    'older-than': {
      type: 'string',
      value: 'AGE',
      description: 'only uploads initiated longer ago than AGE (e.g. 7d, 12h)',
    },
    parts: {
      type: 'boolean',
      description: 'also count each upload’s parts and bytes (one ListParts per upload)',
    },
  },
  async run(ctx) {
    const { bucket, key: prefix } = parseOssUrl(ctx.positionals[0]!, 'location');
    const olderThan = ctx.values['older-than']
      ? parseDuration(ctx.values['older-than'] as string, '--older-than')
      : undefined;
    const client = makeClient(await ctx.config(), ctx.out);
    const cutoff = olderThan === undefined ? undefined : Date.now() - olderThan * 1000;
    let count = 0;
    for await (const u of client.listAllMultipartUploads({
      bucket,
      ...(prefix ? { prefix } : {}),
      signal: ctx.signal,
    })) {
      if (cutoff !== undefined && Date.parse(u.initiated) > cutoff) continue;
      count++;
      let partsInfo: { parts: number; bytes: number } | undefined;
      if (ctx.values.parts) {
        partsInfo = { parts: 0, bytes: 0 };
        for await (const p of client.listAllParts({
          bucket,
          key: u.key,
          uploadId: u.uploadId,
          signal: ctx.signal,
        })) {
          partsInfo.parts++;
          partsInfo.bytes += p.size;
        }
      }
      ctx.out.emit({ type: 'upload', bucket, ...u, ...(partsInfo ?? {}) });
      const extra = partsInfo ? `  ${partsInfo.parts} parts  ${formatBytes(partsInfo.bytes)}` : '';
      ctx.out.result(`${u.initiated}  ${u.uploadId}  ${u.key}${extra}`);
    }
    if (count === 0)
      ctx.out.info(
        `no multipart uploads in oss://${bucket}/${prefix}${olderThan ? ' older than that' : ''}.`,
      );
    return EXIT.ok;
  },
};
