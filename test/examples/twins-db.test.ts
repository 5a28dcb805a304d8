// The Koa and Fastify twins on the store's database module: their exposures reach tracks_exposures and the store's results.
import { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import request from 'supertest';
import { exposureLog } from '../../src/index.js';
import { exposureSink } from '../../src/postgres/index.js';
import { openDatabase } from '../../examples/coconut-store/db.js';
import { tracksConsole } from '../../src/console/index.js';
import { analyzeStore, storeConsoleOptions } from '../../examples/coconut-store/store-console.js';
import { createFastifyApp } from '../../examples/fastify/app.js';
import { createKoaApp } from '../../examples/koa/app.js';
import { pgliteTemplate } from '../support/databases.js';
import { expectedPlacement } from '../support/coconut-store.js';

describe('the Koa and Fastify stores on the store database', function () {
  this.timeout(60_000);

  for (const twin of ['Koa', 'Fastify'] as const) {
    it(`${twin}: writes each shopper's first exposure once, counted on the store's results and its console`, async () => {
      const pglite = await PGlite.create({ loadDataDir: await pgliteTemplate() });
      try {
        const db = await openDatabase({ client: pglite });
        const exposures = exposureLog({ sink: exposureSink(db.client) });
        const results = tracksConsole(storeConsoleOptions(db.client, { allow: () => true }));
        const options = { delayScale: 0, secret: 'test-secret', onExposure: exposures, console: results };
        const fastify = twin === 'Fastify' ? createFastifyApp(options) : null;
        if (fastify) await fastify.ready();
        const target = fastify ? fastify.server : createKoaApp(options).callback();
        const shoppers = ['twin-1', 'twin-2', 'twin-3'];
        for (const user of shoppers) {
          for (let i = 0; i < 2; i++) await request(target).get('/catalog').set('Cookie', `user=${user}`).expect(200);
        }
        await exposures.flush();
        // The console, mounted in one line, shows each member's users (its overview table's users column).
        const page = await request(target).get('/results').expect(200);
        expect((await request(target).get('/catalog').set('Cookie', 'user=twin-1')).text).to.include('href="/results"');
        const { report: shown } = await analyzeStore(pglite);
        for (const member of shown.members) {
          const row = new RegExp(`<a href="#set-${member.set}">${member.set}</a>.*?<td class="num">(\\d+)</td>`).exec(page.text);
          expect(Number(row?.[1]), member.set).to.equal(member.totalUsers);
        }
        await exposures.close();
        await fastify?.close();
        const { rows } = await pglite.query<{ user_key: string; set_name: string; variant: string }>(
          'select user_key, set_name, variant from tracks_exposures order by user_key',
        );
        expect(rows).to.deep.equal(
          shoppers.map((user) => ({ user_key: user, set_name: expectedPlacement(user).setName, variant: expectedPlacement(user).variant })),
        );
        const { report } = await analyzeStore(pglite);
        expect(report.members.reduce((sum, m) => sum + m.totalUsers, 0)).to.equal(3);
      } finally {
        await pglite.close();
      }
    });
  }
});
