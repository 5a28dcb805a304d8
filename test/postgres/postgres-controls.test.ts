// tracks-ab/postgres controls on PGlite and PostgreSQL: the catalogue, checked writes, and a source kept fresh by LISTEN and polling.
import { expect } from 'chai';
import { SimpleTrackSet, MultiTrackSet, TracksError } from '../../src/index.js';
import {
  changeControl,
  listControls,
  migrate,
  postgresControls,
  publishSets,
  readCatalogue,
  readControls,
  removeControl,
  type ControlsFailure,
  type PostgresControls,
} from '../../src/postgres/index.js';
import { forEachDatabase } from '../support/databases.js';

class Delay extends SimpleTrackSet {
  static override setName = 'delay';
  static shortTrack(): void {}
  static longTrack(): void {}
}
class Pricing extends SimpleTrackSet {
  static override setName = 'pricing';
  static override coverage = 0.5;
  static cheapTrack(): void {}
  static expensiveTrack(): void {}
}
class Shop extends MultiTrackSet {
  static override setName = 'shop';
  static override trackSets = [Delay, Pricing];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean, ms = 10_000): Promise<number> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(5);
  }
  return Date.now() - start;
}

function refusal(run: Promise<unknown>): Promise<TracksError> {
  return run.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => {
      if (error instanceof TracksError) return error;
      throw error;
    },
  );
}

describe('PostgreSQL controls', function () {
  this.timeout(60_000);

  forEachDatabase((db) => {
    const sources: PostgresControls[] = [];
    const open = (options: Parameters<typeof postgresControls>[1]): PostgresControls => {
      const source = postgresControls(db.connect(), options);
      sources.push(source);
      return source;
    };

    before(async () => {
      await migrate(db.client);
      await publishSets(db.client, [Shop]);
    });
    afterEach(async () => {
      await Promise.all(sources.splice(0).map((s) => s.close()));
      await db.client.query('delete from tracks_controls');
    });

    it('records the members of the published sets with their variants and statics', async () => {
      const catalogue = await readCatalogue(db.client);
      expect([...catalogue.keys()]).to.deep.equal(['delay', 'pricing', 'shop']);
      expect(catalogue.get('shop')).to.deep.include({ members: ['delay', 'pricing'], controlVariant: null });
      expect(catalogue.get('shop')!.variants).to.include('pricing:cheap');
      expect(catalogue.get('pricing')).to.deep.include({ variants: ['control', 'cheap', 'expensive'], algorithm: 'v1' });
      expect(catalogue.get('pricing')!.statics).to.deep.equal({ disabled: false, pinned: null, coverage: 0.5 });
    });

    it('merges a change into the stored control, and clears a field given null', async () => {
      await changeControl(db.client, 'pricing', { coverage: 0.2 }, { by: 'alice', note: 'ramp down' });
      const record = await changeControl(db.client, 'pricing', { pinned: 'cheap' }, { by: 'bob' });
      expect(record).to.deep.include({ setName: 'pricing', control: { pinned: 'cheap', coverage: 0.2 }, updatedBy: 'bob', note: null });
      await changeControl(db.client, 'pricing', { pinned: null });
      expect((await readControls(db.client)).get('pricing')!.control).to.deep.equal({ coverage: 0.2 });
      const listing = await listControls(db.client);
      expect(listing.map((l) => [l.setName, l.inForce])).to.deep.equal([
        ['delay', { disabled: false, pinned: null, coverage: 1, paused: [] }],
        ['pricing', { disabled: false, pinned: null, coverage: 0.2, paused: [] }],
        ['shop', { disabled: false, pinned: null, coverage: 1, paused: [] }],
      ]);
      expect(await removeControl(db.client, 'pricing')).to.equal(true);
      expect(await removeControl(db.client, 'pricing')).to.equal(false);
    });

    it('refuses whole a change naming an unknown set or variant, writing nothing', async () => {
      await changeControl(db.client, 'delay', { coverage: 0.5 });
      const unknownSet = await refusal(changeControl(db.client, 'dealy', { disabled: true }));
      expect(unknownSet.message).to.equal('set "dealy" is unknown (did you mean "delay"? sets: delay, pricing, shop)');
      const unknownVariant = await refusal(changeControl(db.client, 'delay', { disabled: true, pinned: 'shrt' }));
      expect(unknownVariant.code).to.equal('ERR_TRACKS_INVALID_CONTROL');
      expect(unknownVariant.message).to.include('control pinned is invalid: "shrt" (did you mean "short"?');
      await refusal(changeControl(db.client, 'delay', { coverage: 2 }));
      expect([...(await readControls(db.client))].map(([name, r]) => [name, r.control])).to.deep.equal([['delay', { coverage: 0.5 }]]);
    });

    it('reads the controls into memory at start and serves them without I/O', async () => {
      await changeControl(db.client, 'delay', { disabled: true });
      const source = open({ listen: false });
      expect(await source.ready()).to.equal(true);
      expect(source.get('delay')).to.deep.equal({ disabled: true });
      expect(source.get('pricing')).to.equal(undefined);
    });

    it('sees a change through LISTEN/NOTIFY long before its poll would', async () => {
      const source = open({ pollIntervalMs: 600_000 });
      await source.ready();
      await until('listening', () => source.stats.listening);
      await changeControl(db.connect(), 'delay', { disabled: true });
      await until('the change', () => source.get('delay')?.disabled === true, 5_000);
      await removeControl(db.connect(), 'delay');
      await until('the removal', () => source.get('delay') === undefined, 5_000);
      expect(source.stats.notifications).to.be.at.least(2);
    });

    it('sees a change by polling alone within the poll interval', async () => {
      const source = open({ listen: false, pollIntervalMs: 100 });
      await source.ready();
      await changeControl(db.connect(), 'pricing', { pinned: 'cheap' });
      await until('the change', () => source.get('pricing')?.pinned === 'cheap', 5_000);
      expect(source.stats.listening).to.equal(false);
      expect(source.stats.notifications).to.equal(0);
    });

    it('keeps the same control object while the row is unchanged', async () => {
      await changeControl(db.client, 'delay', { coverage: 0.3 });
      const source = open({ listen: false });
      await source.ready();
      const before = source.get('delay');
      await source.refresh();
      expect(source.get('delay')).to.equal(before);
    });

    it('reports a failed read and keeps serving, then recovers once the tables exist', async () => {
      const failures: ControlsFailure[] = [];
      const source = open({ schema: 'later', listen: false, pollIntervalMs: 50, onError: (_e, info) => failures.push(info) });
      expect(await source.ready()).to.equal(false);
      expect(failures[0]).to.deep.equal({ operation: 'load' });
      expect(source.get('delay')).to.equal(undefined);
      await migrate(db.client, { schema: 'later' });
      await publishSets(db.client, [Delay], { schema: 'later' });
      await changeControl(db.client, 'delay', { disabled: true }, { schema: 'later' });
      await until('recovery', () => source.get('delay')?.disabled === true);
    });

    it('stops reading after close', async () => {
      const source = open({ pollIntervalMs: 20 });
      await source.ready();
      await source.close();
      const loads = source.stats.loads;
      await changeControl(db.client, 'delay', { disabled: true });
      await sleep(150);
      expect(source.stats.loads).to.equal(loads);
      expect(source.get('delay')).to.equal(undefined);
    });

    if (db.name === 'PostgreSQL') {
      it('listens again after its connection is killed, reading what changed meanwhile', async () => {
        const failures: ControlsFailure[] = [];
        const source = open({ pollIntervalMs: 600_000, onError: (_e, info) => failures.push(info) });
        await until('listening', () => source.stats.listening);
        await db.client.query(`select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'listen%' and datname = current_database()`);
        await until('the loss', () => failures.some((f) => f.operation === 'listen'));
        await changeControl(db.client, 'delay', { pinned: 'long' });
        await until('the change after re-listening', () => source.get('delay')?.pinned === 'long');
        expect(failures[0]).to.deep.equal({ operation: 'listen', retryInMs: 1000 });
      });

      it('never brings a reset pin back when a reset races a change (200 rounds)', async () => {
        const [changer, resetter] = [db.connect(), db.connect()];
        let comeBack = 0;
        for (let round = 0; round < 200; round++) {
          await changeControl(db.client, 'pricing', { pinned: 'cheap' });
          await Promise.all([changeControl(changer, 'pricing', { coverage: 0.3 }), removeControl(resetter, 'pricing')]);
          // Change then reset: nothing; reset then change: the coverage alone. Never the pin.
          const control = (await readControls(db.client)).get('pricing')?.control;
          if (control?.pinned !== undefined) comeBack++;
          await db.client.query('delete from tracks_controls');
        }
        expect(comeBack).to.equal(0);
      });
    }
  });
});
