import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CheckpointError, type CheckpointStore } from '@ossup/checkpoint-store';
import {
  abortUpload,
  type ByteSource,
  OssArgumentError,
  type OssClient,
  OssServiceError,
  type UploadProgress,
  upload,
} from '@ossup/client';
import { fileCheckpointStore, fromFile } from '@ossup/node';
import { formatBytes, parseByteSize } from '@ossup/part-planner';
import type { CommandContext, CommandDef } from '../command.ts';
import { stateDir } from '../local-server-state.ts';
import { makeClient } from '../make-client.ts';
import { formatOssUrl, type OssUrl, parseOssUrl } from '../oss-url.ts';
import { createProgressReporter } from '../progress-reporter.ts';
import { EXIT, UsageError } from '../usage-error.ts';

function parseMeta(values: string[] | undefined): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const v of values ?? []) {
    const i = v.indexOf('=');
    if (i <= 0) throw new UsageError(`--meta "${v}" must be name=value, e.g. --meta owner=ci.`);
    const name = v.slice(0, i).trim().toLowerCase();
    if (!/^[a-z0-9-]+$/.test(name)) {
      throw new UsageError(`--meta name "${name}" may hold only letters, digits and '-'.`);
    }
    meta[name] = v.slice(i + 1);
  }
  return meta;
}

function parseParallel(v: string | undefined): number {
  if (v === undefined) return 4;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new UsageError(`--parallel must be a whole number from 1 to 64, got "${v}".`);
  return n;
}

function parsePartSize(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  try {
    return parseByteSize(v);
  } catch (e) {
    throw new UsageError(`--part-size: ${(e as Error).message}`);
  }
}

/**
 * The object is there and --forbid-overwrite was given: nothing was (or will be) stored. The
 * code is OSS's own for the same refusal, so scripts see one code whichever side found it.
 */
class ObjectExistsError extends Error {
  override readonly name = 'ObjectExistsError';
  readonly code = 'FileAlreadyExists';
}

/**
 * OSS checks x-oss-forbid-overwrite only at CompleteMultipartUpload, after every part was
 * sent, so an object that is already there is looked for first. Credentials that may upload
 * but not read get 403 from HeadObject: then Complete decides.
 */
async function assertAbsent(client: OssClient, ctx: CommandContext, target: OssUrl): Promise<void> {
  try {
    await client.headObject({ ...target, signal: ctx.signal });
  } catch (e) {
    if (e instanceof OssServiceError && e.status === 404) return;
    if (e instanceof OssServiceError && e.status === 403) {
      ctx.out.debug(
        `HeadObject was refused (403): cannot tell whether ${formatOssUrl(target)} exists; CompleteMultipartUpload will.`,
      );
      return;
    }
    throw e;
  }
  throw new ObjectExistsError(
    `${formatOssUrl(target)} already exists and --forbid-overwrite was given: nothing was uploaded.`,
  );
}

/** OSS's refusal to overwrite (FileAlreadyExists), when that is why the upload failed. */
function overwriteRefusal(e: unknown): OssServiceError | undefined {
  const cause = e instanceof OssServiceError ? e : (e as { cause?: unknown })?.cause;
  return cause instanceof OssServiceError && cause.code === 'FileAlreadyExists' ? cause : undefined;
}

/**
 * `--no-resume`: gives the earlier upload of this file to this key up for good. It is aborted,
 * so that its parts do not stay billed with no checkpoint left to find them by; when that
 * fails (credentials that may not abort, say), the checkpoint goes anyway and a warning says
 * what is left.
 */
async function startAfresh(
  client: OssClient,
  ctx: CommandContext,
  target: OssUrl,
  source: ByteSource,
  store: CheckpointStore,
  endpoint: string,
): Promise<void> {
  try {
    const gone = await abortUpload(client, {
      ...target,
      source,
      checkpoint: store,
      signal: ctx.signal,
    });
    if (gone.aborted) ctx.out.debug(`--no-resume: aborted the earlier upload ${gone.uploadId}`);
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    // Another process is driving that upload (its lock is held), or its checkpoint cannot be
    // read: the entry is that upload's only record, so it stays, and so does the error.
    if ((e instanceof CheckpointError && e.kind === 'locked') || e instanceof OssArgumentError) {
      throw e;
    }
    const { checkpointId } = await import('@ossup/checkpoint-store');
    await store.delete(
      await checkpointId({ fingerprint: source.fingerprint!, endpoint, ...target }),
    );
    ctx.out.warn(
      `--no-resume: the earlier upload could not be aborted (${(e as Error).message}); its parts stay stored until \`ossup abort\` or a lifecycle rule removes them.`,
    );
  }
}

/** `ossup cp`: resumable, verified upload of one file. */
export const cpCommand: CommandDef = {
  name: 'cp',
  summary:
    'upload a file, resumably, with a progress bar; run it again after an interruption to resume',
  usage: 'cp <file> oss://<bucket>/<key> [options]',
  details: `
A key ending in '/' takes the file's name: \`ossup cp video.mp4 oss://media/2024/\`.
Ctrl-C stops promptly and keeps the parts already uploaded and the checkpoint: run the same
command again to resume. Every part's CRC-64 and the whole object's are checked; with --md5
each part carries Content-MD5 instead, so the server rejects a corrupt part itself (the
object's CRC-64 is still checked).
With --forbid-overwrite an existing object is looked for (HeadObject) before anything is sent;
if the object turns up only at Complete, the upload is aborted and its checkpoint deleted,
since it could never complete.`,
  positionals: [2, 2],
  options: {
    'part-size': {
      type: 'string',
      value: 'SIZE',
      description: 'part size, e.g. 8MiB, 64MiB (grown if the file needs more than 10,000 parts)',
      defaultText: '8MiB',
    },
    parallel: {
      type: 'string',
      short: 'p',
      value: 'N',
      description: 'parts uploaded at once (1-64)',
      defaultText: '4',
    },
    'checkpoint-dir': {
      type: 'string',
      value: 'DIR',
      description: 'where checkpoints are kept',
      defaultText: '~/.local/state/ossup/checkpoints',
    },
    'no-resume': {
      type: 'boolean',
      description: 'start afresh: abort the upload a checkpoint records, delete the checkpoint',
    },
    'storage-class': {
      type: 'string',
      value: 'CLASS',
      description: 'Standard, IA, Archive, ColdArchive, DeepColdArchive',
    },
    acl: {
      type: 'string',
      value: 'ACL',
      description: 'private, public-read, public-read-write or default',
    },
    meta: {
      type: 'string',
      multiple: true,
      value: 'K=V',
      description: 'user metadata (x-oss-meta-K)',
    },
    'content-type': {
      type: 'string',
      value: 'TYPE',
      description: 'Content-Type of the object',
      defaultText:
        "from the file's or else the key's extension (.mp4 → video/mp4), else application/octet-stream",
    },
    'forbid-overwrite': {
      type: 'boolean',
      description: 'fail, sending nothing, if the object exists (OSS checks again at Complete)',
    },
    md5: { type: 'boolean', description: 'send Content-MD5 with every part' },
    'no-crc': { type: 'boolean', description: 'skip the CRC-64 checks (not recommended)' },
    'max-rate': {
      type: 'string',
      value: 'RATE',
      description: 'cap the upload speed, e.g. 50MiB (per second)',
    },
    progress: {
      type: 'string',
      value: 'MODE',
      description: 'auto, bar, lines or none',
      defaultText: 'auto',
    },
  },
  async run(ctx) {
    const v = ctx.values;
    const [file, dest] = ctx.positionals as [string, string];
    const target = parseOssUrl(dest, 'destination');
    if (target.key === '' || target.key.endsWith('/')) target.key += basename(file);
    const partSize = parsePartSize(v['part-size'] as string | undefined);
    const parallel = parseParallel(v.parallel as string | undefined);
    const meta = parseMeta(v.meta as string[] | undefined);
    const progressMode = (v.progress as string | undefined) ?? 'auto';
    if (!['auto', 'bar', 'lines', 'none'].includes(progressMode)) {
      throw new UsageError(`--progress must be auto, bar, lines or none, got "${progressMode}".`);
    }
    const info = await stat(file).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') throw new UsageError(`${file}: no such file. Check the path.`);
      throw e;
    });
    if (info.isDirectory())
      throw new UsageError(`${file} is a directory; cp uploads one file. Give a file path.`);
    const config = await ctx.config();
    const maxRateText = v['max-rate'] as string | undefined;
    let maxRate: number | undefined;
    if (maxRateText !== undefined) {
      try {
        maxRate = parseByteSize(maxRateText.replace(/\/s$/i, ''));
      } catch (e) {
        throw new UsageError(`--max-rate: ${(e as Error).message}`);
      }
      if (maxRate < 1024) throw new UsageError('--max-rate must be at least 1KiB per second.');
    }
    const client = makeClient(config, ctx.out, maxRate ? { maxRate } : {});
    const source = await fromFile(file);
    try {
      const checkpointDir =
        (v['checkpoint-dir'] as string | undefined) ?? join(stateDir(ctx.env), 'checkpoints');
      const store = fileCheckpointStore(checkpointDir);
      if (v['no-resume']) await startAfresh(client, ctx, target, source, store, config.endpoint);
      if (v['forbid-overwrite']) await assertAbsent(client, ctx, target);
      if (source.size === 0) ctx.out.warn(`${file} is empty: uploading a 0-byte object.`);
      const reporter = createProgressReporter(
        ctx.out,
        progressMode as 'auto' | 'bar' | 'lines' | 'none',
      );
      const started = Date.now();
      let last: UploadProgress | undefined;
      try {
        const result = await upload(client, {
          source,
          ...target,
          ...(partSize === undefined ? {} : { partSize }),
          parallel,
          checkpoint: store,
          signal: ctx.signal,
          crc64: v['no-crc'] !== true,
          contentMd5: v.md5 === true,
          ...(v['storage-class'] ? { storageClass: v['storage-class'] as string } : {}),
          ...(v.acl ? { acl: v.acl as string } : {}),
          ...(Object.keys(meta).length ? { meta } : {}),
          ...(v['content-type'] ? { contentType: v['content-type'] as string } : {}),
          ...(v['forbid-overwrite'] ? { forbidOverwrite: true } : {}),
          onProgress: (p) => {
            last = p;
            reporter.update(p);
          },
          onWarning: (w) => {
            reporter.pause();
            ctx.out.warn(w.message);
          },
        });
        reporter.finish();
        const secs = (Date.now() - started) / 1000;
        const rate = secs > 0 ? (result.size - result.resumedBytes) / secs : 0;
        // With --no-crc the client reports the server's CRC-64 but compared nothing.
        const crcChecked = v['no-crc'] !== true && result.crc64 !== undefined;
        ctx.out.emit({
          type: 'result',
          command: 'cp',
          file,
          destination: formatOssUrl(target),
          ...result,
          verified: crcChecked,
          seconds: secs,
        });
        const crc = crcChecked ? `CRC-64 ${result.crc64} verified` : 'CRC-64 not checked';
        // A single PutObject reports no parts: it is one.
        const partCount = result.parts.length || 1;
        const resumed = result.resumed
          ? `, resumed with ${formatBytes(result.resumedBytes)} already uploaded`
          : '';
        ctx.out.info(
          `uploaded ${file} → ${formatOssUrl(target)}: ${formatBytes(result.size)} in ${secs.toFixed(1)}s (${formatBytes(Math.round(rate))}/s), ${partCount} part${partCount === 1 ? '' : 's'}, ${crc}${resumed}`,
        );
        return EXIT.ok;
      } catch (e) {
        reporter.finish();
        if (ctx.signal.aborted) {
          const done = last
            ? `${last.partsDone} of ${last.partsTotal ?? '?'} parts are stored. `
            : '';
          ctx.out.error(`interrupted. ${done}Run the same command again to resume.`, {
            code: 'interrupted',
            ...(last ? { partsDone: last.partsDone } : {}),
          });
          return EXIT.interrupted;
        }
        const refusal = overwriteRefusal(e);
        if (refusal) {
          // The object is there after all (it appeared while the parts were sent, or HEAD was
          // refused). This upload can never complete, so "run it again to resume" would be a
          // lie: free its parts and drop its checkpoint.
          const uploadId = (e as { uploadId?: string }).uploadId;
          let cleaned = '';
          if (uploadId) {
            cleaned = await abortUpload(client, { ...target, uploadId, source, checkpoint: store })
              .then(() => ' The multipart upload was aborted and its checkpoint deleted.')
              .catch(
                (err: unknown) =>
                  ` Aborting the multipart upload failed too (${(err as Error).message}): remove it with \`ossup abort ${formatOssUrl(target)} --upload-id ${uploadId}\`.`,
              );
          }
          throw new ObjectExistsError(
            `OSS refused to overwrite ${formatOssUrl(target)}, which exists (it appeared during the upload, or HeadObject was not allowed to see it), as --forbid-overwrite asks: nothing was stored.${cleaned}`,
            { cause: refusal },
          );
        }
        throw e;
      }
    } finally {
      await source.close?.();
    }
  },
};
