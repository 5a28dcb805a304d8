// The coconut store's database: its migration beside tracks-ab's, purchases, and the results counted from them, on both databases.
import { expect } from 'chai';
import { exposureLog } from '../../src/index.js';
import { exposureSink } from '../../src/postgres/index.js';
import { openDatabase, type StoreDatabase } from '../../examples/coconut-store/db.js';
import { analyzeStore } from '../../examples/coconut-store/store-console.js';
import { forEachDatabase } from '../support/databases.js';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

describe('coconut store database', () => {
  forEachDatabase((db) => {
    let store: StoreDatabase;
    before(async function () {
      this.timeout(60_000);
      store = await openDatabase({ client: db.client });
    });

    it('migrates idempotently: the tracks-ab tables and the store’s own, each step once', async () => {
      await openDatabase({ client: db.client });
      const { rows } = await db.client.query<{ version: string }>('select version from coconut_migrations');
      expect(rows.map((r) => r.version)).to.deep.equal(['001-purchases']);
      const { rows: tables } = await db.client.query<{ table_name: string }>(
        "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
      );
      expect(tables.map((t) => t.table_name)).to.include.members(['purchases', 'tracks_exposures', 'tracks_aliases', 'tracks_migrations']);
    });

    it('counts each person once, for their first exposure, with purchases at or after it', async () => {
      const log = exposureLog({ sink: exposureSink(db.client), maxBatch: 100 });
      const expose = (key: string, setName: string, variant: string) =>
        log({ setName, variant, key, runId: `${key}-${setName}-${variant}`, reason: 'hash', firstExposure: true, multiSetName: 'delay/pricing' });
      expose('u1', 'delay', 'long');
      expose('u2', 'delay', 'long');
      expose('u3', 'delay', 'control');
      expose('u4', 'pricing', 'price_adjusted_by_0');
      await log.flush(5000);
      await store.recordPurchase({ userId: 'u1', coconutId: 'c1', price: 12.5 }); // after the exposure: counts
      await store.recordPurchase({ userId: 'u2', coconutId: 'c1', price: 12.5, at: at(0) }); // long before it: does not
      const { report, counts } = await analyzeStore(db.client);
      expect(counts.map((c) => [c.set, c.variant, c.users, c.converted])).to.deep.equal([
        ['delay', 'control', 1, 0],
        ['delay', 'long', 2, 1],
        ['pricing', 'price_adjusted_by_0', 1, 0],
      ]);
      expect(report.splitMembers).to.deep.equal(['delay', 'pricing']);
      expect(report.members.map((m) => m.totalUsers)).to.deep.equal([3, 1]);
      const { rows } = await db.client.query<{ price: string }>("select price::text from purchases where user_id = 'u1'");
      expect(rows).to.deep.equal([{ price: '12.50' }]);
    });

    it('refuses a purchase without a finite price', async () => {
      let error: unknown;
      try {
        await store.recordPurchase({ userId: 'u9', coconutId: 'c1', price: Number.NaN });
      } catch (e) {
        error = e;
      }
      expect(String(error)).to.equal('TypeError: purchase price is invalid: NaN');
    });
  });
});
