// Pause and multi-set controls stored in PostgreSQL (PGlite and a server): checked against the catalogue, read by every app.
import { expect } from 'chai';
import { assign, MultiTrackSet, SimpleTrackSet, TracksError } from '../../src/index.js';
import { changeControl, listControls, migrate, postgresControls, publishSets, readControls } from '../../src/postgres/index.js';
import { forEachDatabase } from '../support/databases.js';

class Hero extends SimpleTrackSet {
  static override setName = 'pr-hero';
  static bigTrack(): void {}
  static smallTrack(): void {}
}
class Footer extends SimpleTrackSet {
  static override setName = 'pr-footer';
  static darkTrack(): void {}
}
class Page extends MultiTrackSet {
  static override setName = 'pr-page';
  static override trackSets = [Hero, Footer];
}

const KEYS = Array.from({ length: 600 }, (_, i) => `k${i}`);

async function refusal(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (error) {
    if (error instanceof TracksError) return error.message;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('pause and multi-set controls in PostgreSQL', function () {
  this.timeout(60_000);

  forEachDatabase((db) => {
    before(async () => {
      await migrate(db.client);
      await publishSets(db.client, [Page]);
    });
    afterEach(() => db.client.query('delete from tracks_controls'));

    it('pauses and resumes variants inside one transaction, and lists them in force', async () => {
      await changeControl(db.client, 'pr-hero', { pause: ['big'] });
      await changeControl(db.client, 'pr-hero', { pause: ['small'], resume: ['big'] });
      expect((await readControls(db.client)).get('pr-hero')!.control).to.deep.equal({ paused: ['small'] });
      const listing = (await listControls(db.client)).find((l) => l.setName === 'pr-hero')!;
      expect(listing.inForce).to.deep.equal({ disabled: false, pinned: null, coverage: 1, paused: ['small'] });
      await changeControl(db.client, 'pr-hero', { resume: ['small'] });
      expect((await readControls(db.client)).get('pr-hero')!.control).to.deep.equal({});
    });

    it('refuses a pause of every variant, of an unknown one, and a multi-set pin of an unknown pair', async () => {
      expect(await refusal(changeControl(db.client, 'pr-hero', { pause: ['control', 'big', 'small'] }))).to.include(
        'leave at least one variant open',
      );
      expect(await refusal(changeControl(db.client, 'pr-hero', { pause: ['bgi'] }))).to.include('did you mean "big"?');
      expect(await refusal(changeControl(db.client, 'pr-page', { pinned: 'pr-hero:huge' }))).to.include('control pinned is invalid: "pr-hero:huge"');
      expect(await refusal(changeControl(db.client, 'pr-page', { pause: ['pr-hreo'] }))).to.include('did you mean "pr-hero"?');
      expect(await readControls(db.client)).to.have.property('size', 0);
    });

    it('reaches the apps: a paused member takes no new user, a pinned multi set gives everyone its pair', async () => {
      const source = postgresControls(db.connect(), { listen: false });
      try {
        await changeControl(db.client, 'pr-page', { pause: ['pr-footer'] });
        await source.refresh();
        const paused = KEYS.map((key) => assign(Page, { key, controls: source }));
        expect(paused.filter((a) => a.trackSetName === 'pr-footer')).to.have.length(0);
        KEYS.forEach((key, i) => {
          const open = assign(Page, { key });
          if (open.trackSetName === 'pr-hero') expect(paused[i]!.name).to.equal(open.name);
        });
        await changeControl(db.client, 'pr-page', { paused: null, pinned: 'pr-footer:dark' });
        await source.refresh();
        const pinned = KEYS.map((key) => assign(Page, { key, controls: source }));
        expect(pinned.every((a) => a.trackSetName === 'pr-footer' && a.name === 'dark' && a.reason === 'pinned')).to.equal(true);
      } finally {
        await source.close();
      }
    });
  });
});
