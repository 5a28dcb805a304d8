// One request that reads more sets than the request keeps room for up front, and than `get` finds by a scan: order, repeats, exposures, the cookie.
import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { tracks } from '../../adapters/express.js';
import { SimpleTrackSet, type AnySetClass, type ExposureEvent } from '../../src/index.js';
import type { Request } from 'express';
import { carry } from '../adapters/cookies.js';

function makeSet(name: string): AnySetClass {
  const cls = class extends SimpleTrackSet {
    static aTrack(): void {}
    static bTrack(): void {}
  };
  (cls as { setName?: string }).setName = name;
  return cls;
}

const SETS = Array.from({ length: 10 }, (_, i) => makeSet(`rs-${i}`));

function makeApp(exposures: ExposureEvent<Request>[]): express.Express {
  const app = express();
  app.use(tracks(SETS, { key: { header: 'x-user' }, cookie: { secret: 'read-sets-test-secret' }, onExposure: (e) => void exposures.push(e) }));
  app.get('/', (req, res) => {
    const first = SETS.map((set) => req.tracks.get(set));
    // Read again, in another order: the same objects, no new exposure, no new entry.
    const again = [...SETS].reverse().map((set) => req.tracks.get(set));
    const listed = req.tracks.assignments();
    listed.pop(); // a copy: the request's own list is unchanged
    res.json({
      names: first.map((a) => a.setName),
      reasons: first.map((a) => a.reason),
      same: again.reverse().every((a, i) => a === first[i]),
      listed: req.tracks.assignments().map((a) => a.setName),
    });
  });
  return app;
}

describe('a request that reads ten sets', () => {
  it('lists them once each, in the order read, and gives the same assignment on a repeat', async () => {
    const exposures: ExposureEvent<Request>[] = [];
    const res = await request(makeApp(exposures)).get('/').set('x-user', 'u-42');
    const names = SETS.map((set) => (set as { setName?: string }).setName);
    expect(res.body).to.deep.equal({ names, reasons: Array(10).fill('hash'), same: true, listed: names });
    expect(exposures.map((e) => e.setName)).to.deep.equal(names);
  });

  it('remembers all ten in the cookie, so the next request gets each of them back as sticky', async () => {
    const exposures: ExposureEvent<Request>[] = [];
    const app = makeApp(exposures);
    const first = await request(app).get('/').set('x-user', 'u-43');
    const second = await request(app).get('/').set('x-user', 'u-43').set('cookie', carry(first));
    expect((second.body as { reasons: string[] }).reasons).to.deep.equal(Array(10).fill('sticky'));
    expect(exposures.slice(10).map((e) => [e.setName, e.firstExposure])).to.deep.equal(
      SETS.map((set) => [(set as { setName?: string }).setName, false]),
    );
  });
});
