// Assembles the WebAssembly kernels and writes each module, as base64, between the wasm:begin
// and wasm:end markers of its TypeScript file: src/crc64-kernel.wat into src/crc64-wasm.ts,
// and the text made by scripts/md5-lanes-wat.mjs into src/md5-lanes.ts. The tests of both
// files check that the embedded bytes agree with their source.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';
import { md5LanesWat } from './md5-lanes-wat.mjs';

const src = (name) => fileURLToPath(new URL(`../src/${name}`, import.meta.url));
const wabt = await wabtInit();

function embed(watName, wat, target, features = {}) {
  const module = wabt.parseWat(watName, wat, features);
  const { buffer } = module.toBinary({});
  const base64 = Buffer.from(buffer).toString('base64');
  const before = readFileSync(src(target), 'utf8');
  const after = before.replace(
    /\/\* wasm:begin \*\/ '[^']*' \/\* wasm:end \*\//,
    `/* wasm:begin */ '${base64}' /* wasm:end */`,
  );
  if (after === before && !before.includes(base64))
    throw new Error(`wasm markers not found in ${target}`);
  writeFileSync(src(target), after);
  console.log(`${watName}: ${buffer.length} bytes of WebAssembly`);
}

embed('crc64-kernel.wat', readFileSync(src('crc64-kernel.wat'), 'utf8'), 'crc64-wasm.ts');
embed('md5-lanes.wat', md5LanesWat(), 'md5-lanes.ts', { simd: true });
