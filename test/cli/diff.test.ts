// `tracks-ab diff`, built and run as a child process: exact moved shares from the bucket ranges, held users counted, exit codes.
import { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { assign, SimpleTrackSet } from '../../src/index.js';
import { migrate } from '../../src/postgres/index.js';
import { runCli } from './run-cli.js';

const INDEX = JSON.stringify(resolve(__dirname, '../../dist/src/index.js'));

const OLD = `const { SimpleTrackSet } = require(${INDEX});
class Pricing extends SimpleTrackSet { static setName = 'pricing'; static cheapTrack() {} static expensiveTrack() {} }
class Delay extends SimpleTrackSet { static setName = 'delay'; static shortTrack() {} static longTrack() {} }
module.exports = { Pricing, Delay };`;

// TypeScript, loaded through tsx: control's weight doubled, delay untouched, a new set.
const NEW = `import { SimpleTrackSet } from ${INDEX};
export class Pricing extends SimpleTrackSet {
  static override setName = 'pricing';
  static override weights: Record<string, number> = { control: 2, cheap: 1, expensive: 1 };
  static cheapTrack(): void {}
  static expensiveTrack(): void {}
}
export class Delay extends SimpleTrackSet { static override setName = 'delay'; static shortTrack(): void {} static longTrack(): void {} }
export class Banner extends SimpleTrackSet { static override setName = 'banner'; static onTrack(): void {} }
`;

class OldPricing extends SimpleTrackSet {
  static override setName = 'pricing';
  static cheapTrack(): void {}
  static expensiveTrack(): void {}
}
class NewPricing extends SimpleTrackSet {
  static override setName = 'pricing';
  static override weights = { control: 2, cheap: 1, expensive: 1 };
  static cheapTrack(): void {}
  static expensiveTrack(): void {}
}

/** Buckets whose variant differs between two lists of [name, start, end) ranges over 10,000 buckets. */
function movedBuckets(before: Array<[string, number, number]>, after: Array<[string, number, number]>): number {
  const at = (ranges: Array<[string, number, number]>, b: number): string => ranges.find(([, s, e]) => b >= s && b < e)![0];
  let moved = 0;
  for (let b = 0; b < 10_000; b++) if (at(before, b) !== at(after, b)) moved++;
  return moved;
}

describe('tracks-ab diff', function () {
  this.timeout(180_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracks-diff-'));
    writeFileSync(join(dir, 'old.js'), OLD);
    writeFileSync(join(dir, 'new.ts'), NEW);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the exact share each set moves, and exits 1 until --accept', async () => {
    const run = await runCli(['diff', '--sets', join(dir, 'old.js'), '--sets', join(dir, 'new.ts'), '--json']);
    expect(run.code, run.stderr).to.equal(1);
    expect(run.stderr).to.include(
      'this change moves users that only the hash holds, in pricing: check the shares above, then run again with --accept',
    );
    const { sets } = JSON.parse(run.stdout) as { sets: Array<{ name: string; status: string; changed: number | null; moved: number | null }> };
    // Equal thirds [0, 3333, 6667) become 2:1:1 [0, 5000, 7500): the buckets that change owner, counted here from the ranges.
    const expected = movedBuckets(
      [
        ['control', 0, 3333],
        ['cheap', 3333, 6667],
        ['expensive', 6667, 10000],
      ],
      [
        ['control', 0, 5000],
        ['cheap', 5000, 7500],
        ['expensive', 7500, 10000],
      ],
    );
    expect(sets.map((s) => [s.name, s.status, s.changed, s.moved])).to.deep.equal([
      ['banner', 'added', null, null],
      ['delay', 'unchanged', 0, 0],
      ['pricing', 'changed', expected / 10000, expected / 10000],
    ]);
    const accepted = await runCli(['diff', '--sets', join(dir, 'old.js'), '--sets', join(dir, 'new.ts'), '--accept']);
    expect([accepted.code, accepted.stderr]).to.deep.equal([0, '']);
    expect(accepted.stdout).to.match(/^SET +STATUS +CHANGED +MOVED +OUT +IN +NOTES\n/);
    expect(accepted.stdout).to.match(
      new RegExp(`\\npricing +changed +${(expected / 100).toFixed(2)}% +${(expected / 100).toFixed(2)}% +0 +0 +weights changed\\n`),
    );
    expect(accepted.stdout).to.include('(no database given: the users the store or their cookie holds are not counted)');
  });

  it('counts the stored users the new version would hash elsewhere, who keep theirs', async () => {
    const data = join(dir, 'pglite');
    const keys = Array.from({ length: 400 }, (_, i) => `user-${i}`);
    const db = await PGlite.create(data);
    await migrate(db);
    for (const key of keys.slice(0, 300)) {
      await db.query(`insert into tracks_assignments (user_key, set_name, variant, assigned_at, how) values ($1, 'pricing', $2, now(), 'hash')`, [
        key,
        assign(OldPricing, { key }).name,
      ]);
    }
    for (const key of keys.slice(300)) {
      await db.query(
        `insert into tracks_exposures (user_key, set_name, variant, run_id, reason, first_exposure, exposed_at) values ($1, 'pricing', $2, $1, 'hash', true, now())`,
        [key, assign(OldPricing, { key }).name],
      );
    }
    await db.close();
    const elsewhere = (list: string[]): number => list.filter((key) => assign(NewPricing, { key }).name !== assign(OldPricing, { key }).name).length;
    const run = await runCli(['diff', '--sets', join(dir, 'old.js'), '--sets', join(dir, 'new.ts'), '--pglite', data, '--json', '--accept']);
    expect(run.code, run.stderr).to.equal(0);
    const { sets } = JSON.parse(run.stdout) as { sets: Array<{ name: string; held: unknown }> };
    expect(sets.find((s) => s.name === 'pricing')!.held).to.deep.equal({
      stored: 300,
      storeKeeps: elsewhere(keys.slice(0, 300)),
      exposedOnly: 100,
      cookieKeeps: elsewhere(keys.slice(300)),
    });
    expect(elsewhere(keys.slice(0, 300))).to.be.within(40, 110);
  });

  it('refuses a module without sets, one that does not load, and wants --sets twice', async () => {
    writeFileSync(join(dir, 'none.js'), 'exports.X = class X {};\n');
    const none = await runCli(['diff', '--sets', join(dir, 'none.js'), '--sets', join(dir, 'old.js')]);
    expect([none.code, none.stderr]).to.deep.equal([1, `tracks-ab diff: ${join(dir, 'none.js')} exports no set classes\n`]);
    writeFileSync(join(dir, 'broken.ts'), 'export const = ;\n');
    const broken = await runCli(['diff', '--sets', join(dir, 'old.js'), '--sets', join(dir, 'broken.ts')]);
    expect(broken.code).to.equal(1);
    expect(broken.stderr).to.include(`tracks-ab diff: cannot load ${join(dir, 'broken.ts')}: `);
    const once = await runCli(['diff', '--sets', join(dir, 'old.js')]);
    expect(once.code).to.equal(2);
    expect(once.stderr).to.include('give --sets twice: the old module, then the new one');
  });
});
