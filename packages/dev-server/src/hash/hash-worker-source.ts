import { createWasmCrc64Kernel } from '@ossup/checksum';

// Source of the hashing worker, run with `new Worker(source, { eval: true })` so that it works
// the same from TypeScript sources (tests), from the built package and from a bundle: it needs
// nothing but Node built-ins and the source of @ossup/checksum's self-contained WebAssembly
// CRC-64 kernel factory (its module cannot be imported into an eval'd worker from TypeScript
// sources).
//
// Protocol (messages carry the session id `id`):
//   worker → main: {t:'ready'}                    once, when it can take sessions
//   main → worker: {t:'o', id, path}              open a session writing the (existing) file at path
//                  {t:'d', id, b: ArrayBuffer[]}   data (transferred), in order: hash, then one writev
//                  {t:'e', id}                     end: reply with the digests
//                  {t:'q', id}                     abort: close the file, forget the session
//   worker → main: {t:'a', id, n}                 n more bytes are hashed and written
//                  {t:'r', id, md5, hi, lo, size} result (md5: Uint8Array; CRC as two u32 halves)
//                  {t:'x', id, message}           the session failed (e.g. ENOSPC)
//                  {t:'z', id}                    abort done: the worker no longer touches the file
export const HASH_WORKER_SOURCE = `
'use strict';
// An evaluated worker is CommonJS, with \`require\`, unless the process runs with
// --input-type=module, which workers inherit: then it is ESM and has process.getBuiltinModule
// (Node >= 20.16) instead.
const load = typeof require === 'function' ? require : process.getBuiltinModule;
const { parentPort } = load('node:worker_threads');
const { createHash } = load('node:crypto');
const { closeSync, openSync, writevSync } = load('node:fs');

// CRC-64/XZ: @ossup/checksum's WebAssembly kernel, from its self-contained factory's source.
// Without WebAssembly (e.g. --jitless) the worker stops before it is ready; after a few such
// starts the pool hashes on the event loop instead, with @ossup/checksum's TypeScript kernel.
const crc64Kernel = (${String(createWasmCrc64Kernel)})();
if (crc64Kernel === undefined) throw new Error('WebAssembly is not available for CRC-64');
// The register, inverted (~crc) between calls, as [low, high] 32-bit halves.
const register = new Int32Array(2);

function crcUpdate(state, b) {
  register[0] = state.lo; register[1] = state.hi;
  crc64Kernel(b, register);
  state.lo = register[0]; state.hi = register[1];
}

const sessions = new Map();

// Each session opens the file itself: a file descriptor of the main thread is not usable
// here on every runtime (Deno's are per-thread), and owning it means no other thread can close
// it under our feet.

// One vectored write per message; a short write goes on with what is left.
function writeAll(fd, views, total, position) {
  let done = writevSync(fd, views, position);
  while (done < total) {
    let skip = done;
    const rest = [];
    for (const v of views) {
      if (skip >= v.length) skip -= v.length;
      else { rest.push(skip > 0 ? v.subarray(skip) : v); skip = 0; }
    }
    done += writevSync(fd, rest, position + done);
  }
}

function closeQuietly(s) {
  if (s.fd === undefined) return;
  try { closeSync(s.fd); } catch {}
  s.fd = undefined;
}

function handle(m) {
  if (m.t === 'o') {
    const s = { fd: undefined, md5: createHash('md5'), crc: { lo: -1, hi: -1 }, size: 0, error: undefined };
    try {
      s.fd = openSync(m.path, 'r+');
    } catch (err) {
      s.error = String((err && err.message) || err);
    }
    sessions.set(m.id, s);
    return;
  }
  if (m.t === 'q') {
    const s = sessions.get(m.id);
    if (s !== undefined) closeQuietly(s);
    sessions.delete(m.id);
    parentPort.postMessage({ t: 'z', id: m.id });
    return;
  }
  const s = sessions.get(m.id);
  if (s === undefined) return;
  if (m.t === 'd') {
    const views = m.b.map((b) => new Uint8Array(b));
    let n = 0;
    for (const v of views) n += v.length;
    if (s.error === undefined) {
      try {
        for (const v of views) {
          s.md5.update(v);
          crcUpdate(s.crc, v);
        }
        writeAll(s.fd, views, n, s.size);
        s.size += n;
      } catch (err) {
        s.error = String((err && err.message) || err);
      }
    }
    if (s.error !== undefined) parentPort.postMessage({ t: 'x', id: m.id, message: s.error });
    else parentPort.postMessage({ t: 'a', id: m.id, n });
    return;
  }
  if (m.t === 'e') {
    sessions.delete(m.id);
    try {
      if (s.fd !== undefined) closeSync(s.fd);
    } catch (err) {
      if (s.error === undefined) s.error = String((err && err.message) || err);
    }
    s.fd = undefined;
    if (s.error !== undefined) parentPort.postMessage({ t: 'x', id: m.id, message: s.error });
    else parentPort.postMessage({ t: 'r', id: m.id, md5: new Uint8Array(s.md5.digest()), lo: ~s.crc.lo >>> 0, hi: ~s.crc.hi >>> 0, size: s.size });
  }
}

parentPort.on('message', (m) => {
  try {
    handle(m);
  } catch (err) {
    parentPort.postMessage({ t: 'x', id: m.id, message: String((err && err.message) || err) });
  }
});
parentPort.postMessage({ t: 'ready' });
`;
