// Seeded simulation of false verdicts under no effect: conversions and skewed revenue, read at many looks.
import { lnGamma, mixtureRho2, normalSf, sequentialPValue, sequentialStandardError, sequentialTest } from '../../src/analysis/index.js';

/** A seeded generator of uniforms in (0, 1): xoshiro128** (Blackman and Vigna 2018), seeded by splitmix32. */
export class Random {
  private s = new Uint32Array(4);
  private spare: number | null = null;

  constructor(seed: number) {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }

  /** A uniform in (0, 1) with 32 bits. */
  uniform(): number {
    const s = this.s;
    const result = Math.imul(((Math.imul(s[1]!, 5) << 7) | (Math.imul(s[1]!, 5) >>> 25)) >>> 0, 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = ((s[3]! << 11) | (s[3]! >>> 21)) >>> 0;
    return (result + 0.5) / 4294967296;
  }

  /** A standard normal (Box–Muller, both values used). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const a = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(a);
    return r * Math.cos(a);
  }

  /** Binomial(n, p) by inversion from 0: exact, O(np) per draw, for the small means simulated here. */
  binomial(n: number, p: number): number {
    if (n === 0 || p === 0) return 0;
    const q = 1 - p;
    let pmf = Math.pow(q, n);
    if (pmf === 0) throw new RangeError(`binomial by inversion needs q^n > 0: n = ${n}, p = ${p}`);
    let cdf = pmf;
    const u = this.uniform();
    let k = 0;
    while (u > cdf && k < n) {
      pmf *= ((n - k) / (k + 1)) * (p / q);
      cdf += pmf;
      k++;
    }
    return k;
  }

  /** Poisson(λ) by inversion (small λ). */
  poisson(lambda: number): number {
    let pmf = Math.exp(-lambda);
    let cdf = pmf;
    const u = this.uniform();
    let k = 0;
    while (u > cdf && k < 1000) {
      k++;
      pmf *= lambda / k;
      cdf += pmf;
    }
    return k;
  }
}

/** What each person's value is: a conversion, revenue (mostly zeros, lognormal spend), or revenue per order. */
export type SimulatedData =
  | { readonly kind: 'conversion'; readonly rate: number }
  | { readonly kind: 'revenue'; readonly buyRate: number; readonly mu: number; readonly sigma: number }
  | { readonly kind: 'ratio'; readonly buyRate: number; readonly mu: number; readonly sigma: number; readonly extraOrders: number };

/** One cell: the data, the test's size, the variant's share, the tuning sizes and minimums to read it with. */
export interface SimulationCell {
  readonly data: SimulatedData;
  /** Persons at the last look, both arms. */
  readonly users: number;
  /** The variant's share of persons (0.1 for a 90/10 split). */
  readonly variantShare: number;
  readonly tunings: readonly number[];
  readonly minimums: readonly number[];
  /** Look counts, each dividing `grid`. */
  readonly looks: readonly number[];
  /** Equally spaced points every look count is read at (default 240). */
  readonly grid?: number;
  readonly alpha?: number;
  /**
   * 'fixed': read a fixed-horizon z test at every look instead (peeking, to show the simulation sees it);
   * 'unpooled': the sequence with the plug-in standard error alone, for comparison.
   */
  readonly rule?: 'sequential' | 'fixed' | 'unpooled';
  /** The variant's data when it differs from control's (power); default the same (no effect). */
  readonly variantData?: SimulatedData;
}

interface Arm {
  n: number;
  y: number;
  y2: number;
  d: number;
  d2: number;
  yd: number;
  nonZero: number;
}

function addPersons(arm: Arm, persons: number, data: SimulatedData, random: Random): void {
  arm.n += persons;
  if (data.kind === 'conversion') {
    const k = random.binomial(persons, data.rate);
    arm.y += k;
    arm.y2 += k;
    arm.nonZero += k;
    return;
  }
  const buyers = random.binomial(persons, data.buyRate);
  arm.nonZero += buyers;
  for (let b = 0; b < buyers; b++) {
    const orders = data.kind === 'ratio' ? 1 + random.poisson(data.extraOrders) : 1;
    let spend = 0;
    for (let o = 0; o < orders; o++) spend += Math.exp(data.mu + data.sigma * random.normal());
    arm.y += spend;
    arm.y2 += spend * spend;
    arm.d += orders;
    arm.d2 += orders * orders;
    arm.yd += spend * orders;
  }
  // Persons who bought nothing have no orders: a ratio's denominator is 0 for them.
}

function count(arm: Arm, data: SimulatedData): number {
  return data.kind === 'conversion' ? Math.min(arm.y, arm.n - arm.y) : arm.nonZero;
}

/** The plug-in variance of an arm's mean (s²/n) or ratio (delta method), as the analysis computes it. */
function varianceOf(arm: Arm, data: SimulatedData): { estimate: number; variance: number; unit: number } | null {
  if (arm.n < 2) return null;
  const n = arm.n;
  const syy = Math.max(0, arm.y2 - (arm.y * arm.y) / n) / (n - 1);
  if (data.kind !== 'ratio') return { estimate: arm.y / n, variance: syy / n, unit: syy };
  if (arm.d === 0) return null;
  const r = arm.y / arm.d;
  const dBar = arm.d / n;
  const sdd = Math.max(0, arm.d2 - (arm.d * arm.d) / n) / (n - 1);
  const syd = (arm.yd - (arm.y * arm.d) / n) / (n - 1);
  const unit = Math.max(0, syy - 2 * r * syd + r * r * sdd) / (dBar * dBar);
  return { estimate: r, variance: unit / n, unit };
}

/** The always-valid p-value of the verdict's rule at one look, as the analysis computes it. */
function pValueAt(variant: Arm, control: Arm, data: SimulatedData, rho2: number, tuning: number, rule: 'sequential' | 'fixed' | 'unpooled'): number {
  if (rule === 'fixed') {
    const v = varianceOf(variant, data);
    const c = varianceOf(control, data);
    if (!v || !c || !(v.variance + c.variance > 0)) return 1;
    return 2 * normalSf(Math.abs(v.estimate - c.estimate) / Math.sqrt(v.variance + c.variance));
  }
  if (data.kind === 'conversion') {
    return (
      sequentialTest({ converted: variant.y, users: variant.n }, { converted: control.y, users: control.n }, { tuningUsers: tuning })?.pValue ?? 1
    );
  }
  const v = varianceOf(variant, data);
  const c = varianceOf(control, data);
  if (!v || !c) return 1;
  if (rule === 'unpooled') {
    const plug = Math.sqrt(v.variance + c.variance);
    return plug > 0 ? sequentialPValue((v.estimate - c.estimate) / plug, variant.n + control.n, rho2) : 1;
  }
  const se = sequentialStandardError(
    { n: variant.n, estimate: v.estimate, variance: v.variance, unitVariance: v.unit },
    { n: control.n, estimate: c.estimate, variance: c.variance, unitVariance: c.unit },
  );
  if (!(se > 0)) return 1;
  return sequentialPValue((v.estimate - c.estimate) / se, variant.n + control.n, rho2);
}

/** False verdicts counted per tuning size, minimum and look count: `rejected[t][m][l]` of `experiments`. */
export interface SimulationResult {
  readonly experiments: number;
  readonly rejected: number[][][];
}

/**
 * Runs `experiments` seeded experiments of a cell under no effect (both arms the same distribution):
 * persons arrive in `grid` equal batches split exactly in the cell's ratio; at every grid point each
 * rule (tuning size × minimum per arm) gives a verdict when the always-valid p-value is below α and both
 * arms have reached the minimum. An experiment counts as a false verdict for a look count when any of
 * its look points (every grid/looks-th point) gave one.
 */
export function simulateCell(cell: SimulationCell, experiments: number, seed: number): SimulationResult {
  const grid = cell.grid ?? 240;
  const alpha = cell.alpha ?? 0.05;
  for (const l of cell.looks) if (grid % l !== 0) throw new RangeError(`looks ${l} do not divide the grid ${grid}`);
  const random = new Random(seed);
  const rho2 = cell.tunings.map((t) => mixtureRho2(alpha, t));
  const rejected = cell.tunings.map(() => cell.minimums.map(() => cell.looks.map(() => 0)));
  const hit = cell.tunings.map(() => cell.minimums.map(() => cell.looks.map(() => false)));
  for (let e = 0; e < experiments; e++) {
    const empty = (): Arm => ({ n: 0, y: 0, y2: 0, d: 0, d2: 0, yd: 0, nonZero: 0 });
    const variant = empty();
    const control = empty();
    for (const row of hit) for (const r of row) r.fill(false);
    for (let g = 1; g <= grid; g++) {
      const users = Math.round((cell.users * g) / grid);
      const v = Math.round(users * cell.variantShare);
      addPersons(variant, v - variant.n, cell.variantData ?? cell.data, random);
      addPersons(control, users - v - control.n, cell.data, random);
      const least = Math.min(count(variant, cell.data), count(control, cell.data));
      for (let t = 0; t < cell.tunings.length; t++) {
        const p = pValueAt(variant, control, cell.data, rho2[t]!, cell.tunings[t]!, cell.rule ?? 'sequential');
        if (!(p < alpha)) continue;
        for (let m = 0; m < cell.minimums.length; m++) {
          if (least < cell.minimums[m]!) continue;
          for (let l = 0; l < cell.looks.length; l++) if (g % (grid / cell.looks[l]!) === 0) hit[t]![m]![l] = true;
        }
      }
    }
    for (let t = 0; t < hit.length; t++)
      for (let m = 0; m < hit[t]!.length; m++) for (let l = 0; l < cell.looks.length; l++) if (hit[t]![m]![l]) rejected[t]![m]![l]!++;
  }
  return { experiments, rejected };
}

/**
 * The smallest k with P(X ≥ k) ≤ `tail` for X ~ Binomial(n, p): observing k or more false verdicts when the
 * true rate is p happens with chance at most `tail`, so a count at or above it disproves a rate ≤ p.
 */
export function binomialUpperCritical(n: number, p: number, tail: number): number {
  const logPmf = (k: number) => lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
  let above = 0;
  for (let k = n; k >= 0; k--) {
    above += Math.exp(logPmf(k));
    if (above > tail) return k + 1;
  }
  return 0;
}

/** Wilson's score interval for k of n at 95 % (Wilson 1927). */
export function wilson(k: number, n: number, z = 1.959963984540054): { low: number; high: number } {
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
