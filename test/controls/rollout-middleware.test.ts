// Rollout and pause through real apps: enrolled users keep a paused variant or a closed member, new users never get them.
import { expect } from 'chai';
import Fastify from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import express from 'express';
import Koa from 'koa';
import type request from 'supertest';
import { assign, MemoryControls, MultiTrackSet, SimpleTrackSet, type Tracks } from '../../src/index.js';
import type { MakeApp, RouteSpec } from '../adapters/app-spec.js';
import { expressApp } from '../adapters/express-app.js';
import { fastifyApp } from '../adapters/fastify-app.js';
import { koaApp } from '../adapters/koa-app.js';
import { Harness } from '../adapters/harness.js';
import { nodeApp } from '../adapters/node-app.js';

class Offer extends SimpleTrackSet {
  static override setName = 'rm-offer';
  static cheapTrack(): void {}
  static freeTrack(): void {}
}
class Hero extends SimpleTrackSet {
  static override setName = 'rm-hero';
  static bigTrack(): void {}
  static smallTrack(): void {}
}
class Footer extends SimpleTrackSet {
  static override setName = 'rm-footer';
  static darkTrack(): void {}
}
class Page extends MultiTrackSet {
  static override setName = 'rm-page';
  static override trackSets = [Hero, Footer];
}

interface Seen {
  offer: { name: string; reason: string };
  page: { member: string | null; name: string; reason: string };
  hero: { name: string; reason: string };
}

const ROUTES: RouteSpec[] = [
  {
    path: '/seen',
    handler: (t: Tracks): Seen => {
      const offer = t.get(Offer);
      const page = t.get(Page);
      const hero = t.get(Hero);
      return {
        offer: { name: offer.name, reason: offer.reason },
        page: { member: page.trackSetName, name: page.name, reason: page.reason },
        hero: { name: hero.name, reason: hero.reason },
      };
    },
  },
];

const USERS = Array.from({ length: 32 }, (_, i) => `old-${i}`);
const NEWCOMERS = Array.from({ length: 32 }, (_, i) => `new-${i}`);

const FRAMEWORKS: Array<[string, MakeApp]> = [
  ['express', expressApp(express)],
  ['fastify', fastifyApp(Fastify, fastifyCookie, fastifySession)],
  ['koa', koaApp(Koa)],
  ['node:http', nodeApp],
];

for (const [name, makeApp] of FRAMEWORKS) {
  describe(`rollout and pause through ${name}`, function () {
    this.timeout(60_000);
    const harness = new Harness(makeApp);
    beforeEach(() => harness.reset());
    afterEach(() => harness.closeAll());

    async function visit(agent: request.Agent, key: string): Promise<Seen> {
      const res = await agent.get('/seen').set('x-user', key).expect(200);
      return res.body as Seen;
    }

    it('keeps a paused variant for the enrolled (cookie), gives it to no newcomer, and moves nobody else', async () => {
      const controls = new MemoryControls({}, { sets: [Offer, Page] });
      const client = await harness.start([Offer, Page], { key: { header: 'x-user' }, controls }, ROUTES);
      const agents = USERS.map(() => client.agent());
      const first = await Promise.all(USERS.map((u, i) => visit(agents[i]!, u)));
      controls.set('rm-offer', { paused: ['free'] });
      const again = await Promise.all(USERS.map((u, i) => visit(agents[i]!, u)));
      expect(again.map((s) => s.offer)).to.deep.equal(first.map((s) => ({ name: s.offer.name, reason: 'sticky' })));
      const fresh = await Promise.all(NEWCOMERS.map((u) => visit(client.agent(), u)));
      const unpaused = NEWCOMERS.map((key) => assign(Offer, { key }).name);
      expect(fresh.filter((s) => s.offer.name === 'free')).to.have.length(0);
      // Every newcomer whose hash is not in the paused range gets what the hash gives; the rest, another open variant.
      NEWCOMERS.forEach((_k, i) => {
        if (unpaused[i] !== 'free') expect(fresh[i]!.offer).to.deep.equal({ name: unpaused[i], reason: 'hash' });
      });
      expect(unpaused.filter((n) => n === 'free').length).to.be.above(5);
      expect(fresh.map((s) => s.offer.name)).to.deep.equal(NEWCOMERS.map((key) => assign(Offer, { key, controls }).name));
    });

    it('pins a member for everyone, keeps the enrolled in their member, and sends its newcomers to the open member', async () => {
      const controls = new MemoryControls({}, { sets: [Offer, Page] });
      const client = await harness.start([Offer, Page], { key: { header: 'x-user' }, controls }, ROUTES);
      const agents = USERS.map(() => client.agent());
      const first = await Promise.all(USERS.map((u, i) => visit(agents[i]!, u)));
      controls.set('rm-hero', { pinned: 'small' });
      const again = await Promise.all(USERS.map((u, i) => visit(agents[i]!, u)));
      expect(again.every((s) => s.hero.name === 'small' && s.hero.reason === 'pinned')).to.equal(true);
      expect(again.map((s) => s.page.member)).to.deep.equal(first.map((s) => s.page.member));
      const footer = first.filter((s) => s.page.member === 'rm-footer').length;
      expect(footer).to.be.above(10).and.below(38);
      const fresh = await Promise.all(NEWCOMERS.map((u) => visit(client.agent(), u)));
      expect(fresh.every((s) => s.page.member === 'rm-footer' && s.hero.name === 'small' && s.hero.reason === 'pinned')).to.equal(true);
      // Reads of the pinned member log nothing; the open member's newcomers are exposures as usual.
      const heroEvents = harness.events.filter((e) => e.assignment.setName === 'rm-hero');
      expect(heroEvents.length).to.equal(first.filter((s) => s.page.member === 'rm-hero').length);
    });

    it('disables a member: the enrolled get control from it, newcomers go elsewhere; the whole multi set can be disabled', async () => {
      const controls = new MemoryControls({}, { sets: [Offer, Page] });
      const client = await harness.start([Offer, Page], { key: { header: 'x-user' }, controls }, ROUTES);
      const agents = USERS.map(() => client.agent());
      const first = await Promise.all(USERS.map((u, i) => visit(agents[i]!, u)));
      controls.set('rm-footer', { disabled: true });
      const again = await Promise.all(USERS.map((u, i) => visit(agents[i]!, u)));
      again.forEach((s, i) => {
        expect(s.page.member).to.equal(first[i]!.page.member);
        if (s.page.member === 'rm-footer') expect([s.page.name, s.page.reason]).to.deep.equal(['control', 'sticky']);
        else expect(s.hero).to.deep.equal({ name: first[i]!.hero.name, reason: 'sticky' });
      });
      const fresh = await Promise.all(NEWCOMERS.map((u) => visit(client.agent(), u)));
      expect(fresh.every((s) => s.page.member === 'rm-hero')).to.equal(true);
      controls.set('rm-page', { disabled: true });
      const off = await Promise.all(USERS.map((u, i) => visit(agents[i]!, u)));
      expect(off.every((s) => s.page.member === null && s.page.reason === 'disabled' && s.hero.reason === 'disabled')).to.equal(true);
    });
  });
}
