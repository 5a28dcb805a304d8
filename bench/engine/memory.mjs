// Garbage and retention of tracks-ab's assign, measured in a child process with the GC under control.
// Run with --expose-gc and a fixed 64 MB young generation: no scavenge can run inside a measured
// chunk, so heap growth over a chunk is the bytes it allocated.
import v8 from 'node:v8';
import { experiments, loadTracks } from './cases/tracks-ab.mjs';

if (typeof globalThis.gc !== 'function') throw new Error('run memory.mjs with --expose-gc');
const gc = /** @type {() => void} */ (globalThis.gc);
const quick = process.argv.includes('--quick');
const { SimpleTrackSet, assign } = loadTracks();

const { Exp, ExpPy } = experiments(SimpleTrackSet);

const used = () => v8.getHeapStatistics().used_heap_size;
/** Where results are stored so that they escape, as a middleware's would. */
/** @type {unknown[]} */
const kept = [null];
let names = 0;

const CHUNK = 10_000;
// Flat key strings built beforehand, so that the chunks measure assign and nothing else.
const keys = Array.from({ length: CHUNK }, (_, i) => `user-${i}`);

/** Per-call bytes of `fn` over the prebuilt keys: median over chunks, after a warm-up. */
function bytesPerCall(fn, chunks) {
  const samples = [];
  for (let c = 0; c < chunks + 3; c++) {
    gc();
    const before = used();
    for (let i = 0; i < CHUNK; i++) fn(keys[i]);
    const after = used();
    if (c >= 3) samples.push((after - before) / CHUNK);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[samples.length >> 1], min: samples[0], max: samples[samples.length - 1] };
}

function allocation(chunks) {
  const empty = bytesPerCall((key) => {
    kept[0] = key;
  }, chunks);
  const keepResult = bytesPerCall((key) => {
    kept[0] = assign(Exp, { key });
  }, chunks);
  const nameOnly = bytesPerCall((key) => {
    names += assign(Exp, { key }).name.length;
  }, chunks);
  const python = bytesPerCall((key) => {
    kept[0] = assign(ExpPy, { key });
  }, chunks);
  return { empty, keepResult, nameOnly, python };
}

/** Bytes one retained result holds on its own: 100,000 results for one key, kept in an array. */
function resultSize() {
  const n = 100_000;
  const slots = new Array(n).fill(null);
  assign(Exp, { key: 'same' });
  gc();
  const before = used();
  for (let i = 0; i < n; i++) slots[i] = assign(Exp, { key: 'same' });
  gc();
  const after = used();
  kept[0] = slots;
  return (after - before) / n;
}

/** Heap after a full GC, before and after `count` assignments of keys never seen before. */
function growth(count, offset) {
  for (let i = 0; i < 200_000; i++) names += assign(Exp, { key: `warm-${i}` }).name.length;
  gc();
  gc();
  const before = used();
  for (let i = 0; i < count; i++) names += assign(Exp, { key: `visitor-${offset + i}` }).name.length;
  gc();
  gc();
  const after = used();
  return { count, before, after };
}

const result = {
  chunk: CHUNK,
  allocation: allocation(quick ? 8 : 20),
  resultBytes: resultSize(),
  growth: growth(1_000_000, 0),
  sink: names > 0,
};
kept[0] = null;
process.send?.(result);
if (!process.send) console.log(JSON.stringify(result, null, 2));
