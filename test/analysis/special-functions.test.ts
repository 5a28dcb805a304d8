// The normal and chi-square functions against SciPy, and against 50-digit mpmath in the far tails.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chiSquareSf, erfc, lnGamma, normalCdf, normalQuantile, normalSf, regularizedGammaP, regularizedGammaQ } from '../../src/analysis/index.js';

interface Point {
  x: number;
  scipy: number;
  mpmath: number;
}
const special = JSON.parse(readFileSync(join(__dirname, '../fixtures/analysis-special.json'), 'utf8')) as {
  normalCdf: Point[];
  normalSf: Point[];
  normalQuantile: { p: number; scipy: number }[];
  erfc: Point[];
  chiSquareSf: (Point & { df: number })[];
};

function relative(ours: number, theirs: number): number {
  if (theirs === 0) return Math.abs(ours) < 1e-300 ? 0 : Math.abs(ours);
  return Math.abs(ours - theirs) / Math.abs(theirs);
}
function worst<T>(points: T[], error: (p: T) => number): number {
  return Math.max(...points.map(error));
}

describe('special functions', () => {
  it('computes erfc to 1e-15 relative accuracy (Cody 1969), down to 1e-300', () => {
    expect(worst(special.erfc, (p) => relative(erfc(p.x), p.mpmath))).to.be.at.most(1e-15);
    expect(worst(special.erfc, (p) => relative(erfc(p.x), p.scipy))).to.be.at.most(1e-15);
  });

  it('computes the normal CDF and survival function to 1e-15 relative accuracy in both tails', () => {
    // Below 1e-300 doubles lose precision (subnormals near 6e-323): left out.
    const normal = (points: Point[]) => points.filter((p) => p.mpmath > 1e-300);
    expect(worst(normal(special.normalCdf), (p) => relative(normalCdf(p.x), p.mpmath))).to.be.at.most(1e-15);
    expect(worst(normal(special.normalSf), (p) => relative(normalSf(p.x), p.mpmath))).to.be.at.most(1e-15);
    expect(normalCdf(-40)).to.equal(0);
    expect(normalSf(40)).to.equal(0);
  });

  it('agrees with scipy.stats.norm, whose far tail is less accurate than 1e-15 (it rounds x / √2)', () => {
    const near = special.normalCdf.filter((p) => Math.abs(p.x) <= 5);
    expect(worst(near, (p) => relative(normalCdf(p.x), p.scipy))).to.be.at.most(3e-15);
    const all = special.normalCdf.filter((p) => p.scipy > 1e-300);
    expect(worst(all, (p) => relative(normalCdf(p.x), p.scipy))).to.be.at.most(1e-13);
  });

  it('inverts the normal CDF to within 4 ulps of scipy.stats.norm.ppf, from 1e-300 to 1 - 1e-12', () => {
    for (const { p, scipy } of special.normalQuantile) {
      expect(Math.abs(normalQuantile(p) - scipy), `p = ${p}`).to.be.at.most(4 * Number.EPSILON * Math.max(1, Math.abs(scipy)));
    }
    expect(normalQuantile(0.975)).to.be.closeTo(1.959963984540054, 1e-15);
    expect([normalQuantile(0), normalQuantile(1), normalQuantile(0.5)]).to.deep.equal([-Infinity, Infinity, 0]);
    expect(Number.isNaN(normalQuantile(1.5))).to.equal(true);
  });

  it('computes the chi-square survival function to 2e-14 relative accuracy for 1 to 50 degrees of freedom', () => {
    const points = special.chiSquareSf.filter((p) => p.mpmath > 1e-300);
    expect(points.length).to.be.at.least(150);
    const moderate = points.filter((p) => p.x <= 300);
    expect(worst(moderate, (p) => relative(chiSquareSf(p.x, p.df), p.mpmath))).to.be.at.most(2e-14);
    expect(worst(moderate, (p) => relative(chiSquareSf(p.x, p.df), p.scipy))).to.be.at.most(5e-14);
    // Far out (x = 700 to 1,400, p down to 1e-300) the exponent's rounding costs a few more digits, as in SciPy.
    expect(worst(points, (p) => relative(chiSquareSf(p.x, p.df), p.mpmath))).to.be.at.most(1e-13);
    expect(chiSquareSf(0, 3)).to.equal(1);
  });

  it('keeps P + Q = 1 and ln Γ exact at integers', () => {
    for (const [a, x] of [
      [0.5, 0.2],
      [3, 2],
      [3, 9],
      [25, 30],
    ] as const) {
      expect(regularizedGammaP(a, x) + regularizedGammaQ(a, x)).to.be.closeTo(1, 1e-15);
    }
    expect(lnGamma(1)).to.be.closeTo(0, 1e-15);
    expect(lnGamma(11)).to.be.closeTo(Math.log(3628800), 1e-13);
    expect(lnGamma(0.5)).to.be.closeTo(Math.log(Math.sqrt(Math.PI)), 1e-15);
  });
});
