// The console over real HTTP on Express, Koa, Fastify and node:http: reading, refusals, a recorded write, and the app obeying it next request.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import pg from 'pg';
import request from 'supertest';
import { tracksConsole, type ConsoleHandler } from '../../src/console/index.js';
import { migrate, postgresControls, publishSets, readControlChanges, removeControl, type PostgresControls } from '../../src/postgres/index.js';
import { freshDatabase } from '../cli/run-cli.js';
import { closeServer, ConsoleDelay, consoleServer, FRAMEWORKS } from './console-apps.js';

const TOKEN = 'a-console-token-of-some-length';

interface OpenedPage {
  readonly status: number;
  readonly html: string;
  readonly cookie: string;
  readonly csrf: string;
}

function origin(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function openPage(server: Server, path = '/console/'): Promise<OpenedPage> {
  const res = await request(server).get(path);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith('tracks_console_csrf=')) ?? '';
  const csrf = /name="csrf" value="([^"]+)"/.exec(res.text)?.[1] ?? '';
  return { status: res.status, html: res.text, cookie, csrf };
}

function press(server: Server, page: OpenedPage, fields: Record<string, string>, from = origin(server)) {
  return request(server)
    .post('/console/controls')
    .set('Cookie', page.cookie)
    .set('Origin', from)
    .type('form')
    .send({ csrf: page.csrf, ...fields });
}

describe('the console over HTTP', function () {
  this.timeout(60_000);

  // On a PostgreSQL server (the in-app console on PGlite is the coconut store's browser test's).
  describe('on PostgreSQL', () => {
    let controls: PostgresControls;
    let handler: ConsoleHandler;
    let database: { url: string; drop: () => Promise<void> };
    let pool: pg.Pool;
    let appPool: pg.Pool;
    const db = {
      get client(): pg.Pool {
        return pool;
      },
    };

    before(async function () {
      database = await freshDatabase();
      pool = new pg.Pool({ connectionString: database.url, max: 4 });
      // The app's own connections, as another process would hold them.
      appPool = new pg.Pool({ connectionString: database.url, max: 2 });
      await migrate(db.client);
      await publishSets(db.client, [ConsoleDelay]);
      // Polling far apart and no LISTEN: the next request follows the console's refresh, not a lucky poll.
      controls = postgresControls(appPool, { pollIntervalMs: 600_000, listen: false });
      await controls.refresh();
      handler = tracksConsole({ db: db.client, sets: [ConsoleDelay], controls, allow: () => true, token: TOKEN });
    });

    after(async () => {
      await controls?.close();
      await appPool?.end();
      await pool?.end();
      await database?.drop();
    });

    beforeEach(async () => {
      await removeControl(db.client, 'delay');
      await controls.refresh();
    });

    for (const framework of FRAMEWORKS) {
      describe(framework, () => {
        let server: Server;
        before(async () => {
          server = await consoleServer(framework, handler, controls);
        });
        after(() => closeServer(server));

        it('serves the page under its base path, and passes every other request on to the app', async () => {
          const page = await openPage(server);
          expect(page.status).to.equal(200);
          expect(page.html).to.match(/^<!doctype html>/);
          expect(page.html).to.include('<meta name="viewport" content="width=device-width, initial-scale=1">');
          expect(page.html).to.include('<section id="set-delay" data-set="delay">');
          expect(page.html).to.include('data-status="running"');
          expect(page.cookie).to.match(/^tracks_console_csrf=[\w-]{43}$/);
          expect(page.html).to.include(`value="${page.csrf}"`);
          const app = await request(server).get('/variant').set('x-user', 'u1');
          expect(app.status).to.equal(200);
          expect(app.text).to.match(/^(control|short|long) hash$/);
          expect((await request(server).get('/console')).status, 'without the slash').to.equal(200);
        });

        it('refuses a press from another origin, without the CSRF field, or without the token, and writes nothing', async () => {
          const page = await openPage(server);
          const recorded = (await readControlChanges(db.client)).length;
          const foreign = await press(server, page, { set: 'delay', action: 'disable', token: TOKEN }, 'https://evil.example');
          const noCsrf = await press(server, { ...page, csrf: 'x' }, { set: 'delay', action: 'disable', token: TOKEN });
          const noToken = await press(server, page, { set: 'delay', action: 'disable' });
          const wrongToken = await press(server, page, { set: 'delay', action: 'disable', token: `${TOKEN}x` });
          expect([foreign.status, noCsrf.status, noToken.status, wrongToken.status]).to.deep.equal([403, 403, 403, 403]);
          expect(noToken.text).to.include('Refused: writing needs the console’s token');
          expect((await readControlChanges(db.client)).length, 'nothing written').to.equal(recorded);
          expect((await request(server).get('/variant').set('x-user', 'u1')).text).to.match(/ hash$/);
        });

        it('records a press with who and when, and the app serves control on its next request', async () => {
          const page = await openPage(server);
          const before = Date.now();
          const res = await press(server, page, { set: 'delay', action: 'disable', token: TOKEN, by: `alice-${framework}`, note: '<b>slow</b>' });
          expect(res.status).to.equal(303);
          expect(res.headers.location).to.equal('/console/?changed=delay#set-delay');
          const [last] = await readControlChanges(db.client, { setName: 'delay', limit: 1 });
          expect(last!.changedBy).to.equal(`alice-${framework}`);
          expect(last!.note).to.equal('<b>slow</b>');
          expect(last!.after).to.include({ disabled: true });
          expect(last!.changedAt.getTime()).to.be.within(before - 5000, Date.now() + 5000);
          expect((await request(server).get('/variant').set('x-user', 'u1')).text).to.equal('control disabled');
          const after = await request(server).get(res.headers.location as string);
          expect(after.text).to.include('data-status="disabled"');
          expect(after.text).to.include(`delay: disabled true, by alice-${framework}`);
          expect(after.text).to.include('&lt;b&gt;slow&lt;/b&gt;');
          expect(after.text).not.to.include('<b>slow</b>');
        });

        it('pins a variant and sets coverage from the form, and refuses a variant the set does not have', async () => {
          const page = await openPage(server);
          expect((await press(server, page, { set: 'delay', action: 'pin', variant: 'long', token: TOKEN })).status).to.equal(303);
          expect((await request(server).get('/variant').set('x-user', 'u2')).text).to.equal('long pinned');
          const bogus = await press(server, page, { set: 'delay', action: 'pin', variant: '<bogus>', token: TOKEN });
          expect(bogus.status).to.equal(400);
          expect(bogus.text).to.include('Refused: track set &quot;delay&quot;: control pinned is invalid: &quot;&lt;bogus&gt;&quot;');
          expect((await press(server, page, { set: 'delay', action: 'unpin', token: TOKEN })).status).to.equal(303);
          expect((await press(server, page, { set: 'delay', action: 'coverage', coverage: '0', token: TOKEN })).status).to.equal(303);
          expect((await request(server).get('/variant').set('x-user', 'u3')).text).to.equal('control coverage');
        });
      });
    }

    describe('access', () => {
      it('answers 403 when allow(req) says no (or throws), and never reaches the database', async () => {
        const errors: unknown[] = [];
        const closed = tracksConsole({ db: db.client, allow: (req) => req.headers['x-staff'] === 'yes', onError: (e) => errors.push(e) });
        const thrower = tracksConsole({
          db: db.client,
          allow: () => {
            throw new Error('hook');
          },
          onError: (e) => errors.push(e),
        });
        const server = await consoleServer('node', closed, controls);
        const other = await consoleServer('node', thrower, controls);
        try {
          expect((await request(server).get('/console/')).status).to.equal(403);
          expect((await request(server).get('/console/').set('x-staff', 'yes')).status).to.equal(200);
          expect((await request(other).get('/console/')).status).to.equal(403);
          expect(errors.map(String)).to.deep.equal(['Error: hook']);
        } finally {
          await closeServer(server);
          await closeServer(other);
        }
      });

      it('lets allowWrite(req) write without the token, and a script write with the bearer token alone', async () => {
        const staff = tracksConsole({
          db: db.client,
          sets: [ConsoleDelay],
          controls,
          allow: () => true,
          allowWrite: (req) => req.headers['x-staff'] === 'yes',
          token: TOKEN,
          who: (req) => (req.headers['x-staff'] === 'yes' ? 'staff-bob' : null),
        });
        const server = await consoleServer('express', staff, controls);
        try {
          const page = await openPage(server);
          expect(page.html, 'a visitor without allowWrite is asked for the token').to.include('name="token"');
          const staffPage = await request(server).get('/console/').set('x-staff', 'yes');
          expect(staffPage.text, 'staff are not').not.to.include('name="token"');
          const res = await request(server)
            .post('/console/controls')
            .set('Cookie', page.cookie)
            .set('Origin', origin(server))
            .set('x-staff', 'yes')
            .type('form')
            .send({ csrf: page.csrf, set: 'delay', action: 'disable' });
          expect(res.status).to.equal(303);
          expect((await readControlChanges(db.client, { setName: 'delay', limit: 1 }))[0]!.changedBy).to.equal('staff-bob');
          const script = await request(server)
            .post('/console/controls')
            .set('Authorization', `Bearer ${TOKEN}`)
            .type('form')
            .send({ set: 'delay', action: 'enable', by: 'deploy-bot' });
          expect(script.status).to.equal(303);
          expect((await readControlChanges(db.client, { setName: 'delay', limit: 1 }))[0]!.changedBy).to.equal('deploy-bot');
          expect((await request(server).get('/variant').set('x-user', 'u1')).text).to.match(/ hash$/);
        } finally {
          await closeServer(server);
        }
      });

      it('shows no buttons when nobody can write', async () => {
        const readOnly = tracksConsole({ db: db.client, sets: [ConsoleDelay], allow: () => true });
        const server = await consoleServer('koa', readOnly, controls);
        try {
          const page = await openPage(server);
          expect(page.html).not.to.include('<form class="controls"');
          expect(page.html).to.include('Read-only');
          expect((await press(server, page, { set: 'delay', action: 'disable' })).status).to.equal(403);
        } finally {
          await closeServer(server);
        }
      });
    });
  });
});
