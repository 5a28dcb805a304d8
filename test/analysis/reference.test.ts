// Every figure of tracks-ab/analysis against frozen SciPy/statsmodels values (scripts/analysis-reference.py).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  holmAdjust,
  minimumDetectableEffect,
  newcombeInterval,
  pooledScoreTest,
  requiredUsers,
  sampleRatioCheck,
  sequentialInterval,
  wilsonInterval,
  type Proportion,
} from '../../src/analysis/index.js';

interface Bounds {
  low: number;
  high: number;
}
interface Plan {
  baseline: number;
  alpha: number;
  ratio: number;
  effect: number;
  mde: number | null;
  sequentialMde: number | null;
  required: { control: number; variant: number } | null;
  sequentialRequired: { control: number; variant: number } | null;
}
interface Table {
  arms: Proportion[];
  shares: number[];
  wilson: (Bounds | null)[];
  comparisons: {
    newcombe: (Bounds & { difference: number }) | null;
    pValue: number | null;
    holm: number | null;
    sequential: (Bounds & { difference: number; pValue: number }) | null;
    sequentialHolm: number | null;
  }[];
  sampleRatio: { statistic: number; pValue: number };
  planning: (Plan | null)[];
}
const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/analysis-reference.json'), 'utf8')) as {
  alpha: number;
  tuningUsers: number;
  power: number;
  tables: Table[];
};

/** Largest absolute and relative differences seen per figure, to report and to bound. */
class Differences {
  readonly max = new Map<string, { abs: number; rel: number; n: number }>();
  add(figure: string, ours: number | null | undefined, theirs: number | null): void {
    expect(ours === null || ours === undefined, `${figure}: null where the reference has ${theirs}`).to.equal(theirs === null);
    if (theirs === null || ours === null || ours === undefined) return;
    const abs = Math.abs(ours - theirs);
    const rel = theirs === 0 ? abs : abs / Math.abs(theirs);
    const m = this.max.get(figure) ?? { abs: 0, rel: 0, n: 0 };
    this.max.set(figure, { abs: Math.max(m.abs, abs), rel: Math.max(m.rel, rel), n: m.n + 1 });
  }
}

describe('tracks-ab/analysis against SciPy and statsmodels', () => {
  const d = new Differences();
  const { tables } = fixture;
  const seq = { alpha: fixture.alpha, tuningUsers: fixture.tuningUsers };

  before(() => {
    for (const t of tables) {
      t.arms.forEach((arm, i) => {
        const w = wilsonInterval(arm);
        d.add('Wilson low', w?.low, t.wilson[i]?.low ?? null);
        d.add('Wilson high', w?.high, t.wilson[i]?.high ?? null);
      });
      const control = t.arms[0]!;
      const variants = t.arms.slice(1);
      const pValues = variants.map((v) => pooledScoreTest(v, control)?.pValue ?? null);
      const sequential = variants.map((v) => sequentialInterval(v, control, seq));
      const holm = holmAdjust(pValues);
      const sequentialHolm = holmAdjust(sequential.map((s) => s?.pValue ?? null));
      t.comparisons.forEach((ref, i) => {
        const n = newcombeInterval(variants[i]!, control);
        d.add('difference', n?.difference, ref.newcombe?.difference ?? null);
        d.add('Newcombe low', n?.low, ref.newcombe?.low ?? null);
        d.add('Newcombe high', n?.high, ref.newcombe?.high ?? null);
        d.add('score p-value', pValues[i], ref.pValue);
        d.add('Holm p-value', holm[i], ref.holm);
        d.add('sequential low', sequential[i]?.low, ref.sequential?.low ?? null);
        d.add('sequential high', sequential[i]?.high, ref.sequential?.high ?? null);
        d.add('sequential p-value', sequential[i]?.pValue, ref.sequential?.pValue ?? null);
        d.add('sequential Holm p-value', sequentialHolm[i], ref.sequentialHolm);
      });
      const srm = sampleRatioCheck(
        t.arms.map((a) => a.users),
        t.shares,
      );
      d.add('SRM statistic', srm.statistic, t.sampleRatio.statistic);
      d.add('SRM p-value', srm.pValue, t.sampleRatio.pValue);
      t.planning.forEach((p, i) => {
        if (!p) return;
        const base = { baseline: p.baseline, alpha: p.alpha, power: fixture.power, control: control.users, variant: variants[i]!.users };
        d.add('MDE', minimumDetectableEffect(base), p.mde);
        d.add('sequential MDE', minimumDetectableEffect({ ...base, sequential: seq }), p.sequentialMde);
        const plan = { baseline: p.baseline, effect: p.effect, ratio: p.ratio, alpha: p.alpha, power: fixture.power };
        const fixed = requiredUsers(plan);
        const sequentialNeed = requiredUsers({ ...plan, sequential: seq });
        d.add('required users (control)', fixed?.control, p.required?.control ?? null);
        d.add('required users (variant)', fixed?.variant, p.required?.variant ?? null);
        d.add('sequential required users (control)', sequentialNeed?.control, p.sequentialRequired?.control ?? null);
        d.add('sequential required users (variant)', sequentialNeed?.variant, p.sequentialRequired?.variant ?? null);
      });
    }
    const rows = [...d.max].map(
      ([figure, m]) => `  ${figure.padEnd(38)} n=${String(m.n).padStart(5)}  abs ${m.abs.toExponential(1)}  rel ${m.rel.toExponential(1)}`,
    );
    console.log(`    max differences over ${tables.length} tables:\n${rows.join('\n')}`);
  });

  it('has at least 300 tables with 2 to 12 arms, zero and full conversion, empty arms and mismatched splits', () => {
    expect(tables.length).to.be.at.least(300);
    const sizes = new Set(tables.map((t) => t.arms.length));
    for (let k = 2; k <= 12; k++) expect(sizes.has(k), `${k} arms`).to.equal(true);
    expect(tables.some((t) => t.arms.every((a) => a.users > 0 && a.converted === 0))).to.equal(true);
    expect(tables.some((t) => t.arms.every((a) => a.users > 0 && a.converted === a.users))).to.equal(true);
    expect(tables.some((t) => t.arms.some((a) => a.users === 0))).to.equal(true);
    expect(tables.some((t) => new Set(t.shares).size > 1)).to.equal(true);
    expect(tables.some((t) => t.sampleRatio.pValue < 0.001)).to.equal(true);
  });

  const bounds: [string, 'abs' | 'rel', number][] = [
    ['Wilson low', 'abs', 1e-15],
    ['Wilson high', 'abs', 1e-15],
    ['difference', 'abs', 1e-15],
    ['Newcombe low', 'abs', 1e-15],
    ['Newcombe high', 'abs', 1e-15],
    ['score p-value', 'rel', 1e-12],
    ['Holm p-value', 'rel', 1e-12],
    ['sequential low', 'abs', 1e-15],
    ['sequential high', 'abs', 1e-15],
    ['sequential p-value', 'rel', 1e-11],
    ['sequential Holm p-value', 'rel', 1e-11],
    ['SRM statistic', 'rel', 1e-12],
    ['SRM p-value', 'rel', 1e-12],
    ['MDE', 'rel', 1e-10],
    ['sequential MDE', 'rel', 1e-10],
    ['required users (control)', 'abs', 0],
    ['required users (variant)', 'abs', 0],
    ['sequential required users (control)', 'abs', 0],
    ['sequential required users (variant)', 'abs', 0],
  ];
  for (const [figure, kind, bound] of bounds) {
    it(`matches the reference ${figure} within ${kind === 'abs' ? 'an absolute' : 'a relative'} ${bound}`, () => {
      const m = d.max.get(figure);
      expect(m, figure).to.not.equal(undefined);
      expect(m![kind]).to.be.at.most(bound);
    });
  }
});
