// The team's performance targets for the engine, checked against one run's per-round timings.
import { median } from './checks.js';

/** One target: whether the run meets it and the sentence that says by how much. */
export interface Target {
  readonly met: boolean;
  readonly text: string;
}

/** Per-round ns/assignment of each case, index r being round r (rounds are interleaved). */
export type Samples = ReadonlyMap<string, readonly number[]>;

/** Python mode does strictly more than an md5, so "no slower" allows this much noise. */
const NOISE = 1.05;

/**
 * The median over rounds of a[r] / b[r]. Both were timed in the same round, seconds apart, so a
 * load spike that slows a whole round cancels out of the ratio instead of moving it.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((v, r) => v / b[r]!));
}

const x = (n: number): string => `${n.toFixed(2)}×`;

/** Checks the four targets; cases missing from a filtered run (`--cases`) skip their targets. */
export function checkTargets(samples: Samples, labels: ReadonlyMap<string, string>, peers: readonly string[]): Target[] {
  const own = samples.get('tracks-default');
  if (!own) return [];
  const targets: Target[] = [];

  const peerRatios = peers.filter((id) => samples.has(id)).map((id) => ({ id, ratio: pairedRatio(samples.get(id)!, own) }));
  if (peerRatios.length > 0) {
    const fastest = peerRatios.reduce((a, b) => (b.ratio < a.ratio ? b : a));
    targets.push({
      met: fastest.ratio >= 4,
      text: `tracks-ab default ≥ 4× faster than the fastest peer path (${labels.get(fastest.id)}): ${x(fastest.ratio)} faster`,
    });
  }

  const floors = ['floor-fnv', 'floor-murmur'].filter((id) => samples.has(id)).map((id) => ({ id, ratio: pairedRatio(own, samples.get(id)!) }));
  if (floors.length > 0) {
    const floor = floors.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    const lines = [
      `tracks-ab default within 2× of the bare hash + range floor, keys built in the loop as in every case: ${floors.map((f) => `${x(f.ratio)} ${labels.get(f.id)}`).join(', ')}`,
    ];
    const ownPrebuilt = samples.get('tracks-default-prebuilt');
    const floorPrebuilt = samples.get('floor-murmur-prebuilt');
    if (ownPrebuilt && floorPrebuilt) {
      lines.push(
        `      for information, with prebuilt keys (no key allocation in the loop): ${x(pairedRatio(ownPrebuilt, floorPrebuilt))} MurmurHash3 + bucket range`,
      );
    }
    targets.push({ met: floor.ratio <= 2, text: lines.join('\n') });
  }

  const python = samples.get('tracks-python');
  if (python) {
    const ratio = pairedRatio(python, own);
    targets.push({ met: ratio >= 5, text: `tracks-ab default ≥ 5× cheaper than python mode: ${x(ratio)}` });
    const md5 = samples.get('md5-oneshot');
    if (md5) {
      const r = pairedRatio(python, md5);
      const latin1 = samples.get('md5-oneshot-latin1');
      targets.push({
        met: r <= NOISE,
        text:
          `python mode no slower than a one-shot md5 of the same string (hex digest; ≤ ${NOISE}× counts as noise): ${x(r)}` +
          (latin1 ? ` (against the latin1 digest: ${x(pairedRatio(python, latin1))})` : ''),
      });
    }
  }
  return targets;
}
