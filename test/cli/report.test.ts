// `tracks-ab report <set>`: the table, --json, and exit codes, against a PGlite data dir and the test server.
import { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
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
  await client.query('create table purchases (user_id text not null, created_at timestamptz not null, price numeric not null default 10)');
  const t0 = Date.UTC(2026, 0, 1);
  for (const [v, variant] of ['control', 'short', 'long'].entries()) {
    const keys = Array.from({ length: 300 }, (_, i) => `d${v}-${i}`);
    await client.query(
      `insert into tracks_exposures (user_key, set_name, variant, run_id, reason, first_exposure, exposed_at)
       select k, 'delay', $2, 'run-' || k, 'hash', true, $3 from unnest($1::text[]) k`,
      [keys, variant, new Date(t0)],
    );
    const buyers = keys.slice(0, variant === 'long' ? 9 : 27);
    // Long's few buyers spend three times as much: it converts worse but earns about as much.
    await client.query(`insert into purchases select k, $2, $3 from unnest($1::text[]) k`, [
      buyers,
      new Date(t0 + 60_000),
      variant === 'long' ? 30 : 10,
    ]);
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

    it("prints the set's declared metrics after its conversions: conversion primary, revenue per visitor a guardrail", async () => {
      const { code, out, err } = await run(['delay', '--sets', SETS, '--conversions', CONVERSIONS, ...target.args], target.env);
      expect(err).to.equal('');
      expect(code).to.equal(0);
      const conversion = out.indexOf('metric conversion (proportion; primary; higher is better)');
      const revenue = out.indexOf('metric revenue_per_visitor (mean; guardrail, margin 5.0 %; higher is better; capped at 200)');
      expect(conversion).to.be.greaterThan(out.indexOf('Sample ratio'));
      expect(revenue).to.be.greaterThan(conversion);
      // 27 buyers of $10 among 300 in control: 0.9 per visitor; long: 9 buyers of $30.
      expect(out.slice(revenue)).to.match(/\n {2}control \(control\) +300 +0\.9 /);
      expect(out.slice(revenue)).to.match(/\n {2}long +300 +0\.9 /);
      expect(out).to.match(/Mixed persons \(exposed to two variants, left out\): 0 \(0\.0 %\)/);
    });

    it('prints one metric with --metric, against the baseline --control names, and as JSON with its sums', async () => {
      const { code, out } = await run(
        ['delay', '--sets', SETS, '--metric', 'revenue_per_visitor', '--control', 'short', '--json', ...target.args],
        target.env,
      );
      expect(code).to.equal(0);
      const json = JSON.parse(out) as {
        counts: unknown;
        metrics: {
          set: string;
          sums: { control: string; arms: { variant: string; n: number; sumY: number }[] };
          report: { control: string; comparisons: { variant: string }[] };
        }[];
      };
      expect(json.counts).to.equal(null);
      expect(json.metrics).to.have.length(1);
      const [metric] = json.metrics;
      expect(metric!.sums.arms.map((a) => [a.variant, a.n, a.sumY])).to.deep.equal([
        ['short', 300, 270],
        ['control', 300, 270],
        ['long', 300, 270],
      ]);
      expect(metric!.report.control).to.equal('short');
      expect(metric!.report.comparisons.map((c) => c.variant)).to.deep.equal(['control', 'long']);
      const unknown = await run(['delay', '--sets', SETS, '--metric', 'revenue', ...target.args], target.env);
      expect(unknown.code).to.equal(1);
      expect(unknown.err).to.match(/no metric revenue for set delay \(its metrics: conversion, revenue_per_visitor\)/);
      const badControl = await run(['delay', '--sets', SETS, '--metric', 'conversion', '--control', 'slow', ...target.args], target.env);
      expect(badControl.code).to.equal(1);
      expect(badControl.err).to.match(/option control is invalid: "slow" \(variants of delay: control, long, short\)/);
    });

    if (db.name === 'PostgreSQL') {
      it('reads the counts and the metrics at once on PostgreSQL: two of its three statements wait together, the third past the connection timeout', async () => {
        // The test locks the table every statement reads (the conversions and both metrics read
        // purchases), and watches them queue behind its lock before letting them go.
        const holder = new pg.Client({ connectionString: db.url! });
        await holder.connect();
        const watcher = new pg.Client({ connectionString: db.url! });
        await watcher.connect();
        try {
          await holder.query('begin');
          await holder.query('lock table purchases in access exclusive mode');
          const running = run(['delay', '--sets', SETS, '--conversions', CONVERSIONS, '--json', ...target.args], target.env);
          const started = Date.now();
          let most = 0;
          // Up to 15 s for two to queue (in turn, one would, and this would end with 1).
          for (let i = 0; i < 300 && most < 2; i++) {
            await new Promise((r) => setTimeout(r, 50));
            const { rows } = await watcher.query<{ n: string }>(
              `select count(*) as n from pg_stat_activity
               where datname = current_database() and wait_event_type = 'Lock' and wait_event = 'relation' and query like '%purchases%'`,
            );
            most = Math.max(most, Number(rows[0]!.n));
          }
          // Held past 10 s, the connection timeout: the third statement waits that long for a free
          // connection, as it would behind seconds-long statements at a million persons.
          await new Promise((r) => setTimeout(r, Math.max(0, 10_500 - (Date.now() - started))));
          await holder.query('commit');
          const { code, out, err } = await running;
          expect(err).to.equal('');
          expect(code).to.equal(0);
          expect(most).to.equal(2);
          const json = JSON.parse(out) as { counts: { users: number }[]; metrics: { report: { metric: string } }[] };
          expect(json.counts.reduce((sum, c) => sum + c.users, 0)).to.equal(900);
          // The metrics in the order the module declares them, whatever order their statements ended in.
          expect(json.metrics.map((m) => m.report.metric)).to.deep.equal(['conversion', 'revenue_per_visitor']);
        } finally {
          await holder.end();
          await watcher.end();
        }
      });
    }

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
