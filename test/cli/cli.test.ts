// The built tracks-ab command, run as a child process: usage errors (2), failed operations (1), success (0), tables and --json.
import { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { SimpleTrackSet } from '../../src/index.js';
import { MIGRATIONS, publishSets } from '../../src/postgres/index.js';
import { freshDatabase, runCli } from './run-cli.js';

class Delay extends SimpleTrackSet {
  static override setName = 'delay';
  static shortTrack(): void {}
  static longTrack(): void {}
}
class Pricing extends SimpleTrackSet {
  static override setName = 'pricing';
  static cheapTrack(): void {}
  static expensiveTrack(): void {}
}

interface Listing {
  setName: string;
  inForce: { disabled: boolean; pinned: string | null; coverage: number } | null;
  record: { control: Record<string, unknown>; updatedBy: string | null; note: string | null } | null;
}

describe('the tracks-ab command', function () {
  this.timeout(120_000);

  describe('usage', () => {
    it('prints its commands on --help and exits 0', async () => {
      const run = await runCli(['--help']);
      expect(run.code).to.equal(0);
      expect(run.stdout).to.match(/^usage: tracks-ab <command>/);
      expect(run.stdout).to.include('    migrate ').and.include('    controls ');
    });

    it('prints a command’s help on <command> --help and exits 0', async () => {
      const run = await runCli(['controls', '--help']);
      expect(run.code).to.equal(0);
      expect(run.stdout).to.match(/^usage: tracks-ab controls list \[--json\]\n {3}or: tracks-ab controls disable <set>/);
    });

    it('exits 2 with the usage on stderr without a command', async () => {
      const run = await runCli([]);
      expect([run.code, run.stdout]).to.deep.equal([2, '']);
      expect(run.stderr).to.match(/^usage: tracks-ab/);
    });

    const mistakes: Array<[string, string[], string]> = [
      ['an unknown command, with a did-you-mean', ['contrls'], "tracks-ab: 'contrls' is not a tracks-ab command (did you mean 'controls'?)"],
      ['an unknown action', ['controls', 'disabel', 'delay'], "tracks-ab controls: 'disabel' is not a controls action (did you mean 'disable'?)"],
      ['a missing argument', ['controls', 'pin', 'delay'], 'tracks-ab controls: controls pin takes a set and a variant'],
      ['a coverage out of range', ['controls', 'coverage', 'delay', '1.5'], "coverage must be a number from 0 to 1 (or 0% to 100%), not '1.5'"],
      ['a hexadecimal coverage', ['controls', 'coverage', 'delay', '0x1'], "coverage must be a number from 0 to 1 (or 0% to 100%), not '0x1'"],
      [
        'a coverage that underflows to 0',
        ['controls', 'coverage', 'delay', '1e-400'],
        "coverage must be a number from 0 to 1 (or 0% to 100%), not '1e-400'",
      ],
      ['an empty coverage', ['controls', 'coverage', 'delay', ''], "coverage must be a number from 0 to 1 (or 0% to 100%), not ''"],
      ['an empty percentage', ['controls', 'coverage', 'delay', '%'], "coverage must be a number from 0 to 1 (or 0% to 100%), not '%'"],
      ['an unknown option', ['migrate', '--verbose'], "tracks-ab migrate: Unknown option '--verbose'"],
      ['no database at all', ['controls', 'list'], 'no database: set DATABASE_URL, or give --database-url <url> or --pglite <dir>'],
    ];
    for (const [what, args, message] of mistakes) {
      it(`exits 2 on ${what}, saying so on stderr`, async () => {
        const run = await runCli(args);
        expect(run.code).to.equal(2);
        expect(run.stdout).to.equal('');
        expect(run.stderr).to.include(message);
      });
    }

    it('exits 1 when the database cannot be reached', async () => {
      const run = await runCli(['controls', 'list'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.match(/^tracks-ab controls: cannot connect to the database: /);
    });
  });

  describe('on PostgreSQL', () => {
    let db: { url: string; drop: () => Promise<void> };
    let env: Record<string, string>;
    before(async () => {
      db = await freshDatabase();
      env = { DATABASE_URL: db.url };
    });
    after(() => db.drop());

    it('says to migrate when the tables are missing (exit 1)', async () => {
      const run = await runCli(['controls', 'list'], env);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.equal('tracks-ab controls: the tracks-ab tables are missing in schema public: run `tracks-ab migrate` first\n');
    });

    it('migrates once, then says it is up to date', async () => {
      const first = await runCli(['migrate', '--json'], env);
      expect([first.code, JSON.parse(first.stdout)]).to.deep.equal([0, { applied: MIGRATIONS.map((m) => m.version) }]);
      const second = await runCli(['migrate'], env);
      expect([second.code, second.stdout]).to.deep.equal([0, `already up to date (${MIGRATIONS.length} migrations)\n`]);
      const pool = new pg.Pool({ connectionString: db.url });
      await publishSets(pool, [Delay, Pricing]);
      await pool.end();
    });

    it('disables, pins and covers a set, and lists it as a table and as JSON', async () => {
      expect((await runCli(['controls', 'disable', 'delay', '--note', 'slow pages', '--by', 'alice'], env)).stdout).to.equal('delay: disabled\n');
      expect((await runCli(['controls', 'coverage', 'pricing', '25%'], env)).stdout).to.equal('pricing: running, coverage 25%\n');
      const table = await runCli(['controls', 'list'], env);
      expect(table.code).to.equal(0);
      const lines = table.stdout.trimEnd().split('\n');
      expect(lines[0]).to.match(/^SET +IN FORCE +CONTROL +CODE +VARIANTS +CHANGED +NOTE$/);
      expect(lines[1]).to.match(/^delay +disabled +disabled +enabled +control, long, short +\d{4}-\d\d-\d\d \d\d:\d\dZ by alice +slow pages$/);
      expect(lines[2]).to.match(/^pricing +running, coverage 25% +coverage 0.25 +enabled +control, cheap, expensive +.* by tester$/);
      // Columns line up: each header starts where its cells start.
      expect(lines[1]!.indexOf('disabled')).to.equal(lines[0]!.indexOf('IN FORCE'));
      const json = JSON.parse((await runCli(['controls', 'list', '--json'], env)).stdout) as Listing[];
      expect(json.map((l) => [l.setName, l.inForce])).to.deep.equal([
        ['delay', { disabled: true, pinned: null, coverage: 1, paused: [] }],
        ['pricing', { disabled: false, pinned: null, coverage: 0.25, paused: [] }],
      ]);
      expect(json[0]!.record).to.deep.include({ control: { disabled: true }, updatedBy: 'alice', note: 'slow pages' });
    });

    it('refuses an unknown set or variant with a did-you-mean (exit 1), changing nothing', async () => {
      const set = await runCli(['controls', 'disable', 'dealy'], env);
      expect([set.code, set.stdout, set.stderr]).to.deep.equal([
        1,
        '',
        'tracks-ab controls: set "dealy" is unknown (did you mean "delay"? sets: delay, pricing)\n',
      ]);
      const variant = await runCli(['controls', 'pin', 'delay', 'lnog'], env);
      expect(variant.code).to.equal(1);
      expect(variant.stderr).to.equal(
        'tracks-ab controls: track set "delay": control pinned is invalid: "lnog" (did you mean "long"? variants: control, long, short)\n',
      );
      const json = JSON.parse((await runCli(['controls', 'list', '--json'], env)).stdout) as Listing[];
      expect(json[0]!.record!.control).to.deep.equal({ disabled: true });
    });

    it('enables, pins, unpins and resets, printing what is in force', async () => {
      expect((await runCli(['controls', 'enable', 'delay'], env)).stdout).to.equal('delay: running\n');
      expect((await runCli(['controls', 'pin', 'delay', 'long'], env)).stdout).to.equal('delay: pinned long\n');
      expect((await runCli(['controls', 'unpin', 'delay'], env)).stdout).to.equal('delay: running\n');
      const reset = await runCli(['controls', 'reset', 'delay', '--json'], env);
      expect((JSON.parse(reset.stdout) as Listing[])[0]!.record).to.equal(null);
      expect((await runCli(['controls', 'reset', 'nothing'], env)).code).to.equal(1);
    });
  });

  describe('on a PGlite directory', () => {
    let dir: string;
    before(() => {
      dir = join(mkdtempSync(join(tmpdir(), 'tracks-cli-')), 'data');
    });
    after(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

    it('migrates a new directory, then changes and lists the controls of the sets published there', async () => {
      const migrated = await runCli(['migrate', '--pglite', dir]);
      expect([migrated.code, migrated.stdout]).to.deep.equal([0, `applied ${MIGRATIONS.map((m) => m.version).join(', ')}\n`]);
      // The app publishes its sets (PGlite is one process at a time: the command has exited).
      const app = await PGlite.create(dir);
      await publishSets(app, [Delay, Pricing]);
      await app.close();
      expect((await runCli(['controls', 'pin', 'pricing', 'cheap', '--pglite', dir])).stdout).to.equal('pricing: pinned cheap\n');
      const refused = await runCli(['controls', 'pin', 'pricing', 'free', '--pglite', dir]);
      expect(refused.code).to.equal(1);
      expect(refused.stderr).to.include('control pinned is invalid: "free" (variants: control, cheap, expensive)');
      const json = JSON.parse((await runCli(['controls', 'list', '--json', '--pglite', dir])).stdout) as Listing[];
      expect(json.map((l) => [l.setName, l.inForce?.pinned])).to.deep.equal([
        ['delay', null],
        ['pricing', 'cheap'],
      ]);
    });
  });
});
