// Visitors whose browsers send 12 kB of the site's other cookies, through a real Koa server: what tracks-ab keeps of their cookies stays within its bounds.
import { expect } from 'chai';
import { Agent, request } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Options } from '../../src/index.js';
import { Delay, startStoreApp, type RunningApp } from '../support/store-apps.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const VISITORS = 4_000;
const EARLY = VISITORS / 5;
const CONCURRENCY = 8;
/** Another cookie of the site (analytics, a session, consent...), sent with every request. */
const SITE_COOKIE = `site=${'s'.repeat(12_000)}`;

/** Heap in use after two full collections, in MiB. */
function heapMiB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** One GET with `headers`: its status and the `name=value` of each Set-Cookie. */
function get(app: RunningApp, agent: Agent, headers: Record<string, string>): Promise<{ status: number; cookies: string[] }> {
  const port = Number(new URL(app.url).port);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/both', agent, headers }, (res) => {
      res.resume();
      const cookies = (res.headers['set-cookie'] ?? []).map((line) => line.slice(0, line.indexOf(';')));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, cookies }));
    });
    req.once('error', reject);
    req.end();
  });
}

/**
 * Runs each visitor's first visit and their return (with the cookies the first gave them, beside
 * the site's 12 kB cookie), 8 at a time; the heap is read after the first fifth of the visitors
 * and after all of them. Returns the growth in MiB.
 */
async function heapGrowth(options: Options<unknown>, first: (i: number) => Record<string, string>): Promise<number> {
  const app = await startStoreApp('koa', Delay, options);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  const visitor = async (i: number): Promise<void> => {
    const headers = first(i);
    const visit = await get(app, agent, headers);
    expect(visit.status).to.equal(200);
    expect(visit.cookies.some((c) => c.startsWith('tracks='))).to.equal(true);
    const again = await get(app, agent, { ...headers, cookie: [headers.cookie, ...visit.cookies].join('; ') });
    expect(again.status).to.equal(200);
    // A returning visitor's cookie was read and kept: nothing to write again.
    expect(again.cookies).to.deep.equal([]);
  };
  const run = async (upTo: number): Promise<void> => {
    const worker = async (): Promise<void> => {
      while (next < upTo) await visitor(next++);
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  };
  try {
    await run(EARLY);
    const early = heapMiB();
    await run(VISITORS);
    const late = heapMiB();
    console.log(`      heap after ${EARLY} visitors ${early.toFixed(1)} MiB, after ${VISITORS} ${late.toFixed(1)} MiB`);
    return late - early;
  } finally {
    agent.destroy();
    await app.close();
  }
}

describe('memory with 12 kB of other cookies in every request', function () {
  this.timeout(180_000);

  // Each returning visitor's sticky cookie (and id cookie) is verified once and remembered. A
  // remembered value cut from the Cookie header without a copy kept the whole header: 3,200 more
  // visitors then added about 40 MiB, beyond the memos' 8 MiB bound.
  it('keeps the heap flat over 4,000 anonymous visitors: the cookie and id memos keep only the values', async () => {
    const growth = await heapGrowth({}, () => ({ cookie: SITE_COOKIE }));
    expect(growth).to.be.below(12);
  });

  // The key itself is a cookie: remembered past the request (the verified cookie notes whose it is).
  it('keeps the heap flat over 4,000 users keyed by a cookie: the key kept is not a view of the header', async () => {
    const growth = await heapGrowth({ key: { cookie: 'uid' } }, (i) => ({ cookie: `${SITE_COOKIE}; uid=user-${String(i).padStart(12, '0')}` }));
    expect(growth).to.be.below(12);
  });
});
