// Statistics over a fixed set of 100,000 keys: uniform by weight, independent across sets.
import { expect } from 'chai';
import { chiSquareSf } from '../../src/analysis/index.js';
import { assign, bucketOf, BUCKETS, murmur3, variantsOf, type AnySetClass, type TrackSetClass } from '../../src/index.js';
import { makeMulti, makeSet, type SetSpec } from '../support/sets.js';

const N = 100_000;
const KEYS: readonly string[] = Array.from({ length: N }, (_, i) => `user-${i}`);
/** The pass bar: a fair hash fails a test at this level once in a thousand fixed key sets. */
const ALPHA = 0.001;

/** Pearson's chi-square statistic and its p-value for observed counts against expected counts. */
function goodnessOfFit(observed: readonly number[], expected: readonly number[]): { stat: number; p: number } {
  let stat = 0;
  for (let i = 0; i < observed.length; i++) stat += (observed[i]! - expected[i]!) ** 2 / expected[i]!;
  return { stat, p: chiSquareSf(stat, observed.length - 1) };
}

/** The chi-square test of independence of the rows and columns of a contingency table. */
function independence(table: readonly (readonly number[])[]): { stat: number; p: number } {
  const rows = table.map((row) => row.reduce((a, b) => a + b, 0));
  const cols = table[0]!.map((_, j) => table.reduce((sum, row) => sum + row[j]!, 0));
  const total = rows.reduce((a, b) => a + b, 0);
  let stat = 0;
  for (let i = 0; i < rows.length; i++) {
    for (let j = 0; j < cols.length; j++) {
      const expected = (rows[i]! * cols[j]!) / total;
      stat += (table[i]![j]! - expected) ** 2 / expected;
    }
  }
  return { stat, p: chiSquareSf(stat, (rows.length - 1) * (cols.length - 1)) };
}

/** How many of the keys each variant of `set` gets, in variant order. */
function countVariants(set: TrackSetClass, keys: readonly string[] = KEYS): number[] {
  const order = variantsOf(set);
  const counts = new Array<number>(order.length).fill(0);
  const index = new Map(order.map((name, i) => [name, i]));
  for (const key of keys) counts[index.get(assign(set, { key }).name)!]! += 1;
  return counts;
}

/** Expected counts for `total` users split by `weights`. */
const expectedBy = (weights: readonly number[], total: number): number[] => {
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (total * w) / sum);
};

function expectFit(observed: number[], weights: readonly number[], label: string): void {
  const total = observed.reduce((a, b) => a + b, 0);
  const { stat, p } = goodnessOfFit(observed, expectedBy(weights, total));
  expect(p, `${label}: chi-square ${stat.toFixed(2)} on ${observed.join('/')}`).to.be.greaterThan(ALPHA);
}

const spec = (name: string, variants: string[], extra: Partial<SetSpec> = {}): SetSpec => ({ name, variants, ...extra });

describe('statistics over 100,000 fixed keys', function () {
  this.timeout(20_000);

  it('spreads MurmurHash3 buckets uniformly (100 bins of 100 buckets)', () => {
    const bins = new Array<number>(100).fill(0);
    for (const key of KEYS) bins[Math.floor(bucketOf(murmur3(`uniformity:${key}`)) / (BUCKETS / 100))]! += 1;
    expectFit(bins, new Array<number>(100).fill(1), 'bucket bins');
  });

  it('splits 2 variants 50/50', () => {
    const set = makeSet(spec('two', ['treatment']));
    expectFit(countVariants(set), [1, 1], 'two');
  });

  it('splits 3 variants in thirds', () => {
    const set = makeSet(spec('pricing', ['cheap', 'expensive']));
    expectFit(countVariants(set), [1, 1, 1], 'three');
  });

  it('splits 7 variants in sevenths', () => {
    const set = makeSet(spec('seven', ['a', 'b', 'c', 'd', 'e', 'f', 'g'], { addControlTrack: false }));
    expectFit(countVariants(set), [1, 1, 1, 1, 1, 1, 1], 'seven');
  });

  it('follows 90/10 weights', () => {
    const set = makeSet(spec('checkout', ['one_page'], { weights: { control: 90, one_page: 10 } }));
    expectFit(countVariants(set), [90, 10], '90/10');
  });

  it('follows uneven weights over 4 variants', () => {
    const set = makeSet(spec('search', ['fuzzy', 'ranked', 'semantic'], { weights: { control: 50, fuzzy: 5, ranked: 30, semantic: 15 } }));
    expectFit(countVariants(set), [50, 5, 30, 15], '50/5/30/15');
  });

  it('assigns two sets independently of each other (the salt is the set name)', () => {
    const pricing = makeSet(spec('pricing', ['cheap', 'expensive']));
    const delay = makeSet(spec('delay', ['short', 'long']));
    const orderP = variantsOf(pricing);
    const orderD = variantsOf(delay);
    const table = orderP.map(() => new Array<number>(orderD.length).fill(0));
    for (const key of KEYS) {
      table[orderP.indexOf(assign(pricing, { key }).name)]![orderD.indexOf(assign(delay, { key }).name)]! += 1;
    }
    const { stat, p } = independence(table);
    expect(p, `independence chi-square ${stat.toFixed(2)}`).to.be.greaterThan(ALPHA);
  });

  it('keeps sets with similar names independent', () => {
    const a = makeSet(spec('test-1', ['b']));
    const b = makeSet(spec('test-2', ['b']));
    const table = [
      [0, 0],
      [0, 0],
    ];
    for (const key of KEYS) {
      table[assign(a, { key }).name === 'control' ? 0 : 1]![assign(b, { key }).name === 'control' ? 0 : 1]! += 1;
    }
    const { stat, p } = independence(table);
    expect(p, `independence chi-square ${stat.toFixed(2)}`).to.be.greaterThan(ALPHA);
  });

  function countMembers(multi: AnySetClass, names: string[], keys: readonly string[] = KEYS): number[] {
    const counts = new Array<number>(names.length).fill(0);
    for (const key of keys) counts[names.indexOf((assign(multi, { key }) as { trackSetName: string }).trackSetName)]! += 1;
    return counts;
  }

  it('splits a MultiTrackSet 9:1 by set weight', () => {
    const multi = makeMulti([makeSet(spec('pricing', ['cheap'], { weight: 9 })), makeSet(spec('super_name', ['changed'], { weight: 1 }))]);
    expectFit(countMembers(multi, ['pricing', 'super_name']), [9, 1], 'multi 9:1');
  });

  it('splits a MultiTrackSet 1000:100, and each chosen set splits its users evenly', () => {
    const pricing = makeSet(spec('pricing', ['cheap', 'expensive'], { weight: 1000 }));
    const superName = makeSet(spec('super_name', ['changed'], { weight: 100 }));
    const multi = makeMulti([pricing, superName]);
    const members = [0, 0];
    const pricingVariants = [0, 0, 0];
    const orderP = variantsOf(pricing);
    for (const key of KEYS) {
      const m = assign(multi, { key });
      if (m.trackSetName === 'pricing') {
        members[0]! += 1;
        pricingVariants[orderP.indexOf(m.name)]! += 1;
      } else members[1]! += 1;
    }
    expectFit(members, [1000, 100], 'multi 1000:100');
    expectFit(pricingVariants, [1, 1, 1], 'pricing inside the multi set');
  });

  it('covers half the users at coverage 0.5 and keeps each of them in their full-coverage variant', () => {
    const full = makeSet(spec('banner', ['blue', 'green']));
    const half = makeSet(spec('banner', ['blue', 'green'], { coverage: 0.5 }));
    const order = variantsOf(full);
    const covered = new Array<number>(order.length).fill(0);
    let uncovered = 0;
    for (const key of KEYS) {
      const a = assign(half, { key });
      if (a.reason === 'coverage') {
        uncovered++;
        continue;
      }
      const atFull = assign(full, { key }).name;
      if (a.name !== atFull) expect.fail(`${key} is ${String(a.name)} at coverage 0.5 but ${String(atFull)} at coverage 1`);
      covered[order.indexOf(a.name)]! += 1;
    }
    const inTest = covered.reduce((x, y) => x + y, 0);
    expectFit([inTest, uncovered], [1, 1], 'covered/uncovered');
    expectFit(covered, [1, 1, 1], 'covered variants');
  });

  describe('python mode', () => {
    it('splits 3 variants in thirds', () => {
      const set = makeSet(spec('pricing', ['cheap', 'expensive'], { algorithm: 'python' }));
      expectFit(countVariants(set), [1, 1, 1], 'python three');
    });

    it('splits 5 param variants in fifths', () => {
      const set = makeSet(spec('price_delta', ['m2', 'm1', 'z', 'p1', 'p2'], { kind: 'param', addControlTrack: false, algorithm: 'python' }));
      expectFit(countVariants(set), [1, 1, 1, 1, 1], 'python five');
    });

    it('splits a MultiTrackSet 1000:100 by set weight', () => {
      const multi = makeMulti(
        [
          makeSet(spec('pricing', ['cheap'], { weight: 1000, algorithm: 'python' })),
          makeSet(spec('super_name', ['changed'], { weight: 100, algorithm: 'python' })),
        ],
        { algorithm: 'python' },
      );
      expectFit(countMembers(multi, ['pricing', 'super_name']), [1000, 100], 'python multi 1000:100');
    });
  });
});
