import { open } from 'node:fs/promises';
import { upload, type ByteSource } from '@ossup/client';
import { createNodeClient, fromFile } from '@ossup/node';
import { processStats } from '../proc-stats.ts';

const [endpoint, file, variant] = process.argv.slice(2) as [string, string, string];
const v = new Set(variant.split('+'));
const client = createNodeClient({
  endpoint,
  region: 'cn-hangzhou',
  credentials: { accessKeyId: 'a', accessKeySecret: 'b' },
  ...(v.has('v1') ? { signatureVersion: 'v1' as const } : {}),
  ...(v.has('chunk4m') ? { http: { chunkSize: 4 << 20 } } : {}),
});
async function unsafeSource(path: string): Promise<ByteSource> {
  const fh = await open(path, 'r');
  const size = (await fh.stat()).size;
  return {
    size,
    fingerprint: `${path}:${size}`,
    async read(start: number, end: number) {
      const out = Buffer.allocUnsafeSlow(end - start);
      let f = 0;
      while (f < out.length) f += (await fh.read(out, f, out.length - f, start + f)).bytesRead;
      return new Uint8Array(out.buffer, out.byteOffset, out.length);
    },
  };
}
const source = v.has('unsafe') ? await unsafeSource(file) : await fromFile(file, { checkEvery: v.has('nostat') ? 0 : 1 });
const b = processStats();
const t = performance.now();
await upload(client, { source, bucket: 'bench', key: 'k', crc64: !v.has('nocrc'), contentMd5: v.has('md5') });
const s = (performance.now() - t) / 1000;
const a = processStats();
console.log(JSON.stringify({ variant, mbps: (2 ** 30 / 1e6 / s).toFixed(0), cpu: (a.userSeconds + a.systemSeconds - b.userSeconds - b.systemSeconds).toFixed(2), rss: ((a.peakRssBytes - b.peakRssBytes) / 2 ** 20).toFixed(0) }));
process.exit();
