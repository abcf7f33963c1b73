import { formatBytes } from '@ossup/part-planner';
import type { CommandDef } from '../command.ts';
import { makeClient } from '../make-client.ts';
import { parseOssUrl } from '../oss-url.ts';
import { EXIT, UsageError } from '../usage-error.ts';

/** `ossup stat`: an object's size, ETag, CRC-64 and metadata. */
export const statCommand: CommandDef = {
  name: 'stat',
  summary: 'show an object’s size, ETag, CRC-64, type and metadata',
  usage: 'stat oss://<bucket>/<key>',
  positionals: [1, 1],
  options: {},
  async run(ctx) {
    const { bucket, key } = parseOssUrl(ctx.positionals[0]!, 'location');
    if (!key) throw new UsageError('stat needs an object key: oss://<bucket>/<key>.');
    const client = makeClient(await ctx.config(), ctx.out);
    const h = await client.headObject({ bucket, key, signal: ctx.signal });
    ctx.out.emit({
      type: 'object',
      bucket,
      key,
      size: h.size,
      etag: h.etag,
      crc64: h.crc64,
      contentType: h.contentType,
      lastModified: h.lastModified,
      objectType: h.objectType,
      meta: h.meta,
    });
    const rows: [string, string][] = [
      ['object', `oss://${bucket}/${key}`],
      ['size', `${h.size} (${formatBytes(h.size)})`],
      ['etag', h.etag],
      ['crc64', h.crc64 === undefined ? '-' : h.crc64.toString()],
      ['type', h.objectType ?? '-'],
      ['content-type', h.contentType ?? '-'],
      ['last-modified', h.lastModified ?? '-'],
      ...Object.entries(h.meta).map(([k, v]) => [`meta ${k}`, v] as [string, string]),
    ];
    for (const [k, v] of rows) ctx.out.result(`${k.padEnd(14)} ${v}`);
    return EXIT.ok;
  },
};
