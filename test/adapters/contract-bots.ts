// Contract: bot detection applies to anonymous visitors (or to all, by option); no User-Agent is a bot.
import { expect } from 'chai';
import { assign } from '../../src/index.js';
import type { Harness } from './harness.js';
import type { AssignmentView } from './sets.js';
import { DelayTracks } from './sets.js';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
/** HTTP clients a server-side tier (an Android app's back end, a BFF) calls the app with. */
const CLIENTS = ['okhttp/4.12.0', 'node', 'python-requests/2.32.3', GOOGLEBOT];

const reasonOf = (res: { body: unknown }): string => (res.body as AssignmentView).reason;

export function botSpecs(h: Harness): void {
  describe('bots', () => {
    it('treats a request with a key from a configured source as a user, whatever its client', async () => {
      const client = await h.start([DelayTracks], { key: { header: 'x-user-id' } });
      for (const ua of CLIENTS) {
        const res = await client.get('/delay').set('x-user-id', 'pat').set('User-Agent', ua).expect(200);
        expect(res.body, ua).to.include({ key: 'pat', reason: 'hash', name: assign(DelayTracks, { key: 'pat', context: { vip: false } }).name });
        const anonymous = await client.get('/delay').set('User-Agent', ua).expect(200);
        expect(reasonOf(anonymous), ua).to.equal('bot');
        expect(anonymous.headers['set-cookie'], ua).to.equal(undefined);
      }
      expect(h.events.map((e) => e.key)).to.deep.equal(CLIENTS.map(() => 'pat'));
    });

    it('treats an anonymous request without a User-Agent as a bot, and a user without one as a user', async () => {
      const client = await h.start([DelayTracks], { key: { header: 'x-user-id' } });
      const anonymous = await client.get('/delay').unset('User-Agent').expect(200);
      expect(anonymous.body).to.include({ name: 'control', reason: 'bot', isExposure: false });
      expect(anonymous.headers['set-cookie']).to.equal(undefined);
      expect(reasonOf(await client.get('/delay').set('User-Agent', '  ').expect(200))).to.equal('bot');
      expect(reasonOf(await client.get('/delay').unset('User-Agent').set('x-user-id', 'pat').expect(200))).to.equal('hash');
    });

    it("checks every request with scope: 'all', for apps whose key answers for crawlers too", async () => {
      const client = await h.start([DelayTracks], { key: { header: 'x-forwarded-for' }, bots: { scope: 'all' } });
      const crawler = await client.get('/delay').set('x-forwarded-for', '66.249.66.1').set('User-Agent', GOOGLEBOT).expect(200);
      expect(crawler.body).to.include({ reason: 'bot', key: null });
      expect(reasonOf(await client.get('/delay').set('x-forwarded-for', '66.249.66.1').unset('User-Agent').expect(200))).to.equal('bot');
      expect(reasonOf(await client.get('/delay').set('x-forwarded-for', '203.0.113.7').expect(200))).to.equal('hash');
      const custom = await h.start([DelayTracks], { key: { header: 'x-user-id' }, bots: { detect: (ua) => ua.startsWith('qa-'), scope: 'all' } });
      expect(reasonOf(await custom.get('/delay').set('x-user-id', 'pat').set('User-Agent', 'qa-crawler').expect(200))).to.equal('bot');
      expect(reasonOf(await custom.get('/delay').set('x-user-id', 'pat').set('User-Agent', GOOGLEBOT).expect(200))).to.equal('hash');
      const off = await h.start([DelayTracks], { bots: { detect: false } });
      expect(reasonOf(await off.get('/delay').unset('User-Agent').expect(200))).to.equal('hash');
    });
  });
}
