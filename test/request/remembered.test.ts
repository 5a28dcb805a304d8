// A returning visitor's sets answered straight from their cookie (`RequestTracks`' `#remembered`) give what the whole way gives.
import { expect } from 'chai';
import express from 'express';
import request, { type Response } from 'supertest';
import { tracks } from '../../adapters/express.js';
import { MemoryControls } from '../../src/controls/index.js';
import { MultiAssignment, SimpleTrackSet, type AnySetClass, type Assignment, type ExposureEvent, type Options } from '../../src/index.js';
import type { Request } from 'express';
import { carry } from '../adapters/cookies.js';
import { DelayTracks, Experiments, PinnedTracks, PricingTracks, WeightedTracks, type ShopContext } from '../adapters/sets.js';

class SwitchedOff extends SimpleTrackSet {
  static override setName = 'switched-off';
  static override disabled = true;
  static onTrack(): void {}
}

/** `weighted` switched off, and pinned, after visitors were given its variants. */
class WeightedOff extends SimpleTrackSet {
  static override setName = 'weighted';
  static override disabled = true;
  static aTrack(): void {}
  static bTrack(): void {}
}
class WeightedPinned extends SimpleTrackSet {
  static override setName = 'weighted';
  static override pinned = 'a';
  static aTrack(): void {}
  static bTrack(): void {}
}

/** Every kind the request layer tells apart: plain sets, one checking eligibility, a multi set and its members, pinned, disabled. */
const SETS: readonly AnySetClass[] = [PricingTracks, DelayTracks, WeightedTracks, Experiments, PinnedTracks, SwitchedOff];
const READ: readonly AnySetClass[] = [...SETS, ...Experiments.trackSets];

type Summary = Record<string, unknown>;

/** What the route answers. */
interface Answer {
  peeked: Summary[];
  got: Summary[];
  again: Summary[];
  emitted: Summary[];
  listed: string[];
}

const answer = (res: Response): Answer => res.body as Answer;

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

function summary(result: Assignment | MultiAssignment): Summary {
  if (result instanceof MultiAssignment) {
    return { setName: result.setName, member: result.trackSet?.setName ?? null, reason: result.reason, track: result.track && summary(result.track) };
  }
  const { setName, name, reason, key, isEligible, isExposure, persisted } = result;
  return { setName, name, reason, key, isEligible, isExposure, persisted };
}

/** How an app differs from the plain one. */
interface AppOptions {
  /** A run-time controls source (an empty one changes no answer but sends every `get` the whole way). */
  controls?: MemoryControls;
  sets?: readonly AnySetClass[];
  /** No secret: unsigned cookies. */
  unsigned?: boolean;
  /** The route sends its headers before it reads a set. */
  late?: boolean;
}

/**
 * An app whose route peeks at every set, then gets each (peeks take the whole way, whatever the
 * request), and answers both with the exposures this request emitted.
 */
function makeApp({ controls, sets = SETS, unsigned = false, late = false }: AppOptions = {}): express.Express {
  const exposures: Array<ExposureEvent<Request>> = [];
  const options: Options<Request> = {
    key: { header: 'x-user' },
    cookie: unsigned ? {} : { secret: 'remembered-test-secret-0123456789' },
    context: (req): ShopContext => ({ vip: req.headers['x-vip'] === '1' }),
    onExposure: (event) => void exposures.push(event),
    ...(controls ? { controls } : {}),
  };
  const app = express();
  app.use(tracks(sets, options));
  app.get('/', (req, res) => {
    exposures.length = 0;
    if (late) res.writeHead(200, { 'content-type': 'application/json' });
    const read = sets === SETS ? READ : sets;
    const peeked = read.map((set) => summary(req.tracks.peek(set)));
    const got = read.map((set) => summary(req.tracks.get(set)));
    const again = read.map((set) => summary(req.tracks.get(set)));
    const emitted = exposures.map(({ setName, variant, reason, key, firstExposure, multiSetName }) => ({
      setName,
      variant,
      reason,
      key,
      firstExposure,
      multiSetName,
    }));
    const body = { peeked, got, again, emitted, listed: req.tracks.assignments().map((a) => a.setName) };
    if (late) res.end(JSON.stringify(body));
    else res.json(body);
  });
  return app;
}

const find = (list: Summary[], setName: string): Summary => list.find((s) => s.setName === setName)!;

describe('a returning visitor whose sets the cookie remembers', function () {
  this.timeout(30_000);
  const plain = makeApp();
  const whole = makeApp({ controls: new MemoryControls() });
  /** Users (some VIPs, kept out of `delay`) and anonymous visitors, each with the cookies of a first visit. */
  const visitors = Array.from({ length: 24 }, (_, i) => ({
    headers: { 'user-agent': BROWSER, ...(i % 4 === 3 ? {} : { 'x-user': `remembered-${i}` }), ...(i % 5 === 0 ? { 'x-vip': '1' } : {}) },
  }));

  it('gets what a peek and a request with run-time controls (the whole way) get, with the same exposures', async () => {
    let sticky = 0;
    for (const { headers } of visitors) {
      const first = await request(plain).get('/').set(headers).expect(200);
      const cookie = carry(first);
      expect(cookie).to.include('tracks=');
      const fast = await request(plain).get('/').set(headers).set('cookie', cookie).expect(200);
      const slow = await request(whole).get('/').set(headers).set('cookie', cookie).expect(200);
      // Nothing changed: no cookie written again by either app.
      expect(fast.headers['set-cookie']).to.equal(undefined);
      expect(slow.headers['set-cookie']).to.equal(undefined);
      expect(answer(fast).got).to.deep.equal(answer(fast).peeked);
      expect(answer(fast).got).to.deep.equal(answer(slow).got);
      expect(answer(fast).again).to.deep.equal(answer(fast).got);
      expect(answer(fast).emitted).to.deep.equal(answer(slow).emitted);
      expect(answer(fast).listed).to.deep.equal(READ.map((set) => set.setName));
      const got = answer(fast).got;
      // Every exposure the request's gets carry was emitted, once: the sets' own and a multi set's track.
      const exposed = got.flatMap((s) =>
        s.isExposure === true ? [s.setName] : s.track && (s.track as Summary).isExposure ? [(s.track as Summary).setName] : [],
      );
      expect(answer(fast).emitted.map((e) => e.setName)).to.have.members([...new Set(exposed)]);
      sticky += got.filter((s) => s.reason === 'sticky').length;
      expect(got.find((s) => s.setName === 'pricing')!.reason).to.equal('sticky');
      expect(got.find((s) => s.setName === 'pinned')!.reason).to.equal('pinned');
      expect(got.find((s) => s.setName === 'switched-off')!.reason).to.equal('disabled');
      expect(got.find((s) => s.setName === 'delay')!.reason).to.equal(headers['x-vip'] === '1' ? 'ineligible' : 'sticky');
    }
    // Plain sets, the multi set and its chosen member come from the cookie for every visitor.
    expect(sticky).to.be.greaterThan(visitors.length * 3);
  });

  it('answers a request whose cookie is someone else’s the whole way: fresh variants for the identity, a new cookie', async () => {
    const first = await request(plain).get('/').set('x-user', 'remembered-owner').expect(200);
    const cookie = carry(first);
    const other = await request(plain).get('/').set('x-user', 'remembered-other').set('cookie', cookie).expect(200);
    const got = answer(other).got;
    expect(got.find((s) => s.setName === 'pricing')).to.include({ reason: 'hash', key: 'remembered-other' });
    expect(answer(other).got).to.deep.equal(answer(other).peeked);
    expect(carry(other)).to.include('tracks=');
  });

  it('answers the whole way what the cookie no longer decides: a user now kept out, a set now switched off or pinned', async () => {
    const headers = { 'user-agent': BROWSER, 'x-user': 'remembered-later' };
    const first = await request(plain).get('/').set(headers).expect(200);
    const cookie = carry(first);
    const before = answer(first).got.filter((s) => s.setName === 'delay' || s.setName === 'weighted');
    expect(before.map((s) => s.reason)).to.deep.equal(['hash', 'hash']);
    const vip = await request(plain).get('/').set(headers).set('x-vip', '1').set('cookie', cookie).expect(200);
    expect(answer(vip).got.find((s) => s.setName === 'delay')).to.include({ name: 'control', reason: 'ineligible' });
    expect(answer(vip).got).to.deep.equal(answer(vip).peeked);
    for (const [cls, reason, name] of [
      [WeightedOff, 'disabled', 'control'],
      [WeightedPinned, 'pinned', 'a'],
    ] as const) {
      const later = makeApp({ sets: [PricingTracks, cls] });
      const res = await request(later).get('/').set(headers).set('cookie', cookie).expect(200);
      expect(answer(res).got.find((s) => s.setName === 'weighted')).to.include({ name, reason });
      expect(answer(res).got.find((s) => s.setName === 'pricing')).to.include({ reason: 'sticky' });
      expect(answer(res).got).to.deep.equal(answer(res).peeked);
    }
  });

  it('answers the whole way a request where more than the cookie decides: a bot, a forced variant, run-time controls', async () => {
    const anonymous = await request(plain).get('/').set('user-agent', BROWSER).expect(200);
    const cookie = carry(anonymous);
    expect(cookie).to.include('tracks_id=');
    const bot = await request(plain).get('/').set('user-agent', 'Googlebot/2.1 (+http://www.google.com/bot.html)').set('cookie', cookie).expect(200);
    expect(answer(bot).got.map((s) => s.reason)).to.deep.equal(READ.map(() => 'bot'));
    expect(answer(bot).emitted).to.deep.equal([]);

    const headers = { 'user-agent': BROWSER, 'x-user': 'remembered-qa' };
    const first = await request(plain).get('/').set(headers).expect(200);
    const own = find(answer(first).got, 'pricing').name === 'cheap' ? 'expensive' : 'cheap';
    const forced = await request(plain).get(`/?tracks=pricing:${own}`).set(headers).set('cookie', carry(first)).expect(200);
    expect(find(answer(forced).got, 'pricing')).to.include({ name: own, reason: 'forced' });
    // The forced entry stays in the cookie: the next request without the query is forced still.
    const after = await request(plain).get('/').set(headers).set('cookie', carry(first, forced)).expect(200);
    expect(find(answer(after).got, 'pricing')).to.include({ name: own, reason: 'forced' });
    expect(find(answer(after).got, 'weighted')).to.include({ reason: 'sticky' });
    expect(answer(after).got).to.deep.equal(answer(after).peeked);

    const controls = new MemoryControls({ weighted: { disabled: true }, pricing: { pinned: own } });
    const controlled = await request(makeApp({ controls })).get('/').set(headers).set('cookie', carry(first)).expect(200);
    expect(find(answer(controlled).got, 'weighted')).to.include({ name: 'control', reason: 'disabled' });
    expect(find(answer(controlled).got, 'pricing')).to.include({ name: own, reason: 'pinned' });
    expect(find(answer(controlled).got, 'delay')).to.include({ reason: 'sticky' });
  });

  it('does not count as an exposure a variant read after the headers went out for an identity made then (unsigned cookie, no id)', async () => {
    const unsigned = makeApp({ unsigned: true, sets: [PricingTracks] });
    const first = await request(unsigned).get('/').set('user-agent', BROWSER).expect(200);
    // The sticky cookie alone: the id's cookie lost, so this request makes a new id, which it can no longer send.
    const sticky = carry(first)
      .split('; ')
      .filter((pair) => pair.startsWith('tracks='))
      .join('; ');
    expect(sticky).to.match(/^tracks=/);
    const late = await request(makeApp({ unsigned: true, sets: [PricingTracks], late: true }))
      .get('/')
      .set('user-agent', BROWSER)
      .set('cookie', sticky)
      .expect(200);
    const got = find(answer(late).got, 'pricing');
    expect(got).to.include({ name: find(answer(first).got, 'pricing').name, reason: 'sticky', persisted: false, isExposure: false });
    expect(answer(late).emitted).to.deep.equal([]);
    expect(late.headers['set-cookie']).to.equal(undefined);
  });
});
