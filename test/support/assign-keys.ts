// Assigns a fixed list of keys to a few sets; run as a script, prints the result as JSON.
// test/scenarios/fresh-process.test.ts compares a fresh process's output with its own.
import { assign, MultiTrackSet, ParamTrackSet, setDefaultAlgorithm, SimpleTrackSet, type Algorithm } from '../../src/index.js';

/** The sets, built for one algorithm; `undefined` leaves each set on the global default. */
export function makeSets(algorithm: Algorithm | undefined) {
  class Pricing extends SimpleTrackSet {
    static override setName = 'pricing';
    static override algorithm = algorithm;
    static cheapTrack(): void {}
    static expensiveTrack(): void {}
  }
  class Delay extends SimpleTrackSet {
    static override setName = 'delay';
    static override algorithm = algorithm;
    static short_track(): void {}
    static long_track(): void {}
  }
  class PriceDelta extends ParamTrackSet<{ delta: number }> {
    static override setName = 'price_delta';
    static override algorithm = algorithm;
    static override params = [-2, -1, 0, 1, 2].map((delta) => ({ delta }));
    static override addControlTrack = false;
    static override trackName = (p: { delta: number }): string => `price_adjusted_by_${p.delta}`;
    static override track = (): void => {};
  }
  class Experiments extends MultiTrackSet {
    static override algorithm = algorithm;
    static override trackSets = [Pricing, Delay, PriceDelta];
  }
  return { Pricing, Delay, PriceDelta, Experiments };
}

/** One line per key: every set's variant (and the multi set's choice), with masked names. */
export function assignKeys(count: number, algorithm: Algorithm | undefined): string[] {
  const { Pricing, Delay, PriceDelta, Experiments } = makeSets(algorithm);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const key = i % 5 === 0 ? i : `user-${i}`;
    const p = assign(Pricing, { key });
    const m = assign(Experiments, { key });
    lines.push([p.name, p.maskedName, assign(Delay, { key }).name, assign(PriceDelta, { key }).name, m.trackSetName, m.name].join(' '));
  }
  return lines;
}

if (require.main === module) {
  // TRACKS_TEST_DEFAULT=python: the sets keep no algorithm of their own and use the global default.
  const viaDefault = process.env.TRACKS_TEST_DEFAULT === 'python';
  if (viaDefault) setDefaultAlgorithm('python');
  const algorithm = viaDefault ? undefined : ((process.env.TRACKS_TEST_ALGORITHM ?? 'v1') as Algorithm);
  process.stdout.write(JSON.stringify(assignKeys(Number(process.argv[2] ?? 1000), algorithm)));
}
