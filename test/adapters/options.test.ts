// Setup-time validation through each adapter: mistakes throw at once, naming the option.
import { expect } from 'chai';
import Fastify from 'fastify';
import { tracks as expressTracks } from '../../adapters/express.js';
import { tracks as fastifyTracks } from '../../adapters/fastify.js';
import { tracks as koaTracks } from '../../adapters/koa.js';
import { SimpleTrackSet, TracksError, type AnySetClass } from '../../src/index.js';
import { DelayTracks, PricingTracks } from './sets.js';

class OtherDelay extends SimpleTrackSet {
  static override setName = 'delay';
  static aTrack(): void {}
}

/** Options as a user might mistype them: the types would catch most, so they are bypassed here. */
const mistakes: Array<[string, unknown, string]> = [
  ['an unknown option', { keys: { header: 'x' } }, 'option keys is unknown'],
  ['an unknown cookie option', { cookie: { maxage: 10 } }, 'option cookie.maxage is unknown'],
  ['an unknown override option', { override: { params: 'ab' } }, 'option override.params is unknown'],
  ['a negative maxAge', { cookie: { maxAge: -1 } }, 'option cookie.maxAge is invalid: -1'],
  ['an empty secret', { cookie: { secret: ['new', ''] } }, 'option cookie.secret is invalid: ["new",""]'],
  ['a cookie name with a space', { cookie: { name: 'my tracks' } }, 'option cookie.name is invalid: "my tracks"'],
  ['the same name for both cookies', { cookie: { name: 'ab', anonymousName: 'ab' } }, 'option cookie.anonymousName is invalid: "ab"'],
  ['an unknown sameSite', { cookie: { sameSite: 'lenient' } }, 'option cookie.sameSite is invalid: "lenient"'],
  ['sameSite none without Secure', { cookie: { sameSite: 'none', secure: false } }, 'option cookie.secure is invalid: false'],
  ['a cache policy that does not exist', { cache: 'public' }, 'option cache is invalid: "public"'],
  ['a bots option that is a string', { bots: 'yes' }, 'option bots is invalid: "yes"'],
  ['a bots scope that does not exist', { bots: { scope: 'everyone' } }, 'option bots.scope is invalid: "everyone"'],
  ['a bots detector that is a string', { bots: { detect: 'isbot' } }, 'option bots.detect is invalid: "isbot"'],
  ['an unknown bots option', { bots: { scop: 'all' } }, 'option bots.scop is unknown'],
  ['an onExposure that is not a function', { onExposure: 'log' }, 'option onExposure is invalid: "log"'],
  ['an allow that is not a function', { override: { allow: true } }, 'option override.allow is invalid: true'],
  ['an unknown key source', { key: { query: 'uid' } }, 'option key is invalid: {"query":"uid"}'],
  ['an unknown key source in a list', { key: [{ header: 'x-user-id' }, { param: 'id' }] }, 'option key[1] is invalid: {"param":"id"}'],
  ['a key source with two kinds', { key: { cookie: 'uid', header: 'x-user-id' } }, 'option key is invalid'],
  ['an empty header name', { key: [{ header: '' }] }, 'option key[0].header is invalid: ""'],
  ['options that are not an object', 'strict', 'option options is invalid: "strict"'],
];

function thrown(run: () => unknown): TracksError {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(TracksError);
    return error as TracksError;
  }
  throw new Error('expected a TracksError');
}

describe('adapter options', () => {
  for (const [label, options, message] of mistakes) {
    it(`rejects ${label} at setup, naming the option`, () => {
      const error = thrown(() => expressTracks([DelayTracks], options as never));
      expect(error.code).to.equal('ERR_TRACKS_INVALID_OPTION');
      expect(error.message).to.include(message);
    });
  }

  it('rejects an empty list of sets, two sets with one name, and a class that is not a set', () => {
    expect(thrown(() => expressTracks([])).message).to.include('option sets is invalid');
    expect(thrown(() => expressTracks([DelayTracks, OtherDelay])).message).to.include('"delay"');
    expect(thrown(() => expressTracks([DelayTracks, PricingTracks, PricingTracks])).message).to.include('"pricing"');
    expect(thrown(() => expressTracks([class NotASet {} as unknown as AnySetClass])).message).to.include('NotASet');
  });

  it('rejects the same mistakes in the Koa middleware and the Fastify plugin', async () => {
    expect(thrown(() => koaTracks([DelayTracks], { cookie: { maxAge: 0 } })).message).to.include('option cookie.maxAge is invalid: 0');
    const app = Fastify();
    let error: unknown = null;
    try {
      await app.register(fastifyTracks, { sets: [DelayTracks], cookie: { maxAge: 0 } });
    } catch (e) {
      error = e;
    }
    await app.close();
    expect(error).to.be.instanceOf(TracksError);
    expect((error as TracksError).message).to.include('option cookie.maxAge is invalid: 0');
  });

  it('accepts Fastify’s own registration options alongside its own', async () => {
    const app = Fastify();
    await app.register(fastifyTracks, { sets: [DelayTracks], prefix: '/x', logLevel: 'warn' } as never);
    await app.close();
  });
});
