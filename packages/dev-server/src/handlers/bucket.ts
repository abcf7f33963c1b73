import { buildListBucketResult, type ObjectSummary } from '@ossup/xml-protocol';
import { invalidArgument, invalidBucketName } from '../error-codes.ts';
import { readSmallBody } from '../http/receive-body.ts';
import { compareUtf8, objectsAfter, paginate } from '../listing.ts';
import { allowBody, type RequestContext, send, sendXml } from '../server/context.ts';
import type { ServerState } from '../server/state.ts';
import type { ObjectRecord } from '../storage/records.ts';
import { buildWithUrlFallback } from '../xml/documents.ts';
import { renderDocument, type XmlNode } from '../xml/local-xml.ts';
import { encodingTypeOf, intParam, isoDate, OWNER, storageClassOf } from './common.ts';

/** OSS bucket naming rule (§5.1). */
export const BUCKET_NAME_RULE = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

function bucketNodes(state: ServerState, name: string, created: number): XmlNode[] {
  return [
    ['CreationDate', isoDate(created)],
    ['ExtranetEndpoint', `oss-${state.region}.aliyuncs.com`],
    ['IntranetEndpoint', `oss-${state.region}-internal.aliyuncs.com`],
    ['Location', `oss-${state.region}`],
    ['Name', name],
    ['Region', state.region],
    ['StorageClass', 'Standard'],
  ];
}

/** GET / */
export async function listBuckets(state: ServerState, ctx: RequestContext): Promise<void> {
  const buckets = state.store.listBuckets();
  const xml = renderDocument([
    'ListAllMyBucketsResult',
    [
      [
        'Owner',
        [
          ['ID', OWNER.id],
          ['DisplayName', OWNER.displayName],
        ],
      ],
      ['Buckets', buckets.map((b): XmlNode => ['Bucket', bucketNodes(state, b.name, b.created)])],
    ],
  ]);
  sendXml(ctx, xml);
}

/** PUT /bucket (the optional CreateBucketConfiguration body is read and ignored). */
export async function putBucket(state: ServerState, ctx: RequestContext): Promise<void> {
  const bucket = ctx.bucket!;
  if (!BUCKET_NAME_RULE.test(bucket)) throw invalidBucketName(bucket);
  allowBody(ctx);
  await readSmallBody(ctx.req, 64 * 1024);
  await state.store.createBucket(bucket, true);
  send(ctx, 200, { Location: `/${bucket}` });
}

/** DELETE /bucket */
export async function deleteBucket(state: ServerState, ctx: RequestContext): Promise<void> {
  await state.store.deleteBucket(ctx.bucket!);
  send(ctx, 204, {});
}

/** GET /bucket?bucketInfo */
export async function getBucketInfo(state: ServerState, ctx: RequestContext): Promise<void> {
  const b = state.store.requireBucket(ctx.bucket!);
  sendXml(
    ctx,
    renderDocument([
      'BucketInfo',
      [
        [
          'Bucket',
          [
            ...bucketNodes(state, b.record.name, b.record.created),
            ['AccessMonitor', 'Disabled'],
            ['DataRedundancyType', 'LRS'],
            [
              'Owner',
              [
                ['ID', OWNER.id],
                ['DisplayName', OWNER.displayName],
              ],
            ],
            ['AccessControlList', [['Grant', 'private']]],
          ],
        ],
      ],
    ]),
  );
}

/** GET /bucket?location */
export async function getBucketLocation(state: ServerState, ctx: RequestContext): Promise<void> {
  state.store.requireBucket(ctx.bucket!);
  sendXml(ctx, renderDocument(['LocationConstraint', `oss-${state.region}`]));
}

function summary(o: ObjectRecord, withOwner: boolean): ObjectSummary {
  const s: ObjectSummary = {
    key: o.key,
    lastModified: isoDate(o.lastModified),
    etag: o.etag,
    type: o.type,
    size: o.size,
    storageClass: storageClassOf(o.headers),
  };
  if (withOwner) s.owner = { ...OWNER };
  return s;
}

/** GET /bucket (ListObjects, OSS's GetBucket) and GET /bucket?list-type=2 (ListObjectsV2). */
export async function listObjects(state: ServerState, ctx: RequestContext): Promise<void> {
  const b = state.store.requireBucket(ctx.bucket!);
  const q = ctx.query;
  const encodingType = encodingTypeOf(q);
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const maxKeys = intParam(q, 'max-keys', 100, 0, 1000);
  const v2 = ctx.operation === 'ListObjectsV2';

  let marker = q.get('marker') ?? '';
  let token: string | undefined;
  if (v2) {
    marker = q.get('start-after') ?? '';
    token = q.get('continuation-token');
    if (token !== undefined && token !== '') {
      const decoded = decodeToken(token);
      if (decoded === undefined) {
        throw invalidArgument('The continuation token is not valid.', 'continuation-token', token);
      }
      if (compareUtf8(decoded, marker) > 0) marker = decoded;
    }
  }
  const page = paginate(
    objectsAfter(b.objects.values(), marker),
    (o) => o.key,
    prefix,
    delimiter,
    maxKeys,
    marker,
  );
  const withOwner = !v2 || q.get('fetch-owner') === 'true';
  const contents: ObjectSummary[] = [];
  const commonPrefixes: string[] = [];
  let last = '';
  for (const e of page.entries) {
    if (e.kind === 'item') {
      contents.push(summary(e.item, withOwner));
      last = e.item.key;
    } else {
      commonPrefixes.push(e.prefix);
      last = e.prefix;
    }
  }
  const xml = buildWithUrlFallback((enc) => {
    const common = {
      name: b.record.name,
      prefix,
      maxKeys,
      delimiter,
      isTruncated: page.isTruncated,
      contents,
      commonPrefixes,
      ...(enc === undefined ? {} : { encodingType: enc }),
    };
    if (!v2) {
      return buildListBucketResult({
        ...common,
        listType: 1,
        marker: q.get('marker') ?? '',
        ...(page.isTruncated ? { nextMarker: last } : {}),
      });
    }
    const startAfter = q.get('start-after');
    return buildListBucketResult({
      ...common,
      listType: 2,
      keyCount: contents.length + commonPrefixes.length,
      ...(startAfter !== undefined ? { startAfter } : {}),
      ...(token !== undefined ? { continuationToken: token } : {}),
      ...(page.isTruncated ? { nextContinuationToken: encodeToken(last) } : {}),
    });
  }, encodingType);
  sendXml(ctx, xml);
}

// Continuation tokens are opaque to clients; ours carry the last key returned.
function encodeToken(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

function decodeToken(token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(token)) return undefined;
  return Buffer.from(token, 'base64url').toString('utf8');
}
