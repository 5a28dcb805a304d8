// No unsigned production by accident: the secret, the explicit opt-out, and cookie.maxAge's 400-day cap.
import { expect } from 'chai';
import express from 'express';
import Fastify from 'fastify';
import request from 'supertest';
import { tracks as expressTracks } from '../../adapters/express.js';
import { tracks as fastifyTracks } from '../../adapters/fastify.js';
import { tracks as koaTracks } from '../../adapters/koa.js';
import { TracksError, type Options } from '../../src/index.js';
import { setCookies } from './cookies.js';
import { BROWSER } from './harness.js';
import { PricingTracks } from './sets.js';

/** Runs `fn` with NODE_ENV set to `value` (undefined: unset), then puts it back. */
async function withNodeEnv<T>(value: string | undefined, fn: () => T | Promise<T>): Promise<T> {
  const previous = process.env.NODE_ENV;
  if (value === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = value;
  try {
    return await fn();
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
}

/** The TracksError that `run` throws (or rejects with). */
async function refusal(run: () => unknown): Promise<TracksError> {
  try {
    await run();
  } catch (error) {
    expect(error).to.be.instanceOf(TracksError);
    return error as TracksError;
  }
  throw new Error('expected a TracksError');
}

const NO_SECRET = 'option cookie.secret is missing: NODE_ENV is production';

describe('the cookie secret in production', () => {
  it('refuses to create the middleware without a secret, and says what to do', async () => {
    const error = await withNodeEnv('production', () => refusal(() => expressTracks([PricingTracks])));
    expect(error.code).to.equal('ERR_TRACKS_NO_SECRET');
    expect(error.message).to.include(NO_SECRET).and.include('visitors can edit their cookies');
    expect(error.message).to.include('Set cookie.secret').and.include('cookie.editableByVisitors: true');
  });

  it('refuses an unset environment variable, an empty list and a missing cookie option alike', async () => {
    const unset: Options<unknown>[] = [{ cookie: { secret: process.env.TRACKS_TEST_UNSET_SECRET } }, { cookie: { secret: [] } }, { cookie: {} }, {}];
    for (const options of unset) {
      const error = await withNodeEnv('production', () => refusal(() => expressTracks([PricingTracks], options)));
      expect(error.code, JSON.stringify(options)).to.equal('ERR_TRACKS_NO_SECRET');
    }
  });

  it('refuses it in the Koa middleware and the Fastify plugin too', async () => {
    expect((await withNodeEnv('production', () => refusal(() => koaTracks([PricingTracks])))).code).to.equal('ERR_TRACKS_NO_SECRET');
    const app = Fastify();
    const error = await withNodeEnv('production', () => refusal(() => app.register(fastifyTracks, { sets: [PricingTracks] })));
    await app.close();
    expect(error.code).to.equal('ERR_TRACKS_NO_SECRET');
  });

  it('starts with a secret, and outside production without one', async () => {
    await withNodeEnv('production', () => expressTracks([PricingTracks], { cookie: { secret: 'from-the-environment' } }));
    for (const env of [undefined, 'development', 'test']) await withNodeEnv(env, () => expressTracks([PricingTracks]));
  });

  it('reads NODE_ENV when the middleware is created, not per request', async () => {
    const app = express().use(await withNodeEnv('development', () => expressTracks([PricingTracks])));
    app.get('/', (req, res) => void res.send(req.tracks.get(PricingTracks).name));
    const res = await withNodeEnv('production', () => request(app).get('/').set('User-Agent', BROWSER).expect(200));
    expect(['control', 'cheap', 'expensive']).to.include(res.text);
  });

  it('serves unsigned cookies in production when the app opts out with editableByVisitors: true', async () => {
    const middleware = await withNodeEnv('production', () => expressTracks([PricingTracks], { cookie: { editableByVisitors: true } }));
    const app = express().use(middleware);
    app.get('/', (req, res) => void res.send(req.tracks.get(PricingTracks).name));
    const res = await request(app).get('/').set('User-Agent', BROWSER).expect(200);
    const sticky = setCookies(res).find((c) => c.name === 'tracks');
    expect(sticky, 'the sticky cookie').to.not.equal(undefined);
    // Unsigned: the payload alone, with no `.signature` after it.
    expect(sticky!.value).to.not.include('.');
  });

  it('refuses the opt-out together with a secret, and an opt-out that is not a boolean', async () => {
    const both = await refusal(() => expressTracks([PricingTracks], { cookie: { secret: 's', editableByVisitors: true } }));
    expect(both.message).to.equal(
      'option cookie.editableByVisitors is invalid: true (a secret is set, so the cookies are signed and not editable: remove one of the two)',
    );
    const yes = await refusal(() => expressTracks([PricingTracks], { cookie: { editableByVisitors: 'yes' as never } }));
    expect(yes.message).to.equal('option cookie.editableByVisitors is invalid: "yes" (expected true or false)');
    expect(() => expressTracks([PricingTracks], { cookie: { secret: 's', editableByVisitors: false } })).not.to.throw();
  });

  it('refuses an empty or blank secret, alone or in a list, in every environment', async () => {
    for (const secret of ['', ' ', '\t\n', ['current', '  ']]) {
      const error = await refusal(() => expressTracks([PricingTracks], { cookie: { secret } }));
      expect(error.code).to.equal('ERR_TRACKS_INVALID_OPTION');
      expect(error.message).to.include('option cookie.secret is invalid').and.include('not blank');
    }
  });
});

describe('cookie.maxAge', () => {
  const DAY = 24 * 3600;

  it('accepts up to 400 days, the most RFC 6265bis lets a browser keep a cookie', () => {
    expect(() => expressTracks([PricingTracks], { cookie: { secret: 's', maxAge: 400 * DAY } })).not.to.throw();
  });

  it('refuses more than 400 days, saying it is in seconds (a year in milliseconds is the usual slip)', async () => {
    for (const maxAge of [400 * DAY + 1, 365 * DAY * 1000]) {
      const error = await refusal(() => expressTracks([PricingTracks], { cookie: { secret: 's', maxAge } }));
      expect(error.code).to.equal('ERR_TRACKS_INVALID_OPTION');
      expect(error.message).to.equal(
        `option cookie.maxAge is invalid: ${maxAge} (at most 34560000 seconds: RFC 6265bis caps Max-Age at 400 days; it is in seconds, not milliseconds)`,
      );
    }
  });
});
