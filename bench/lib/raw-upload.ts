// The ceiling: the least work a client can do to put a file up as a multipart upload over
// node:http. A keep-alive agent with one socket per worker, each worker reusing one part-sized
// buffer for positional reads, no hashing, no signing (the dev server runs with
// `anonymous: true`), no XML library: the upload id is cut out of the Initiate answer with a
// regular expression and the Complete body is a template string.

import { open } from 'node:fs/promises';
import { Agent, request } from 'node:http';

/** Where and how to upload. */
export interface RawUploadJob {
  readonly endpoint: string;
  readonly bucket: string;
  readonly key: string;
  readonly file: string;
  readonly partSize: number;
  readonly parallel: number;
}

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One request; the body is read as text only when `keepBody`. */
export function rawRequest(
  agent: Agent,
  url: string,
  method: string,
  body: Uint8Array | string | undefined,
  headers: Record<string, string> = {},
  keepBody = false,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const length =
      body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    const req = request(url, {
      method,
      agent,
      headers: { 'content-length': String(length), ...headers },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        if (keepBody || (res.statusCode ?? 0) >= 300) chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 0) >= 300) {
          reject(
            new Error(
              `${method} ${new URL(url).pathname} answered ${res.statusCode}: ${text.slice(0, 300)}`,
            ),
          );
          return;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
      });
    });
    req.end(body);
  });
}

/** Uploads `job.file` in parts; resolves with the object's ETag. */
export async function rawUpload(job: RawUploadJob): Promise<{ etag: string; warnings: string[] }> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.parallel });
  const object = `${job.endpoint}/${job.bucket}/${encodeURIComponent(job.key)}`;
  const init = await rawRequest(agent, `${object}?uploads`, 'POST', undefined, {}, true);
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(init.body)?.[1];
  if (uploadId === undefined) throw new Error(`No UploadId in: ${init.body.slice(0, 200)}`);
  const fh = await open(job.file, 'r');
  try {
    const size = (await fh.stat()).size;
    const count = Math.ceil(size / job.partSize);
    const etags: string[] = new Array(count);
    let next = 0;
    const worker = async () => {
      const buffer = Buffer.allocUnsafe(job.partSize);
      for (let i = next++; i < count; i = next++) {
        const start = i * job.partSize;
        const length = Math.min(job.partSize, size - start);
        let filled = 0;
        while (filled < length) {
          const { bytesRead } = await fh.read(buffer, filled, length - filled, start + filled);
          if (bytesRead === 0) throw new Error('file ended early');
          filled += bytesRead;
        }
        const res = await rawRequest(
          agent,
          `${object}?partNumber=${i + 1}&uploadId=${uploadId}`,
          'PUT',
          buffer.subarray(0, length),
        );
        etags[i] = String(res.headers['etag'] ?? '');
      }
    };
    await Promise.all(Array.from({ length: Math.min(job.parallel, count) }, worker));
    const parts = etags
      .map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`)
      .join('');
    const done = await rawRequest(
      agent,
      `${object}?uploadId=${uploadId}`,
      'POST',
      `<CompleteMultipartUpload>${parts}</CompleteMultipartUpload>`,
      { 'content-type': 'application/xml' },
    );
    return { etag: String(done.headers['etag'] ?? '').replace(/"/g, ''), warnings: [] };
  } finally {
    await fh.close();
    agent.destroy();
  }
}
