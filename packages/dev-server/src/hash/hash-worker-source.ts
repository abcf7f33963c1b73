// Source of the hashing worker, run with `new Worker(source, { eval: true })` so that it works
// the same from TypeScript sources (tests), from the built package and from a bundle: it needs
// nothing but Node built-ins. Its CRC-64/XZ kernel is plain slicing-by-16 over two 32-bit
// halves (the same algorithm as @ossup/checksum, which cannot be loaded into an eval'd worker
// from TypeScript sources); the tests check both agree.
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
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { closeSync, openSync, writevSync } = require('node:fs');

// CRC-64/XZ: reflected ECMA-182 polynomial 0xC96C5795D7870F42, init and xorout all ones.
// TL/TH hold 16 tables of 256 entries (low and high 32 bits); table k advances k more bytes.
const TL = new Uint32Array(4096);
const TH = new Uint32Array(4096);
for (let i = 0; i < 256; i++) {
  let lo = i, hi = 0;
  for (let j = 0; j < 8; j++) {
    const odd = lo & 1;
    lo = ((lo >>> 1) | (hi << 31)) >>> 0;
    hi = hi >>> 1;
    if (odd) { lo = (lo ^ 0xd7870f42) >>> 0; hi = (hi ^ 0xc96c5795) >>> 0; }
  }
  TL[i] = lo; TH[i] = hi;
}
for (let k = 1; k < 16; k++) {
  for (let i = 0; i < 256; i++) {
    const plo = TL[(k - 1) * 256 + i], phi = TH[(k - 1) * 256 + i];
    const idx = plo & 0xff;
    TL[k * 256 + i] = (TL[idx] ^ ((plo >>> 8) | (phi << 24))) >>> 0;
    TH[k * 256 + i] = (TH[idx] ^ (phi >>> 8)) >>> 0;
  }
}
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

// State is kept inverted (~crc) between calls. The register travels through crcLo/crcHi
// (scratch, no allocation) so that each loop below is a function of its own with one shape of
// input. The earlier single loop, choosing Uint32Array or DataView per word, ran at uneven
// speed in the server (23% of one worker's time, 41% of the other's, same work).
let crcLo = 0, crcHi = 0;

function crcBytes(b, from, to) {
  let lo = crcLo, hi = crcHi;
  for (let i = from; i < to; i++) {
    const idx = (lo ^ b[i]) & 255;
    lo = TL[idx] ^ ((lo >>> 8) | (hi << 24));
    hi = TH[idx] ^ (hi >>> 8);
  }
  crcLo = lo; crcHi = hi;
}

// Folds 16 * blocks bytes, read as aligned little-endian words w, into the register.
function crcBlocks(w, blocks) {
  let lo = crcLo, hi = crcHi;
  for (let k = 0; k < blocks; k++) {
    const x = lo ^ w[k * 4], y = hi ^ w[k * 4 + 1], z = w[k * 4 + 2], v = w[k * 4 + 3];
    const a0 = 3840 + (x & 255), a1 = 3584 + ((x >>> 8) & 255), a2 = 3328 + ((x >>> 16) & 255), a3 = 3072 + (x >>> 24);
    const a4 = 2816 + (y & 255), a5 = 2560 + ((y >>> 8) & 255), a6 = 2304 + ((y >>> 16) & 255), a7 = 2048 + (y >>> 24);
    const a8 = 1792 + (z & 255), a9 = 1536 + ((z >>> 8) & 255), a10 = 1280 + ((z >>> 16) & 255), a11 = 1024 + (z >>> 24);
    const a12 = 768 + (v & 255), a13 = 512 + ((v >>> 8) & 255), a14 = 256 + ((v >>> 16) & 255), a15 = v >>> 24;
    lo = TL[a0] ^ TL[a1] ^ TL[a2] ^ TL[a3] ^ TL[a4] ^ TL[a5] ^ TL[a6] ^ TL[a7] ^
      TL[a8] ^ TL[a9] ^ TL[a10] ^ TL[a11] ^ TL[a12] ^ TL[a13] ^ TL[a14] ^ TL[a15];
    hi = TH[a0] ^ TH[a1] ^ TH[a2] ^ TH[a3] ^ TH[a4] ^ TH[a5] ^ TH[a6] ^ TH[a7] ^
      TH[a8] ^ TH[a9] ^ TH[a10] ^ TH[a11] ^ TH[a12] ^ TH[a13] ^ TH[a14] ^ TH[a15];
  }
  crcLo = lo; crcHi = hi;
}

// At most this many blocks per crcBlocks call: a loop entered often is optimised as a whole
// function, while one long first call would get on-stack-replacement code, measured ~35%
// slower in @ossup/checksum (and kept for later calls).
const BLOCKS_PER_CALL = 4096;

function crcUpdate(state, b) {
  const n = b.length;
  crcLo = state.lo; crcHi = state.hi;
  let i = 0;
  if (LITTLE_ENDIAN && n >= 32) {
    // Bytes up to the buffer's first 4-byte boundary one at a time, then whole words.
    i = (4 - (b.byteOffset & 3)) & 3;
    crcBytes(b, 0, i);
    let left = (n - i) >>> 4;
    while (left > 0) {
      const blocks = Math.min(BLOCKS_PER_CALL, left);
      crcBlocks(new Uint32Array(b.buffer, b.byteOffset + i, blocks * 4), blocks);
      i += blocks * 16;
      left -= blocks;
    }
  }
  crcBytes(b, i, n);
  state.lo = crcLo; state.hi = crcHi;
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
