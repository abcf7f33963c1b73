// Assembles src/crc64-kernel.wat and writes the module, as base64, between the wasm:begin and
// wasm:end markers of src/crc64-wasm.ts. crc64-wasm.test.ts checks that the two agree.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

const src = (name) => fileURLToPath(new URL(`../src/${name}`, import.meta.url));
const wabt = await wabtInit();
const module = wabt.parseWat('crc64-kernel.wat', readFileSync(src('crc64-kernel.wat'), 'utf8'));
const { buffer } = module.toBinary({});
const base64 = Buffer.from(buffer).toString('base64');
const target = src('crc64-wasm.ts');
const before = readFileSync(target, 'utf8');
const after = before.replace(
  /\/\* wasm:begin \*\/ '[^']*' \/\* wasm:end \*\//,
  `/* wasm:begin */ '${base64}' /* wasm:end */`,
);
if (after === before && !before.includes(base64)) throw new Error('wasm markers not found');
writeFileSync(target, after);
console.log(`crc64-kernel.wat: ${buffer.length} bytes of WebAssembly`);
