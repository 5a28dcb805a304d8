// The console's options are checked at start-up: unknown names, wrong types, a short token, a bad base path.
import { expect } from 'chai';
import { PGlite } from '@electric-sql/pglite';
import { tracksConsole, type ConsoleOptions } from '../../src/console/index.js';
import { TracksError } from '../../src/index.js';

function refusal(options: unknown): string {
  try {
    tracksConsole(options as ConsoleOptions);
  } catch (error) {
    expect(error).to.be.instanceOf(TracksError);
    expect((error as TracksError).code).to.equal('ERR_TRACKS_INVALID_OPTION');
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('tracksConsole options', () => {
  const db = { query: () => Promise.resolve({ rows: [] }) } as unknown as PGlite;

  it('refuses an unknown option, naming it and the known ones', () => {
    expect(refusal({ db, tokne: 'x' })).to.match(/^option tokne is unknown \(known: db, sets, conversions,/);
  });

  it('refuses a missing client, a short token, a base path with a trailing slash, a hook that is no function', () => {
    expect(refusal({})).to.equal('option db is invalid: undefined (expected a client with query(text, params))');
    expect(refusal({ db, token: 'short' })).to.equal('option token is invalid: "…" (expected a string of 16 characters or more)');
    expect(refusal({ db, basePath: '/console/' })).to.match(/^option basePath is invalid: "\/console\/"/);
    expect(refusal({ db, allow: true })).to.equal('option allow is invalid: true (expected a function)');
    expect(refusal({ db, trafficDays: 0 })).to.match(/^option trafficDays is invalid: 0/);
    expect(refusal({ db, resultsMaxAgeSeconds: -1 })).to.match(/^option resultsMaxAgeSeconds is invalid: -1/);
    expect(refusal({ db, resultsMaxAgeSeconds: '60' })).to.match(/^option resultsMaxAgeSeconds is invalid: "60"/);
  });

  it('mounts under /console by default and matches only its own paths', () => {
    const handler = tracksConsole({ db });
    expect(handler.basePath).to.equal('/console');
    expect([handler.matches('/console'), handler.matches('/console/controls'), handler.matches('/consoles'), handler.matches('/')]).to.deep.equal([
      true,
      true,
      false,
      false,
    ]);
  });
});
