import { crc64 } from '@ossup/checksum';
import { createHash } from 'node:crypto';
const b = new Uint8Array(8 << 20); crypto.getRandomValues(b.subarray(0, 65536));
for (let r = 0; r < 3; r++) {
  let t = performance.now(); const c0 = process.cpuUsage();
  for (let i = 0; i < 128; i++) crc64(b);
  const c1 = process.cpuUsage(c0);
  console.log('crc64 1GiB', ((performance.now() - t)/1000).toFixed(2), 's wall', ((c1.user+c1.system)/1e6).toFixed(2), 's cpu');
  t = performance.now();
  for (let i = 0; i < 128; i++) createHash('md5').update(b).digest();
  console.log('md5 1GiB', ((performance.now() - t)/1000).toFixed(2));
}
