import { spawnSync } from 'node:child_process';
import { startChild, type Message } from '../child.ts';
import { writeRandomFile } from '../test-file.ts';
const file = '/dev/shm/ossup-exp.bin';
await writeRandomFile(file, 2 ** 30).catch(() => {});
const sink = startChild('oss-sink.ts', []);
const { endpoint } = await sink.next<Message & { endpoint: string }>('ready');
const variants = process.argv.slice(2);
for (let r = 0; r < 2; r++) for (const v of variants) {
  const out = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=source', new URL('./variant.ts', import.meta.url).pathname, endpoint, file, v], { encoding: 'utf8' });
  process.stdout.write(out.stdout + out.stderr.slice(0, 500));
}
await sink.stop();
