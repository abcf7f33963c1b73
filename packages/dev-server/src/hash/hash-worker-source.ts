import { createMd5Lanes, createWasmCrc64Kernel } from '@ossup/checksum';
import { MAX_UNACKNOWLEDGED } from '../http/receive-body.ts';

// Source of the hashing worker, run with `new Worker(source, { eval: true })` so that it works
// the same from TypeScript sources (tests), from the built package and from a bundle: it needs
// nothing but Node built-ins and the sources of @ossup/checksum's self-contained WebAssembly
// factories, the CRC-64 kernel and the MD5 lanes (its module cannot be imported into an eval'd
// worker from TypeScript sources).
//
// Protocol (messages carry the session id `id`):
//   worker → main: {t:'ready', lanes}             once, when it can take sessions; lanes: how many
//                                                 bodies it hashes together in SIMD lanes (0: none)
//   main → worker: {t:'o', id, path}              open a session writing the (existing) file at path
//                  {t:'d', id, b: ArrayBuffer[]}   data (transferred), in order: hashed, one writev
//                  {t:'e', id}                     end: reply with the digests
//                  {t:'q', id}                     abort: close the file, forget the session
//   worker → main: {t:'a', id, n}                 n more bytes are hashed and written
//                  {t:'r', id, md5, hi, lo, size, lane}
//                                                 result (md5: Uint8Array; CRC as two u32 halves;
//                                                 lane: whether the MD5 ran in a SIMD lane)
//                  {t:'x', id, message}           the session failed (e.g. ENOSPC)
//                  {t:'z', id}                    abort done: the worker no longer touches the file
// Bytes of a body alone in a worker that may wait unhashed for company (see the worker): half of
// what the main thread lets a body have unacknowledged, so acknowledgements keep coming.
const LONE_LIMIT = MAX_UNACKNOWLEDGED / 2;

export const HASH_WORKER_SOURCE = `
'use strict';
// An evaluated worker is CommonJS, with \`require\`, unless the process runs with
// --input-type=module, which workers inherit: then it is ESM and has process.getBuiltinModule
// (Node >= 20.16) instead.
const load = typeof require === 'function' ? require : process.getBuiltinModule;
const { parentPort } = load('node:worker_threads');
const { createHash } = load('node:crypto');
const { closeSync, openSync, writev } = load('node:fs');

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

// MD5: node:crypto for a body alone in this worker, and @ossup/checksum's 4-lane WebAssembly
// SIMD kernel for bodies that overlap here (the parts of a parallel upload, which the pool
// packs onto one worker): four lanes cost about the CPU time of 1.6 node:crypto MD5s, but one
// lane alone is slower than node:crypto. So a body's MD5 is chosen lazily. Its bytes wait,
// unhashed (CRC-64 and writes go on), until another body opens here (then both take lanes),
// until it ends, or until LONE_LIMIT bytes wait (then node:crypto takes them). A body keeps
// the MD5 it was given, so one whose companions have all ended finishes alone in its lane.
// LONE_LIMIT must stay below the bytes the main thread lets a body have unacknowledged
// (receive-body.ts pauses the socket at 8 MiB): acknowledgements wait for the MD5.
let lanes;
try {
  lanes = (${String(createMd5Lanes)})();
} catch {
  lanes = undefined;
}
const LONE_LIMIT = ${LONE_LIMIT};
// 16 steps of 64 KiB: up to 1 MiB of every lane per turn, then messages are let in, so that
// new bodies join the lanes and acknowledgements flow.
const STEPS_PER_TURN = 16;
let pumping = false;

function schedulePump() {
  if (pumping) return;
  pumping = true;
  setImmediate(pump);
}

function pump() {
  pumping = false;
  let ran = false;
  for (let i = 0; i < STEPS_PER_TURN && lanes.step(); i++) ran = true;
  if (!ran) return;
  ackLanes();
  schedulePump();
}

function ackLanes() {
  for (const [id, s] of sessions) {
    if (s.lane === undefined) continue;
    s.hashed = s.size - s.lane.queued;
    ack(id, s);
  }
}

// An open body here that is, or may still become, a lane's.
function laneCandidate(s) {
  return !s.ending && s.error === undefined && (s.lane !== undefined || s.waiting !== undefined);
}

function toLane(s) {
  s.lane = lanes.open();
  for (const v of s.waiting) s.lane.update(v);
  s.waiting = undefined;
  schedulePump();
}

function toCrypto(s) {
  s.md5 = createHash('md5');
  for (const v of s.waiting) s.md5.update(v);
  s.waiting = undefined;
  s.hashed = s.size;
}

// Chooses the MD5 of a body that just opened (see above).
function chooseMd5(s) {
  if (lanes === undefined) {
    s.md5 = createHash('md5');
    return;
  }
  s.waiting = [];
  let inLanes = 0;
  const undecided = [];
  for (const o of sessions.values()) {
    if (!laneCandidate(o)) continue;
    if (o.lane !== undefined) inLanes++;
    else undecided.push(o);
  }
  if (inLanes + undecided.length === 0 || lanes.free === 0) return;
  // Company is there: the waiting bodies take lanes first (keeping one for this one).
  for (const o of undecided) if (lanes.free > 1) toLane(o);
  toLane(s);
}

// Acknowledges bytes that are both hashed and written: only then may the main thread count
// them as gone (they stop holding memory here).
function ack(id, s) {
  const done = Math.min(s.hashed, s.written);
  if (done > s.acked && s.error === undefined && !s.quitting) {
    parentPort.postMessage({ t: 'a', id, n: done - s.acked });
    s.acked = done;
  }
}

function fail(id, s, err) {
  if (s.error !== undefined) return;
  s.error = String((err && err.message) || err);
  parentPort.postMessage({ t: 'x', id, message: s.error });
}

// Each session opens the file itself: a file descriptor of the main thread is not usable
// here on every runtime (Deno's are per-thread), and owning it means no other thread can close
// it under our feet.

// One vectored write per message, on libuv's pool, so this thread goes on hashing meanwhile;
// a short write goes on with what is left.
function writeAll(id, s, views, total, position) {
  s.writes++;
  writev(s.fd, views, position, (err, n) => {
    s.writes--;
    if (err) fail(id, s, err);
    else if (n < total) {
      let skip = n;
      const rest = [];
      for (const v of views) {
        if (skip >= v.length) skip -= v.length;
        else { rest.push(skip > 0 ? v.subarray(skip) : v); skip = 0; }
      }
      s.written += n;
      writeAll(id, s, rest, total - n, position + n);
      return;
    } else s.written += n;
    settle(id, s);
  });
}

function closeQuietly(s) {
  if (s.lane !== undefined) s.lane.close();
  s.lane = undefined;
  if (s.fd === undefined) return;
  try { closeSync(s.fd); } catch {}
  s.fd = undefined;
}

// Moves a session on once no write of it is in flight: acknowledges, finishes or ends an abort.
function settle(id, s) {
  if (s.writes > 0) return;
  if (s.quitting) {
    closeQuietly(s);
    parentPort.postMessage({ t: 'z', id });
    return;
  }
  if (!s.ending) {
    ack(id, s);
    return;
  }
  sessions.delete(id);
  let md5;
  let inLane = false;
  try {
    if (s.error === undefined) {
      if (s.waiting !== undefined) toCrypto(s);
      inLane = s.lane !== undefined;
      if (s.lane !== undefined) {
        md5 = s.lane.digest();
        s.lane = undefined;
        // The digest hashed the other lanes along as far as they had bytes.
        ackLanes();
      } else md5 = new Uint8Array(s.md5.digest());
    }
  } catch (err) {
    if (s.error === undefined) s.error = String((err && err.message) || err);
  }
  closeQuietly(s);
  if (s.error !== undefined) parentPort.postMessage({ t: 'x', id, message: s.error });
  else parentPort.postMessage({ t: 'r', id, md5, lo: ~s.crc.lo >>> 0, hi: ~s.crc.hi >>> 0, size: s.size, lane: inLane });
}

function handle(m) {
  if (m.t === 'o') {
    const s = {
      fd: undefined, crc: { lo: -1, hi: -1 }, md5: undefined, lane: undefined, waiting: undefined,
      size: 0, hashed: 0, written: 0, acked: 0, writes: 0, ending: false, quitting: false, error: undefined,
    };
    try {
      s.fd = openSync(m.path, 'r+');
    } catch (err) {
      s.error = String((err && err.message) || err);
    }
    if (s.error === undefined) chooseMd5(s);
    sessions.set(m.id, s);
    return;
  }
  const s = sessions.get(m.id);
  if (m.t === 'q') {
    if (s === undefined) {
      parentPort.postMessage({ t: 'z', id: m.id });
      return;
    }
    sessions.delete(m.id);
    s.quitting = true;
    settle(m.id, s);
    return;
  }
  if (s === undefined) return;
  if (m.t === 'd') {
    if (s.error !== undefined) {
      // Reported again: the main thread may have sent this before it heard of the failure.
      parentPort.postMessage({ t: 'x', id: m.id, message: s.error });
      return;
    }
    const views = m.b.map((b) => new Uint8Array(b));
    let n = 0;
    for (const v of views) {
      n += v.length;
      crcUpdate(s.crc, v);
      if (s.md5 !== undefined) s.md5.update(v);
      else if (s.lane !== undefined) s.lane.update(v);
      else s.waiting.push(v);
    }
    const at = s.size;
    s.size += n;
    if (s.md5 !== undefined) s.hashed = s.size;
    else if (s.lane !== undefined) schedulePump();
    else if (s.size - s.hashed >= LONE_LIMIT) toCrypto(s);
    if (n > 0) writeAll(m.id, s, views, n, at);
    else settle(m.id, s);
    return;
  }
  if (m.t === 'e') {
    s.ending = true;
    settle(m.id, s);
  }
}

parentPort.on('message', (m) => {
  try {
    handle(m);
  } catch (err) {
    parentPort.postMessage({ t: 'x', id: m.id, message: String((err && err.message) || err) });
  }
});
parentPort.postMessage({ t: 'ready', lanes: lanes === undefined ? 0 : lanes.free });
`;
