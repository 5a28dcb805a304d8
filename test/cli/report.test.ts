// `tracks-ab report <set>`: the table, --json, and exit codes, against a PGlite data dir and the test server.
import { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { migrate } from '../../src/postgres/index.js';
import type { Queryable } from '../../src/postgres/queryable.js';
import { forEachDatabase } from '../support/databases.js';

const SETS = path.resolve(__dirname, '../../examples/coconut-store/tracks.ts');
const CONVERSIONS = 'select user_id, created_at from purchases';

/** Runs `tracks-ab report …` through the command line's own entry point, with captured output. */
async function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['report', ...argv], { stdout: (text) => void out.push(`${text}\n`), stderr: (text) => void err.push(`${text}\n`), env });
  return { code, out: out.join(''), err: err.join('') };
}

/** 300 delay users per variant (long converts 3 %, the others 9 %), 30 pricing users, one anonymous id aliased to a delay user. */
async function seed(client: Queryable): Promise<void> {
  await migrate(client);
  await client.query('create table purchases (user_id text not null, created_at timestamptz not null)');
  const t0 = Date.UTC(2026, 0, 1);
  for (const [v, variant] of ['control', 'short', 'long'].entries()) {
    const keys = Array.from({ length: 300 }, (_, i) => `d${v}-${i}`);
    await client.query(
      `insert into tracks_exposures (user_key, set_name, variant, run_id, reason, first_exposure, exposed_at)
       select k, 'delay', $2, 'run-' || k, 'hash', true, $3 from unnest($1::text[]) k`,
      [keys, variant, new Date(t0)],
    );
    const buyers = keys.slice(0, variant === 'long' ? 9 : 27);
    await client.query(`insert into purchases select k, $2 from unnest($1::text[]) k`, [buyers, new Date(t0 + 60_000)]);
  }
  const pricing = Array.from({ length: 30 }, (_, i) => `p-${i}`);
  await client.query(
    `insert into tracks_exposures (user_key, set_name, variant, run_id, reason, first_exposure, exposed_at)
     select k, 'pricing', 'price_adjusted_by_' || (i % 11 - 5), 'run-' || k, 'hash', true, $2 from unnest($1::text[]) with ordinality as u(k, i)`,
    [pricing, new Date(t0)],
  );
  // An anonymous visit of d0-0 before logging in: still one person, not 301 in control.
  await client.query(
    `insert into tracks_exposures (user_key, set_name, variant, run_id, reason, first_exposure, exposed_at) values ('anon-x', 'delay', 'control', 'run-x', 'hash', true, $1)`,
    [new Date(t0 - 1000)],
  );
  await client.query(`insert into tracks_aliases values ('anon-x', 'd0-0', now())`);
}

describe('tracks-ab report', function () {
  this.timeout(60_000);

  it('prints its usage with --help, and exits 2 on a usage error', async () => {
    const help = await run(['--help']);
    expect(help.code).to.equal(0);
    expect(help.out).to.match(/^usage: tracks-ab report <set> --sets <module>/);
    const none = await run([]);
    expect(none.code).to.equal(2);
    expect(none.err).to.match(/^tracks-ab report: which set\? give its name/);
    expect((await run(['delay', '--sets', SETS, '--conversions', CONVERSIONS])).err).to.match(/no database: set DATABASE_URL/);
    expect((await run(['delay', '--sets', SETS, '--confidence', '2'])).code).to.equal(2);
    // Number() would read these as 16 and 0.5: only plain decimals are numbers here.
    const hex = await run(['delay', '--sets', SETS, '--tuning-users', '0x10']);
    expect(hex.code).to.equal(2);
    expect(hex.err).to.include('option --tuning-users is invalid: "0x10"');
    expect((await run(['delay', '--sets', SETS, '--confidence', '5e-1'])).err).to.include('option --confidence is invalid: "5e-1"');
  });

  forEachDatabase((db) => {
    let target: { args: string[]; env: NodeJS.ProcessEnv };
    let dir: string | null = null;

    before(async function () {
      this.timeout(120_000);
      if (db.url === null) {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracks-report-'));
        const pglite = await PGlite.create(dir);
        await seed(pglite);
        await pglite.close();
        target = { args: ['--pglite', dir], env: {} };
      } else {
        await seed(db.client);
        target = { args: [], env: { DATABASE_URL: db.url } };
      }
    });
    after(() => {
      if (dir !== null) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('prints a set as an aligned table with its intervals, sample ratio, planning and verdicts', async () => {
      const { code, out, err } = await run(['delay', '--sets', SETS, '--conversions', CONVERSIONS, ...target.args], target.env);
      expect(err).to.equal('');
      expect(code).to.equal(0);
      const lines = out.split('\n');
      expect(lines[0]).to.equal('delay: 900 users, running');
      expect(lines[2]).to.match(/^ {2}variant +share +users +converted +rate +95 % interval +diff \(pts\) +sequential 95 % +fixed-horizon 95 %$/);
      expect(lines[4]).to.match(/^ {2}control \(control\) +33\.3 % +300 +27 +9\.0 % +6\.3–12\.8 %$/);
      expect(lines[5]).to.match(/^ {2}long +33\.3 % +300 +9 +3\.0 % +[\d.]+–[\d.]+ % +−6\.0 +−[\d.]+ to [−+][\d.]+ +−[\d.]+ to −[\d.]+$/);
      expect(out).to.match(/Sample ratio: control 300, long 300, short 300 \(expected 300 \/ 300 \/ 300\), p = 1\.00: as configured/);
      expect(out).to.match(/Planning long: detectable now: ±[\d.]+ points \(sequential\)/);
      expect(out).to.match(/\nlong: /);
    });

    it('prints a multi set with its member split, and --json with the counts', async () => {
      const { code, out } = await run(['delay/pricing', '--sets', SETS, '--conversions', CONVERSIONS, '--json', ...target.args], target.env);
      expect(code).to.equal(0);
      const json = JSON.parse(out) as {
        counts: { set: string; users: number }[];
        report: { memberSplit: { observed: number[] }; members: unknown[] };
      };
      expect(json.report.memberSplit.observed).to.deep.equal([900, 30]);
      expect(json.report.members).to.have.length(2);
      expect(json.counts.filter((c) => c.set === 'pricing').reduce((s, c) => s + c.users, 0)).to.equal(30);
      const text = await run(['delay/pricing', '--sets', SETS, '--conversions', CONVERSIONS, ...target.args], target.env);
      expect(text.out).to.match(
        /^delay\/pricing: a multi set of 2 members\nMember split: delay 900, pricing 30 \(expected 845 \/ 85\), p = [\d.e-]+: MISMATCH/,
      );
    });

    it('exits 1 for a set the module does not export (as controls does for an unknown set), and 1 when the query fails', async () => {
      const missing = await run(['nope', '--sets', SETS, '--conversions', CONVERSIONS, ...target.args], target.env);
      expect(missing.code).to.equal(1);
      expect(missing.err).to.match(/no set nope in .*tracks\.ts \(it exports: delay, delay\/pricing, pricing\)/);
      const failed = await run(['delay', '--sets', SETS, '--conversions', 'select user_id, created_at from nowhere', ...target.args], target.env);
      expect(failed.code).to.equal(1);
      expect(failed.err).to.match(/^tracks-ab report: .*nowhere/);
    });
  });
});
