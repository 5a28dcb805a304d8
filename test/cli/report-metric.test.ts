// The built `tracks-ab report <set> --metric <name> --json`, run as a child process against a seeded PGlite data dir.
import { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzeMetric, type MetricAnalysisInput } from '../../src/analysis/index.js';
import { describeSet } from '../../src/engine/describe-set.js';
import { SimpleTrackSet } from '../../src/index.js';
import { migrate } from '../../src/postgres/index.js';
import { pgliteTemplate } from '../support/databases.js';
import { runCli } from './run-cli.js';

const INDEX = JSON.stringify(resolve(__dirname, '../../dist/src/index.js'));

// The app's sets module as a user ships it, against the built package: the delay set and its revenue metric
// (the coconut store's declaration: mean, capped at 200, CUPED over 28 days, a guardrail with a 5 % margin).
const SETS_MODULE = `const { SimpleTrackSet, defineMetric } = require(${INDEX});
class DelayTracks extends SimpleTrackSet { static setName = 'delay'; static shortTrack() {} static longTrack() {} }
const metrics = [defineMetric({
  name: 'revenue_per_visitor', kind: 'mean', source: { sql: 'select user_id, created_at, price from purchases' },
  cap: { absolute: 200 }, cuped: { days: 28 }, sets: { delay: { role: 'guardrail', margin: 0.05 } },
})];
module.exports = { DelayTracks, metrics };`;
const VARIANTS = ['control', 'short', 'long'] as const;
const PER_ARM = 40;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

/** A person's purchases: [milliseconds from their first exposure, price]. */
function purchases(v: number, i: number): [number, number][] {
  const out: [number, number][] = [];
  if (i % (3 + v) === 0) out.push([60_000, 10 + ((i * 7 + v) % 23)]);
  if (i % 9 === 1) out.push([2 * DAY, 5 + v]);
  if (v === 2 && i === 7) out.push([3 * DAY, 250]); // above the metric's cap of 200
  if (i % 5 === 0) out.push([-2 * DAY, 4 + (i % 7)]); // the CUPED pre-period (28 days)
  if (i % 6 === 0) out.push([-40 * DAY, 99]); // before the pre-period: in neither
  return out;
}

/** The sums the SQL must return for an arm, from the plan above: y after exposure capped at 200, x the 28 days before. */
function expectedArm(v: number): { n: number; sumY: number; sumY2: number; sumX: number; sumX2: number; sumXY: number } {
  const arm = { n: PER_ARM, sumY: 0, sumY2: 0, sumX: 0, sumX2: 0, sumXY: 0 };
  for (let i = 0; i < PER_ARM; i++) {
    const p = purchases(v, i);
    const y = Math.min(
      200,
      p.filter(([t]) => t >= 0).reduce((s, [, price]) => s + price, 0),
    );
    const x = p.filter(([t]) => t < 0 && t > -28 * DAY).reduce((s, [, price]) => s + price, 0);
    arm.sumY += y;
    arm.sumY2 += y * y;
    arm.sumX += x;
    arm.sumX2 += x * x;
    arm.sumXY += x * y;
  }
  return arm;
}

/** The same set as the module's, here to read its expected shares (its 10,000 buckets split 3,333 / 3,334 / 3,333). */
class DelayTracks extends SimpleTrackSet {
  static override setName = 'delay';
  static shortTrack(): void {}
  static longTrack(): void {}
}

describe('tracks-ab report --metric (the built command)', function () {
  this.timeout(60_000);
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tracks-metric-'));
    writeFileSync(join(dir, 'sets.js'), SETS_MODULE);
    // The data dir from the suite-wide template (a fresh initdb takes seconds in WebAssembly).
    const db = await PGlite.create({ dataDir: join(dir, 'data'), loadDataDir: await pgliteTemplate() });
    await migrate(db);
    await db.query('create table purchases (user_id text not null, created_at timestamptz not null, price numeric not null)');
    for (const [v, variant] of VARIANTS.entries()) {
      const keys = Array.from({ length: PER_ARM }, (_, i) => `m${v}-${i}`);
      await db.query(
        `insert into tracks_exposures (user_key, set_name, variant, run_id, reason, first_exposure, exposed_at)
         select k, 'delay', $2, 'run-' || k, 'hash', true, $3 from unnest($1::text[]) k`,
        [keys, variant, new Date(T0)],
      );
      const rows = keys.flatMap((k, i) => purchases(v, i).map(([t, price]) => [k, new Date(T0 + t).toISOString(), price] as const));
      await db.query('insert into purchases select * from unnest($1::text[], $2::timestamptz[], $3::numeric[])', [
        rows.map((r) => r[0]),
        rows.map((r) => r[1]),
        rows.map((r) => r[2]),
      ]);
    }
    await db.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the sums by SQL (capped, CUPED pre-period) and prints the same report as analyzeMetric on them', async () => {
    const run = await runCli([
      'report',
      'delay',
      '--sets',
      join(dir, 'sets.js'),
      '--metric',
      'revenue_per_visitor',
      '--json',
      '--pglite',
      join(dir, 'data'),
    ]);
    expect(run.stderr).to.equal('');
    expect(run.code).to.equal(0);
    const json = JSON.parse(run.stdout) as { counts: unknown; metrics: { set: string; sums: MetricAnalysisInput; report: unknown }[] };
    expect(json.counts).to.equal(null);
    expect(json.metrics.map((m) => m.set)).to.deep.equal(['delay']);
    const { sums, report } = json.metrics[0]!;
    expect([sums.name, sums.kind, sums.role, sums.margin, sums.cuped, sums.cap, sums.mixed]).to.deep.equal([
      'revenue_per_visitor',
      'mean',
      'guardrail',
      0.05,
      true,
      200,
      0,
    ]);
    expect(sums.control).to.equal('control');
    expect(sums.arms.map((a) => a.variant).sort()).to.deep.equal(['control', 'long', 'short']);
    VARIANTS.forEach((variant, v) => {
      const { n, sumY, sumY2, sumX, sumX2, sumXY } = sums.arms.find((a) => a.variant === variant)!;
      expect({ n, sumY, sumY2, sumX, sumX2, sumXY }, variant).to.deep.equal(expectedArm(v));
    });
    // The child's report is the library's on the same sums and the set's shares.
    const expectedShares = Object.fromEntries(describeSet(DelayTracks).variants.map((v) => [v.name, v.expectedShare]));
    expect(report).to.deep.equal(JSON.parse(JSON.stringify(analyzeMetric(sums, { expectedShares }))));
    expect(run.ms).to.be.below(30_000);
  });
});
