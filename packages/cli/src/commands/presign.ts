import type { CommandDef } from '../command.ts';
import { parseDuration } from '../duration.ts';
import { makeClient } from '../make-client.ts';
import { parseOssUrl } from '../oss-url.ts';
import { EXIT, UsageError } from '../usage-error.ts';

const METHODS = ['GET', 'PUT', 'HEAD', 'DELETE', 'POST'];

/** `ossup presign`: a URL that grants one method on one object for a while. */
export const presignCommand: CommandDef = {
  name: 'presign',
  summary: 'print a presigned URL for one method on one object',
  usage: 'presign <method> oss://<bucket>/<key> [--expires 15m]',
  details:
    'Anyone holding the URL can make that request until it expires: share it like a password.',
  positionals: [2, 2],
  options: {
    expires: {
      type: 'string',
      value: 'AGE',
      description: 'validity, up to 7d with V4 signatures',
      defaultText: '15m',
    },
    'content-type': {
      type: 'string',
      value: 'TYPE',
      description: 'for PUT: the Content-Type the uploader must send',
    },
  },
  async run(ctx) {
    const method = ctx.positionals[0]!.toUpperCase();
    if (!METHODS.includes(method))
      throw new UsageError(
        `method must be one of ${METHODS.join(', ')}, got "${ctx.positionals[0]}".`,
      );
    const { bucket, key } = parseOssUrl(ctx.positionals[1]!, 'location');
    if (!key) throw new UsageError('presign needs an object key: oss://<bucket>/<key>.');
    const expires = parseDuration((ctx.values.expires as string | undefined) ?? '15m', '--expires');
    const config = await ctx.config();
    if (config.signatureVersion === 'v4' && expires > 604800) {
      throw new UsageError(`--expires ${ctx.values.expires} is longer than 7 days, the V4 limit.`);
    }
    const client = makeClient(config, ctx.out);
    const ct = ctx.values['content-type'] as string | undefined;
    const p = await client.presign({
      method,
      bucket,
      key,
      expires,
      ...(ct ? { headers: { 'Content-Type': ct } } : {}),
    });
    // The URL is the result the user asked for, so it bypasses the redacting output: its
    // signature is the point. Nothing else (no secret) is in it.
    const line = ctx.out.json
      ? JSON.stringify({ type: 'presigned', method, bucket, key, url: p.url, expires })
      : p.url;
    ctx.out.stdout.write(`${line}\n`);
    return EXIT.ok;
  },
};
