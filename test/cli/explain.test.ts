// `tracks-ab explain`, built and run as a child process: the table and --json, from the code alone and from a PGlite folder.
import { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { assign, bucketOf, murmur3, SimpleTrackSet } from '../../src/index.js';
import { migrate } from '../../src/postgres/index.js';
import { runCli } from './run-cli.js';

const SETS = `const { SimpleTrackSet } = require(${JSON.stringify(resolve(__dirname, '../../dist/src/index.js'))});
class Pricing extends SimpleTrackSet { static setName = 'pricing'; static cheapTrack() {} static expensiveTrack() {} }
module.exports = { Pricing };`;

class Pricing extends SimpleTrackSet {
  static override setName = 'pricing';
  static cheapTrack(): void {}
  static expensiveTrack(): void {}
}

describe('tracks-ab explain', function () {
  this.timeout(180_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracks-explain-'));
    writeFileSync(join(dir, 'sets.js'), SETS);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the variant, the reason and the bucket from the code alone', async () => {
    const run = await runCli(['explain', 'user-1', '--sets', join(dir, 'sets.js')]);
    expect(run.code, run.stderr).to.equal(0);
    const variant = assign(Pricing, { key: 'user-1' }).name;
    const bucket = bucketOf(murmur3('pricing:user-1'));
    expect(run.stdout).to.match(new RegExp(`^SET +VARIANT +REASON +BUCKET +WHY\\npricing +${variant} +hash +${bucket} +the hash gives ${variant} `));
    expect(run.stdout).to.include('note: a sticky cookie bound to this user');
  });

  it('reads the store from a PGlite folder, as JSON', async () => {
    const data = join(dir, 'pglite');
    const db = await PGlite.create(data);
    await migrate(db);
    await db.query(`insert into tracks_assignments values ('user-1', 'pricing', 'cheap', '2026-02-03T00:00:00Z', 'anonymous')`);
    await db.close();
    const run = await runCli(['explain', 'user-1', '--sets', join(dir, 'sets.js'), '--pglite', data, '--json']);
    expect(run.code, run.stderr).to.equal(0);
    const [pricing] = (JSON.parse(run.stdout) as { sets: Array<{ variant: string; reason: string; evidence: { stored: unknown } }> }).sets;
    expect([pricing!.variant, pricing!.reason]).to.deep.equal(['cheap', 'stored']);
    expect(pricing!.evidence.stored).to.deep.equal({ variant: 'cheap', assignedAt: '2026-02-03T00:00:00.000Z', how: 'anonymous' });
  });
});
