import { OssServiceError } from '@ossup/client';
import type { CommandDef } from '../command.ts';
import { parseDuration } from '../duration.ts';
import { makeClient } from '../make-client.ts';
import { parseOssUrl } from '../oss-url.ts';
import { EXIT, UsageError } from '../usage-error.ts';

/** `ossup abort`: abort one upload, or clean up many orphaned ones. */
export const abortCommand: CommandDef = {
  name: 'abort',
  summary: 'abort a multipart upload, or all of them under a prefix (frees their stored parts)',
  usage:
    'abort oss://<bucket>/<key> --upload-id ID | abort oss://<bucket>[/<prefix>] --all [--older-than 7d] [--yes]',
  details: `
With --all the uploads are listed and, unless --yes is given, confirmed at a [y/N] prompt
(Ctrl-C there stops at once, exit 130). An upload that completes or is aborted elsewhere
between the listing and its abort counts as already gone, not as a failure. With --json each
aborted upload is one document and the last one is the result: {"type":"result",
"command":"abort","aborted":N,"alreadyGone":M}.`,
  positionals: [1, 1],
  options: {
    'upload-id': { type: 'string', value: 'ID', description: 'the upload to abort' },
    all: { type: 'boolean', description: 'abort every upload under the bucket or prefix' },
    'older-than': {
      type: 'string',
      value: 'AGE',
      description: 'with --all: only uploads initiated longer ago than AGE',
    },
    yes: { type: 'boolean', short: 'y', description: 'do not ask for confirmation' },
  },
  async run(ctx) {
    const { bucket, key } = parseOssUrl(ctx.positionals[0]!, 'location');
    const uploadId = ctx.values['upload-id'] as string | undefined;
    const all = ctx.values.all === true;
    if (all === (uploadId !== undefined)) {
      throw new UsageError(
        'abort needs either --upload-id ID (one upload) or --all (every upload under the location).',
      );
    }
    const client = makeClient(await ctx.config(), ctx.out);
    if (uploadId) {
      if (!key)
        throw new UsageError('abort --upload-id needs the object key: oss://<bucket>/<key>.');
      await client.abortMultipartUpload({ bucket, key, uploadId, signal: ctx.signal });
      ctx.out.emit({ type: 'aborted', bucket, key, uploadId });
      ctx.out.info(`aborted upload ${uploadId} of oss://${bucket}/${key}`);
      return EXIT.ok;
    }
    const olderThan = ctx.values['older-than']
      ? parseDuration(ctx.values['older-than'] as string, '--older-than')
      : undefined;
    const cutoff = olderThan === undefined ? undefined : Date.now() - olderThan * 1000;
    const targets: { key: string; uploadId: string; initiated: string }[] = [];
    for await (const u of client.listAllMultipartUploads({
      bucket,
      ...(key ? { prefix: key } : {}),
      signal: ctx.signal,
    })) {
      if (cutoff !== undefined && Date.parse(u.initiated) > cutoff) continue;
      targets.push(u);
    }
    if (targets.length === 0) {
      ctx.out.info(`nothing to abort in oss://${bucket}/${key}.`);
      ctx.out.emit({ type: 'result', command: 'abort', aborted: 0, alreadyGone: 0 });
      return EXIT.ok;
    }
    if (ctx.values.yes !== true) {
      for (const t of targets.slice(0, 20))
        ctx.out.info(`  ${t.initiated}  ${t.uploadId}  ${t.key}`);
      if (targets.length > 20) ctx.out.info(`  … and ${targets.length - 20} more`);
      const ok = await ctx.confirm(
        `Abort ${targets.length} upload${targets.length === 1 ? '' : 's'} in oss://${bucket}/${key}?`,
      );
      if (!ok) {
        ctx.out.error(
          'not confirmed; nothing aborted. Pass --yes to skip the question (e.g. in scripts).',
          { code: 'not-confirmed' },
        );
        return EXIT.failure;
      }
    }
    let aborted = 0;
    let alreadyGone = 0;
    for (const t of targets) {
      try {
        await client.abortMultipartUpload({
          bucket,
          key: t.key,
          uploadId: t.uploadId,
          signal: ctx.signal,
        });
      } catch (e) {
        // Completed or aborted by someone else since the listing: what --all asked for holds.
        if (!(e instanceof OssServiceError && e.code === 'NoSuchUpload')) throw e;
        alreadyGone++;
        ctx.out.debug(`already gone: ${t.uploadId} ${t.key}`);
        continue;
      }
      aborted++;
      ctx.out.emit({ type: 'aborted', bucket, key: t.key, uploadId: t.uploadId });
      ctx.out.debug(`aborted ${t.uploadId} ${t.key}`);
    }
    ctx.out.emit({ type: 'result', command: 'abort', aborted, alreadyGone });
    const gone = alreadyGone
      ? `; ${alreadyGone} ${alreadyGone === 1 ? 'was' : 'were'} already gone`
      : '';
    ctx.out.info(`aborted ${aborted} upload${aborted === 1 ? '' : 's'}${gone}.`);
    return EXIT.ok;
  },
};
