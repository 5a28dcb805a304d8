// The middleware on tracks-ab/postgres, on PGlite and on a PostgreSQL server: two apps, one database, over real HTTP.
import { expect } from 'chai';
import request from 'supertest';
import { assign } from '../../src/index.js';
import { StoreClient } from '../../src/assignment-store/store-client.js';
import { Signer } from '../../src/cookies/node-signer.js';
import { migrate, postgresAssignmentStore } from '../../src/postgres/index.js';
import { forEachDatabase } from '../support/databases.js';
import { Delay, DelayReweighted, FRAMEWORKS, SECRET, startStoreApp, type RunningApp, type Seen } from '../support/store-apps.js';

describe('the middleware on tracks-ab/postgres', function () {
  this.timeout(60_000);
  forEachDatabase((db) => {
    before(() => migrate(db.client));

    for (const framework of FRAMEWORKS) {
      describe(`on ${framework}`, () => {
        let a: RunningApp;
        let b: RunningApp;
        let first: StoreClient;
        before(async () => {
          first = new StoreClient(postgresAssignmentStore(db.client), { flushIntervalMs: 5, timeoutMs: 2000 });
          const second = new StoreClient(postgresAssignmentStore(db.connect()), { flushIntervalMs: 5, timeoutMs: 2000 });
          a = await startStoreApp(framework, Delay, { store: first });
          b = await startStoreApp(framework, DelayReweighted, { store: second });
        });
        after(async () => {
          await Promise.all([a?.close(), b?.close()]);
        });

        it('keeps users enrolled by one app on their variant in the other, with no cookie, after the weights changed', async () => {
          const keys: string[] = [];
          for (let i = 0; keys.length < 10; i++) {
            const key = `${db.name}-${framework}-${i}`;
            if (assign(Delay, { key }).name !== assign(DelayReweighted, { key }).name) keys.push(key);
          }
          for (const key of keys) expect((await request(a.url).get('/delay').set('x-user-id', key).expect(200)).body).to.include({ reason: 'hash' });
          expect(await first.flush(10_000)).to.equal(true);
          for (const key of keys) {
            const body = (await request(b.url).get('/delay').set('x-user-id', key).expect(200)).body as Seen;
            expect(body, key).to.include({ name: assign(Delay, { key }).name, reason: 'sticky' });
          }
          const { rows } = await db.client.query<{ n: number }>(
            `select count(*)::int as n from tracks_assignments where user_key = any($1::text[])`,
            [keys],
          );
          expect(rows[0]!.n).to.equal(10);
        });

        it('saves a visitor’s variants as they log in and records the alias, so another app gives them too', async () => {
          const browser = request.agent(a.url);
          const anonymous = await browser.get('/both').expect(200);
          const visitor = anonymous.body as { delay: Seen; pricing: Seen };
          const raw = (anonymous.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('tracks_id='))!;
          const anonymousId = new Signer([SECRET]).unsign(decodeURIComponent(raw.split(';')[0]!.slice('tracks_id='.length))).value!;
          const id = `${db.name}-${framework}-login`;
          expect((await browser.get('/delay').set('x-user-id', id).expect(200)).body).to.include({ name: visitor.delay.name, reason: 'sticky' });
          await first.flush(10_000);
          const { rows } = await db.client.query<{ set_name: string; variant: string; how: string }>(
            'select set_name, variant, how from tracks_assignments where user_key = $1 order by set_name',
            [id],
          );
          expect(rows).to.deep.equal([
            { set_name: 'delay', variant: visitor.delay.name, how: 'anonymous' },
            { set_name: 'pricing', variant: visitor.pricing.name, how: 'anonymous' },
          ]);
          const aliases = await db.client.query<{ user_key: string }>('select user_key from tracks_aliases where anonymous_id = $1', [anonymousId]);
          expect(aliases.rows).to.deep.equal([{ user_key: id }]);
          const elsewhere = (await request(b.url).get('/both').set('x-user-id', id).expect(200)).body as { delay: Seen; pricing: Seen };
          expect([elsewhere.delay.name, elsewhere.pricing.name]).to.deep.equal([visitor.delay.name, visitor.pricing.name]);
        });
      });
    }
  });
});
