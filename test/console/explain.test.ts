// explainKey over a real PGlite database: the rule that decides each set and its evidence; a QA override's typo reported and answered.
import { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { tracks } from '../../adapters/express.js';
import { explainKey } from '../../src/console/index.js';
import { assign, bucketOf, MemoryControls, MultiTrackSet, murmur3, SimpleTrackSet, TracksError } from '../../src/index.js';
import { migrate } from '../../src/postgres/index.js';

class Pricing extends SimpleTrackSet {
  static override setName = 'ex-pricing';
  static cheapTrack(): void {}
  static expensiveTrack(): void {}
}
class Delay extends SimpleTrackSet<{ vip: boolean }> {
  static override setName = 'ex-delay';
  static shortTrack(): void {}
  static longTrack(): void {}
  override isEligible(): boolean {
    return !this.context.vip;
  }
}
class Hero extends SimpleTrackSet {
  static override setName = 'ex-hero';
  static bigTrack(): void {}
}
class Footer extends SimpleTrackSet {
  static override setName = 'ex-footer';
  static darkTrack(): void {}
}
class Page extends MultiTrackSet {
  static override setName = 'ex-page';
  static override trackSets = [Hero, Footer];
}

const SETS = [Pricing, Delay, Page];

describe('explainKey', function () {
  this.timeout(60_000);
  let db: PGlite;

  before(async () => {
    db = await PGlite.create();
    await migrate(db);
  });
  after(() => db.close());

  it('without a database: the hash, its bucket and range, and what only the app knows', async () => {
    const key = 'user-7';
    const why = await explainKey(key, { sets: SETS });
    const pricing = why.sets.find((s) => s.set === 'ex-pricing')!;
    expect(pricing.variant).to.equal(assign(Pricing, { key }).name);
    expect(pricing.reason).to.equal('hash');
    const bucket = bucketOf(murmur3(`ex-pricing:${key}`));
    expect(pricing.evidence.hash.bucket).to.equal(bucket);
    const range = pricing.evidence.hash.range!;
    expect(bucket).to.be.at.least(range.start).and.below(range.end);
    expect(range.name).to.equal(pricing.variant);
    expect(pricing.words).to.equal(`the hash gives ${pricing.variant} (bucket ${bucket}, in ${range.name}'s range ${range.start}–${range.end - 1})`);
    expect(pricing.evidence.unknown.join('\n')).to.not.include('isEligible');
    const delay = why.sets.find((s) => s.set === 'ex-delay')!;
    expect(delay.evidence.unknown.join('\n')).to.include('whether this user is eligible is unknown from outside the app');
    // The multi set and its members: one member chosen, the other excluded.
    const page = why.sets.find((s) => s.set === 'ex-page')!;
    expect(page.variant).to.equal(assign(Page, { key }).trackSetName);
    const excluded = why.sets.filter((s) => s.multi === 'ex-page' && s.reason === 'excluded').map((s) => s.set);
    expect(excluded).to.deep.equal(['ex-hero', 'ex-footer'].filter((n) => n !== page.variant));
  });

  it('with a database: the stored record and when, the first exposure, aliases, and the controls in force', async () => {
    const key = 'user-stored';
    const hashed = assign(Pricing, { key }).name;
    const other = ['control', 'cheap', 'expensive'].find((n) => n !== hashed)!;
    await db.query(`insert into tracks_assignments values ($1, 'ex-pricing', $2, '2026-01-02T03:04:05Z', 'hash')`, [key, other]);
    await db.query(`insert into tracks_aliases values ('anon-1', $1, now())`, [key]);
    const delayVariant = assign(Delay, { key, context: { vip: false } }).name === 'long' ? 'short' : 'long';
    await db.query(
      `insert into tracks_exposures (user_key, set_name, variant, run_id, reason, first_exposure, exposed_at) values ($1, 'ex-delay', $2, 'r1', 'hash', true, '2026-01-03T00:00:00Z')`,
      [key, delayVariant],
    );
    const why = await explainKey(key, { sets: SETS, client: db });
    expect(why.aliases).to.deep.equal(['anon-1']);
    const pricing = why.sets.find((s) => s.set === 'ex-pricing')!;
    expect([pricing.variant, pricing.reason]).to.deep.equal([other, 'stored']);
    expect(pricing.evidence.stored).to.deep.equal({ variant: other, assignedAt: new Date('2026-01-02T03:04:05Z'), how: 'hash' });
    expect(pricing.words).to.include(`the store remembers ${other} since 2026-01-02T03:04:05.000Z (hash); the hash would give ${hashed}`);
    const delay = why.sets.find((s) => s.set === 'ex-delay')!;
    expect([delay.variant, delay.reason]).to.deep.equal([delayVariant, 'exposed']);
    expect((await explainKey('anon-1', { sets: [Pricing], client: db })).aliasOf).to.equal(key);

    await db.query(`insert into tracks_controls (set_name, disabled) values ('ex-pricing', true)`);
    await db.query(`insert into tracks_controls (set_name, pinned) values ('ex-page', 'ex-footer:dark')`);
    const controlled = await explainKey(key, { sets: SETS, client: db });
    expect(controlled.sets.filter((s) => s.reason === 'disabled' || s.reason === 'pinned').map((s) => [s.set, s.variant, s.reason])).to.deep.equal([
      ['ex-pricing', 'control', 'disabled'],
      ['ex-page', 'ex-footer', 'pinned'],
      ['ex-footer', 'dark', 'pinned'],
    ]);
  });

  it('says where a paused variant sends a newcomer, and refuses an unknown --set', async () => {
    const keys = Array.from({ length: 60 }, (_, i) => `p-${i}`);
    const key = keys.find((k) => assign(Pricing, { key: k }).name === 'cheap')!;
    const controls = new MemoryControls({ 'ex-pricing': { paused: ['cheap'] } });
    const [pricing] = (await explainKey(key, { sets: [Pricing], controls, setName: 'ex-pricing' })).sets;
    expect(pricing!.variant).to.equal(assign(Pricing, { key, controls }).name);
    expect(pricing!.evidence.hash.range!.name).to.equal('cheap');
    expect(pricing!.words).to.include('cheap is paused, its range goes to the open variants');
    let refused: unknown;
    await explainKey(key, { sets: SETS, setName: 'ex-pricnig' }).catch((error: unknown) => (refused = error));
    expect(refused).to.be.instanceOf(TracksError).with.property('message').that.includes('set "ex-pricnig" is unknown');
  });
});

describe('a QA override naming an unknown set or variant', () => {
  it('is reported to onError with ERR_TRACKS_UNKNOWN_OVERRIDE, and the response says what was applied and refused', async () => {
    const errors: Array<{ code: unknown; message: string; where: string }> = [];
    const app = express();
    app.use(
      tracks([Pricing, Delay], {
        key: { header: 'x-user' },
        cookie: { secret: 'explain-secret' },
        context: () => ({ vip: false }),
        override: { allow: () => true },
        onError: (error, info) => void errors.push({ code: (error as TracksError).code, message: (error as Error).message, where: info.where }),
      }),
    );
    app.get('/', (req, res) => res.json({ pricing: req.tracks.get(Pricing).name, delay: req.tracks.get(Delay).name }));
    const res = await request(app).get('/?tracks=ex-pricing:bogus,ex-delay:long,ex-dleay:short').set('x-user', 'qa');
    expect(res.body).to.deep.include({ delay: 'long' });
    expect(res.headers['tracks-override']).to.equal('applied=ex-delay%3Along; refused=ex-pricing%3Abogus,ex-dleay%3Ashort');
    expect(errors).to.deep.equal([
      {
        code: 'ERR_TRACKS_UNKNOWN_OVERRIDE',
        where: 'override',
        message: 'override "ex-pricing:bogus" is refused: set "ex-pricing" has no variant "bogus" (variants: control, cheap, expensive)',
      },
      {
        code: 'ERR_TRACKS_UNKNOWN_OVERRIDE',
        where: 'override',
        message: 'override "ex-dleay:short" is refused: set "ex-dleay" is unknown (did you mean "ex-delay"? sets: ex-pricing, ex-delay)',
      },
    ]);
  });
});
