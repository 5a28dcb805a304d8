// Two app processes on one store (a PostgreSQL database, a Redis server), over real HTTP on each framework: one variant per user, whichever answers.
import { expect } from 'chai';
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { assign } from '../../src/index.js';
import { CACHE_TTL_MS, type Answer, type Request } from './store-app-protocol.js';
import { Delay, DelayReweighted, FRAMEWORKS, SECRET, type Framework, type Seen } from '../support/store-apps.js';
import { Signer } from '../../src/cookies/node-signer.js';
import { scenarioStores } from '../support/scenario-stores.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One app server process (store-app-process.ts), driven over IPC. */
class AppProcess {
  readonly #child: ChildProcess;
  readonly #answers: Answer[] = [];
  #wake: (() => void) | null = null;
  url = '';

  constructor(framework: Framework, weights: 'before' | 'after', databaseUrl: string) {
    this.#child = fork(join(__dirname, 'store-app-process.ts'), [framework, weights, databaseUrl], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child.on('message', (answer: Answer) => {
      this.#answers.push(answer);
      this.#wake?.();
    });
    this.#child.on('exit', () => this.#wake?.());
  }

  async next<T extends Answer['type']>(type: T): Promise<Extract<Answer, { type: T }>> {
    for (;;) {
      const at = this.#answers.findIndex((a) => a.type === type);
      if (at !== -1) return this.#answers.splice(at, 1)[0] as Extract<Answer, { type: T }>;
      if (this.#child.exitCode !== null) throw new Error(`the app process exited (${this.#child.exitCode}) before answering ${type}`);
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  async ready(): Promise<this> {
    this.url = (await this.next('listening')).url;
    return this;
  }

  ask<T extends Answer['type']>(message: Request, answer: T): Promise<Extract<Answer, { type: T }>> {
    this.#child.send(message);
    return this.next(answer);
  }

  get(path: string): request.Test {
    return request(this.url).get(path);
  }

  async close(): Promise<void> {
    if (this.#child.exitCode !== null || !this.#child.connected) return;
    await this.ask({ type: 'close' }, 'closed');
  }
}

/** Keys `<prefix>-0`, `<prefix>-1`… whose variant the weight change would move. */
function movedKeys(prefix: string, count: number): string[] {
  const keys: string[] = [];
  for (let i = 0; keys.length < count; i++) {
    const key = `${prefix}-${i}`;
    if (assign(Delay, { key }).name !== assign(DelayReweighted, { key }).name) keys.push(key);
  }
  return keys;
}

for (const backend of scenarioStores())
  describe(`two app processes on one ${backend.name} store`, function () {
    this.timeout(120_000);
    let url: string;

    before(async () => {
      url = await backend.open();
    });

    after(() => backend.close());

    const rows = (prefix: string): ReturnType<typeof backend.records> => backend.records('delay', `${prefix}-`);

    for (const framework of FRAMEWORKS) {
      describe(`on ${framework}`, () => {
        let a: AppProcess; // the set as launched
        let b: AppProcess; // after its weights changed
        before(async () => {
          [a, b] = await Promise.all([new AppProcess(framework, 'before', url).ready(), new AppProcess(framework, 'after', url).ready()]);
        });
        after(async () => {
          await Promise.all([a?.close(), b?.close()]);
        });

        it('keeps a user enrolled on one process on their variant when they come back to the other with no cookie, after the weights changed', async () => {
          const keys = movedKeys(`${framework}-moved`, 20);
          const enrolled = new Map<string, string>();
          for (const key of keys) {
            const body = (await a.get('/delay').set('x-user-id', key).expect(200)).body as Seen;
            expect(body.reason).to.equal('hash');
            enrolled.set(key, body.name);
          }
          expect((await a.ask({ type: 'flush' }, 'flushed')).ok).to.equal(true);
          for (const key of keys) {
            const body = (await b.get('/delay').set('x-user-id', key).expect(200)).body as Seen;
            expect(body, key).to.include({ name: enrolled.get(key), reason: 'sticky' });
          }
          expect((await rows(`${framework}-moved`)).map((r) => [r.user_key, r.variant, r.how])).to.deep.equal(
            [...enrolled].sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, v]) => [k, v, 'hash']),
          );
        });

        it('keeps the first record when both processes enrol the same users at once, and then both answer it', async () => {
          const keys = movedKeys(`${framework}-race`, 60);
          const answers = await Promise.all(
            keys.flatMap((key) => [a, b].map(async (p) => ((await p.get('/delay').set('x-user-id', key).expect(200)).body as Seen).name)),
          );
          await Promise.all([a.ask({ type: 'flush' }, 'flushed'), b.ask({ type: 'flush' }, 'flushed')]);
          const stored = await rows(`${framework}-race`);
          expect(stored.map((r) => r.user_key)).to.deep.equal([...keys].sort());
          // The store kept one whole record per user: the one written first. A process answered its
          // own hash while it raced, or the winner's once the other's record was there.
          const byKey = new Map(stored.map((r) => [r.user_key, r.variant]));
          keys.forEach((key, i) => {
            expect([assign(Delay, { key }).name, byKey.get(key)]).to.include(answers[2 * i]);
            expect([assign(DelayReweighted, { key }).name, byKey.get(key)]).to.include(answers[2 * i + 1]);
          });
          const fromA = keys.filter((k) => byKey.get(k) === assign(Delay, { key: k }).name).length;
          const raced = keys.filter((k, i) => answers[2 * i] !== answers[2 * i + 1]).length;
          console.log(
            `      ${framework}: ${keys.length} users enrolled by both processes at once: ${raced} were answered differently by the two while they raced; ` +
              `the store kept A's variant for ${fromA}, B's for ${keys.length - fromA}`,
          );
          await sleep(CACHE_TTL_MS + 100); // the loser's cache held its own variant until then
          for (const key of keys) {
            for (const p of [a, b])
              expect(((await p.get('/delay').set('x-user-id', key).expect(200)).body as Seen).name, key).to.equal(byKey.get(key));
          }
          expect((await rows(`${framework}-race`)).map((r) => r.variant)).to.deep.equal(stored.map((r) => r.variant));
        });

        it('keeps an anonymous visitor’s variant after they log in, on a second device, and records the alias', async () => {
          const phone = request.agent(a.url);
          const anonymous = await phone.get('/delay').expect(200);
          const visitor = anonymous.body as Seen;
          const idCookie = (anonymous.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('tracks_id='))!;
          const anonymousId = new Signer([SECRET]).unsign(decodeURIComponent(idCookie.split(';')[0]!.slice('tracks_id='.length))).value;
          // A user id that both weightings would put elsewhere: only the store can keep the visitor's variant.
          let n = 0;
          const id = (() => {
            for (; ; n++) {
              const key = `${framework}-login-${n}`;
              if (assign(Delay, { key }).name !== visitor.name && assign(DelayReweighted, { key }).name !== visitor.name) return key;
            }
          })();
          const loggedIn = (await phone.get('/delay').set('x-user-id', id).expect(200)).body as Seen;
          expect(loggedIn).to.include({ key: id, name: visitor.name, reason: 'sticky' });
          await a.ask({ type: 'flush' }, 'flushed');
          const laptop = (await b.get('/delay').set('x-user-id', id).expect(200)).body as Seen;
          expect(laptop).to.include({ name: visitor.name, reason: 'sticky' });
          expect((await rows(`${framework}-login`)).map((r) => [r.user_key, r.variant, r.how])).to.deep.equal([[id, visitor.name, 'anonymous']]);
          expect(anonymousId).to.be.a('string');
          expect(await backend.aliasOf(anonymousId!)).to.equal(id);
        });
      });
    }
  });
