// One benchmark case in its own process, timed a round at a time when the parent asks.
// It checks the case and warms it up first; the parent interleaves the rounds of all cases.
import { networkAttempts } from './no-network.mjs';

const [modulePath, caseId, keysArg, keyMode] = process.argv.slice(2);
const keys = Number(keysArg);
/** The same keys in every case and round: `user-0` … `user-199999`. */
const KEY_PREFIX = 'user-';
/** `prebuilt`: the keys exist before the round, as a user id read from a session does. */
const prebuilt = keyMode === 'prebuilt' ? Array.from({ length: keys }, (_, i) => KEY_PREFIX + i) : null;
let blackhole = 0;

/** One timed round: builds each key and assigns it; returns the elapsed nanoseconds. */
function roundBuilt(assign, n) {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const v = assign(KEY_PREFIX + i);
    sink = (sink + (typeof v === 'number' ? v : v.length)) | 0;
  }
  const elapsed = Number(process.hrtime.bigint() - start);
  blackhole ^= sink;
  return elapsed;
}

/** One timed round over keys built beforehand: the same loop, reading the key from an array. */
function roundPrebuilt(assign, n) {
  const list = /** @type {string[]} */ (prebuilt);
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const v = assign(list[i]);
    sink = (sink + (typeof v === 'number' ? v : v.length)) | 0;
  }
  const elapsed = Number(process.hrtime.bigint() - start);
  blackhole ^= sink;
  return elapsed;
}

const round = prebuilt ? roundPrebuilt : roundBuilt;

/** Assigns every key twice: counts per variant from the first pass, mismatches in the second. */
function check(c, n) {
  const first = new Array(n);
  const counts = new Map((c.variants ?? []).map((v) => [v, 0]));
  for (let i = 0; i < n; i++) {
    const v = c.assign(KEY_PREFIX + i);
    first[i] = v;
    if (c.variants === null) continue;
    const seen = counts.get(v);
    if (seen === undefined) throw new Error(`${caseId} returned ${JSON.stringify(v)}, not one of its variants`);
    counts.set(v, seen + 1);
  }
  let mismatches = 0;
  for (let i = 0; i < n; i++) if (c.assign(KEY_PREFIX + i) !== first[i]) mismatches++;
  return { counts: [...counts.entries()].map(([variant, count]) => ({ variant: String(variant), count })), mismatches };
}

function send(message) {
  process.send?.(message);
}

async function main() {
  const mod = await import(/** @type {string} */ (modulePath));
  const c = await mod.create(caseId);
  const checked = check(c, keys);
  round(c.assign, keys); // warm-up: the timed loop itself gets optimised before any round counts
  send({ type: 'ready', ...checked, network: networkAttempts() });
  process.on('message', (/** @type {{ type: string }} */ message) => {
    if (message.type === 'round') {
      send({ type: 'round', ns: round(c.assign, keys), network: networkAttempts() });
    } else if (message.type === 'exit') {
      c.close?.();
      process.disconnect?.();
      if (blackhole === 0.5) console.log(blackhole); // never true; keeps the sink observable
    }
  });
}

main().catch((error) => {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
  process.disconnect?.();
});
