import { upload } from '@ossup/client';
import { createNodeClient, fromFile } from '@ossup/node';
import { startChild, type Message } from '../child.ts';
const sink = startChild('oss-sink.ts', []);
const { endpoint } = await sink.next<Message & { endpoint: string }>('ready');
const client = createNodeClient({ endpoint, region: 'cn-hangzhou', credentials: { accessKeyId: 'a', accessKeySecret: 'b' },
  onResponse: (i) => { if (i.operation !== 'UploadPart') console.log((performance.now() - t).toFixed(0), i.operation, i.status); } });
let parts = 0;
const t = performance.now();
const r = await upload(client, { source: await fromFile('/dev/shm/ossup-exp.bin'), bucket: 'bench', key: 'k', crc64: process.argv[2] !== 'nocrc',
  onProgress: (p) => { if (p.phase !== 'uploading' || p.partsDone !== parts) { parts = p.partsDone ?? 0; if (parts % 16 === 0 || p.phase !== 'uploading') console.log((performance.now() - t).toFixed(0), p.phase, p.loaded, parts); } },
  onWarning: (w) => console.log('warn', w.code) });
console.log('done', (performance.now() - t).toFixed(0), r.etag);
await sink.stop();
process.exit();
