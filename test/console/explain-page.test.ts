// The console's "explain a user" page over real HTTP: the search form, each set's variant and evidence, and keys it refuses.
import type { Server } from 'node:http';
import { expect } from 'chai';
import pg from 'pg';
import request from 'supertest';
import { tracksConsole } from '../../src/console/index.js';
import { migrate, postgresAssignmentStore, postgresControls, publishSets, type PostgresControls } from '../../src/postgres/index.js';
import { freshDatabase } from '../cli/run-cli.js';
import { closeServer, ConsoleDelay, consoleServer } from './console-apps.js';

describe('the console explains a user', function () {
  this.timeout(60_000);
  let database: { url: string; drop: () => Promise<void> };
  let pool: pg.Pool;
  let controls: PostgresControls;
  let server: Server;

  before(async () => {
    database = await freshDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    await migrate(pool);
    await publishSets(pool, [ConsoleDelay]);
    await postgresAssignmentStore(pool).save([
      { key: 'stored-user', setName: 'delay', variant: 'long', assignedAt: new Date('2026-01-02T03:04:05Z'), how: 'hash' },
    ]);
    controls = postgresControls(pool, { pollIntervalMs: 600_000, listen: false });
    await controls.refresh();
    server = await consoleServer('express', tracksConsole({ db: pool, sets: [ConsoleDelay], controls, allow: () => true }), controls);
  });

  after(async () => {
    if (server) await closeServer(server);
    await controls?.close();
    await pool?.end();
    await database?.drop();
  });

  it('offers the search on the experiments page, as a plain GET form', async () => {
    const page = await request(server).get('/console/').expect(200);
    expect(page.text).to.match(/<form class="explain" method="get" action="\/console\/explain">[\s\S]*?<input name="key"/);
  });

  it('gives each set the variant, the reason and the stored record as evidence', async () => {
    const res = await request(server).get('/console/explain').query({ key: 'stored-user' }).expect(200);
    expect(res.text).to.include('<h2>Key “stored-user”</h2>');
    expect(res.text).to.match(/<tr data-set="delay" data-variant="long" data-reason="stored">/);
    expect(res.text).to.include('stored: long since 2026-01-02 03:04:05 UTC (hash)');
    const hashed = await request(server).get('/console/explain').query({ key: 'new-user' }).expect(200);
    expect(hashed.text).to.match(/<tr data-set="delay" data-variant="(control|short|long)" data-reason="hash">/);
    expect(hashed.text).to.include('no stored record');
  });

  it('refuses a key the key rule refuses, escapes what it echoes, and shows the empty form without a key', async () => {
    const refused = await request(server).get('/console/explain').query({ key: 'evil\u0000key' }).expect(400);
    expect(refused.text).to.include('This key cannot be explained');
    const hostile = await request(server).get('/console/explain').query({ key: '<script>x</script>' }).expect(200);
    expect(hostile.text).to.not.include('<script>x</script>');
    expect(hostile.text).to.include('&lt;script&gt;x&lt;/script&gt;');
    const empty = await request(server).get('/console/explain').expect(200);
    expect(empty.text).to.include('<form class="explain"').and.not.include('<table class="explained">');
  });
});
