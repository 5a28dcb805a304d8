// The middleware's `controls` option: the precedence rows of the controls, stickiness through a kill switch, refusals.
import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { tracks } from '../../adapters/express.js';
import { MemoryControls, SimpleTrackSet, TracksError, type ControlsSource, type ExposureEvent, type Options } from '../../src/index.js';
import type { Request } from 'express';
import { carry } from '../adapters/cookies.js';

class Delay extends SimpleTrackSet<{ vip: boolean }> {
  static override setName = 'mw-delay';
  static shortTrack(): void {}
  static longTrack(): void {}
  override isEligible(): boolean {
    return !this.context.vip;
  }
}

const USERS = Array.from({ length: 40 }, (_, i) => `visitor-${i}`);

function makeApp(controls: ControlsSource, exposures: ExposureEvent<Request>[] = [], extra: Options<Request> = {}): express.Express {
  const app = express();
  app.use(
    tracks([Delay], {
      key: { header: 'x-user' },
      context: (req) => ({ vip: req.headers['x-vip'] === '1' }),
      cookie: { secret: 'controls-test-secret' },
      controls,
      onExposure: (e) => void exposures.push(e),
      ...extra,
    }),
  );
  app.get('/delay', (req, res) => {
    const a = req.tracks.get(Delay);
    res.json({ name: a.name, reason: a.reason });
  });
  return app;
}

describe('the controls option of the middleware', () => {
  it('refuses a value that is no controls source, naming the option', () => {
    expect(() => tracks([Delay], { controls: 5 as unknown as ControlsSource })).to.throw(TracksError, 'option controls is invalid: 5');
    expect(() => tracks([Delay], { controls: {} as ControlsSource })).to.throw(TracksError, 'option controls is invalid: {}');
  });

  it('puts a disable and a pin above a QA override and eligibility, and a bot above both', async () => {
    const controls = new MemoryControls({ 'mw-delay': { disabled: true } });
    const app = makeApp(controls);
    const forced = await request(app).get('/delay?tracks=mw-delay:long').set('x-user', 'u1').set('x-vip', '1');
    expect(forced.body).to.deep.equal({ name: 'control', reason: 'disabled' });
    controls.set('mw-delay', { pinned: 'long' });
    const pinned = await request(app).get('/delay?tracks=mw-delay:short').set('x-user', 'u1').set('x-vip', '1');
    expect(pinned.body).to.deep.equal({ name: 'long', reason: 'pinned' });
    const bot = await request(app).get('/delay').set('user-agent', 'Googlebot/2.1 (+http://www.google.com/bot.html)');
    expect(bot.body).to.deep.equal({ name: 'control', reason: 'bot' });
    controls.delete('mw-delay');
    const again = await request(app).get('/delay?tracks=mw-delay:short').set('x-user', 'u1');
    expect(again.body).to.deep.equal({ name: 'short', reason: 'forced' });
  });

  it('gives every remembered user their own variant back, reason sticky, when a disable is lifted', async () => {
    const controls = new MemoryControls();
    const exposures: ExposureEvent<Request>[] = [];
    const app = makeApp(controls, exposures);
    const first = await Promise.all(USERS.map((u) => request(app).get('/delay').set('x-user', u)));
    expect(first.every((r) => (r.body as { reason: string }).reason === 'hash')).to.equal(true);
    controls.set('mw-delay', { disabled: true });
    const disabled = await Promise.all(USERS.map((u, i) => request(app).get('/delay').set('x-user', u).set('cookie', carry(first[i]!))));
    expect(disabled.map((r) => r.body as unknown)).to.deep.equal(USERS.map(() => ({ name: 'control', reason: 'disabled' })));
    expect(disabled.every((r) => r.headers['set-cookie'] === undefined)).to.equal(true);
    controls.set('mw-delay', { disabled: false });
    const back = await Promise.all(USERS.map((u, i) => request(app).get('/delay').set('x-user', u).set('cookie', carry(first[i]!))));
    expect(back.map((r) => r.body as unknown)).to.deep.equal(first.map((r) => ({ ...(r.body as object), reason: 'sticky' })));
    // Exposures: one per user before, none while disabled, one (not first) per user after.
    expect(exposures.map((e) => e.firstExposure)).to.deep.equal([...USERS.map(() => true), ...USERS.map(() => false)]);
  });

  it('keeps remembered users in their variant when coverage is lowered, and leaves new users out by coverage', async () => {
    const controls = new MemoryControls();
    const app = makeApp(controls);
    const first = await Promise.all(USERS.map((u) => request(app).get('/delay').set('x-user', u)));
    controls.set('mw-delay', { coverage: 0 });
    const remembered = await Promise.all(USERS.map((u, i) => request(app).get('/delay').set('x-user', u).set('cookie', carry(first[i]!))));
    expect(remembered.map((r) => (r.body as { name: string }).name)).to.deep.equal(first.map((r) => (r.body as { name: string }).name));
    const newcomers = await Promise.all(USERS.map((u) => request(app).get('/delay').set('x-user', `new-${u}`)));
    expect(newcomers.map((r) => r.body as unknown)).to.deep.equal(USERS.map(() => ({ name: 'control', reason: 'coverage' })));
  });

  it('ignores a control the set cannot take, reports it once, and serves the statics', async () => {
    const refused: string[] = [];
    const controls = new MemoryControls({}, { onError: (error) => refused.push(error.message) });
    // Written without `sets`, so the memory source cannot check variants: the middleware does.
    controls.set('mw-delay', { disabled: true, pinned: 'medium' });
    const app = makeApp(controls);
    const answers = await Promise.all(USERS.slice(0, 5).map((u) => request(app).get('/delay').set('x-user', u)));
    expect(answers.map((r) => r.status)).to.deep.equal([200, 200, 200, 200, 200]);
    expect(answers.every((r) => (r.body as { reason: string }).reason === 'hash')).to.equal(true);
    expect(refused).to.deep.equal(['track set "mw-delay": control pinned is invalid: "medium" (variants: control, long, short)']);
  });

  it('refuses at write time, with sets, a control naming an unknown set or variant, changing nothing', () => {
    const controls = new MemoryControls({ 'mw-delay': { coverage: 0.5 } }, { sets: [Delay] });
    expect(() => controls.set('mw-dealy', { disabled: true })).to.throw(
      TracksError,
      'set "mw-dealy" is unknown (did you mean "mw-delay"? sets: mw-delay)',
    );
    expect(() => controls.set('mw-delay', { disabled: true, pinned: 'lnog' })).to.throw(TracksError, 'did you mean "long"?');
    expect(controls.entries()).to.deep.equal([['mw-delay', { coverage: 0.5 }]]);
  });

  it('survives a source whose get throws: the statics apply and the request is served', async () => {
    const errors: string[] = [];
    const source: ControlsSource = {
      get() {
        throw new Error('broken');
      },
      refused: (error) => errors.push(error.message),
    };
    const res = await request(makeApp(source)).get('/delay').set('x-user', 'u1');
    expect(res.status).to.equal(200);
    expect((res.body as { reason: string }).reason).to.equal('hash');
    expect(errors).to.have.length(1);
  });
});
