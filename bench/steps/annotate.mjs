// Names the JIT-compiled functions of a callgrind file kept by instructions.sh run with `node --perf-basic-prof`.
// Usage:
//   node bench/steps/annotate.mjs <callgrind file> <perf map> [requests=10000]            self instructions per request, by function
//   node bench/steps/annotate.mjs <callgrind file> <perf map> [requests] --callers <regex>  who calls the functions matching <regex>
//   node bench/steps/annotate.mjs <callgrind file> <perf map> [requests] --event <event>    self <event> per request, by function, for
//     a file with more events than instructions (valgrind's --cache-sim=yes --branch-sim=yes: I1mr, D1mr, Bcm, …)
// The perf map is /tmp/perf-<pid>.map of the run (valgrind runs node in its own process: the pid instructions.sh started).
// callgrind_annotate shows JIT code as `???:0x…`; each address is looked up in the map (the last entry covering it).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const [file = '', mapFile = '', countArg = '10000', mode = '', pattern = ''] = process.argv.slice(2);
if (!file || !mapFile) {
  console.error('usage: annotate.mjs <callgrind file> <perf map> [requests] [--callers <regex> | --event <event>]');
  process.exit(2);
}
const count = Number(countArg);

/** @type {Array<[number, number, string]>} start, size, name; sorted by start */
const entries = fs
  .readFileSync(mapFile, 'utf8')
  .trim()
  .split('\n')
  .map((line) => {
    const [start = '0', size = '0', ...name] = line.split(' ');
    return /** @type {[number, number, string]} */ ([parseInt(start, 16), parseInt(size, 16), name.join(' ')]);
  })
  .sort((a, b) => a[0] - b[0]);

/** The map's name for a code address: the last entry (by start) that covers it, as code is reused. */
function lookup(address) {
  let lo = 0;
  let hi = entries.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (/** @type {[number, number, string]} */ (entries[mid])[0] <= address) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (let i = at; i >= 0 && i > at - 64; i--) {
    const [start, size, name] = /** @type {[number, number, string]} */ (entries[i]);
    if (address < start + size) return name;
  }
  return null;
}

/** A callgrind_annotate function name with its JIT address resolved. */
function named(text) {
  const address = /^\?\?\?:0x([0-9a-f]+)/.exec(text);
  const name = address ? (lookup(parseInt(address[1] ?? '', 16)) ?? text) : text;
  return name.replace(/ \[[^\]]*\]$/, '');
}

const perRequest = (digits) => Math.round(Number(digits.replace(/,/g, '')) / count);

if (mode === '--callers') {
  const wanted = new RegExp(pattern);
  const tree = execFileSync('callgrind_annotate', ['--tree=caller', '--threshold=100', '--inclusive=yes', file], { maxBuffer: 1 << 28 }).toString();
  for (const block of tree.split('\n\n')) {
    const lines = block.split('\n');
    const own = lines.find((line) => /\*\s+\S/.test(line));
    const head = own && /^\s*([\d,]+) \([^)]*\)\s+\*\s+(.*)$/.exec(own);
    if (!head || !wanted.test(named(head[2]))) continue;
    console.log(`${perRequest(head[1])} inclusive per request: ${named(head[2])}`);
    for (const line of lines) {
      const caller = /^\s*([\d,]+) \([^)]*\)\s+<\s+(\S+) \(([\d,]+)x\)/.exec(line);
      const calls = (Number(caller?.[3]?.replace(/,/g, '')) / count).toFixed(2);
      if (caller) console.log(`  ${String(perRequest(caller[1])).padStart(7)}  ${calls.padStart(6)}x  ${named(caller[2])}`);
    }
  }
} else {
  // One event shown, so that each row's first number is that event's (instructions unless --event).
  const event = mode === '--event' ? pattern : 'Ir';
  const flat = execFileSync('callgrind_annotate', [`--show=${event}`, `--sort=${event}`, '--threshold=100', '--inclusive=no', file], {
    maxBuffer: 1 << 28,
  }).toString();
  /** @type {Map<string, number>} */
  const self = new Map();
  for (const line of flat.split('\n')) {
    const row = /^\s*([\d,]+) \([^)]*\)\s+(.*)$/.exec(line);
    const [, instructions = '0', fn = ''] = row ?? [];
    if (!row || fn.startsWith('PROGRAM TOTALS')) continue;
    const name = named(fn.trim());
    self.set(name, (self.get(name) ?? 0) + Number(instructions.replace(/,/g, '')));
  }
  for (const [name, total] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 200))
    console.log(`${String(Math.round(total / count)).padStart(7)}  ${name}`);
}
