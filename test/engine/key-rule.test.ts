// The one key rule: which serialised keys can be an identity, and how the provider and the store client apply it.
import { expect } from 'chai';
import { OpenFeature } from '@openfeature/server-sdk';
import { TracksProvider } from '../../adapters/openfeature.js';
import { checkKey, keyProblem, MAX_KEY_LENGTH } from '../../src/engine/key-rule.js';
import { MemoryAssignmentStore, StoreClient, type ExposureEvent, type StoreFailure } from '../../src/index.js';
import { DelayTracks } from '../adapters/sets.js';

describe('the key rule', () => {
  it('takes any well-formed string up to MAX_KEY_LENGTH code units, the empty string and astral characters included', () => {
    for (const key of ['', 'user-42', 'josé', '用户', '🙂', 'user\uFFFD', '\uD83D\uDE42x', 'k'.repeat(MAX_KEY_LENGTH)]) {
      expect(keyProblem(key), JSON.stringify(key)).to.equal(null);
      expect(checkKey(key)).to.equal(key);
    }
  });

  it('refuses NUL, unpaired surrogates (high or low, at either end) and over-long keys, with ERR_TRACKS_INVALID_KEY', () => {
    const refused: Record<string, RegExp> = {
      'evil\u0000key': /NUL character \(at 4\)/,
      '\u0000': /NUL/,
      'user\uD800': /unpaired surrogate \(at 4\)/,
      '\uDC00user': /unpaired surrogate \(at 0\)/,
      'a\uDC00\uD800b': /unpaired surrogate \(at 1\)/,
      ['k'.repeat(MAX_KEY_LENGTH + 1)]: /longer than 500 characters \(501\)/,
    };
    for (const [key, why] of Object.entries(refused)) {
      expect(keyProblem(key), JSON.stringify(key)).to.match(why);
      expect(() => checkKey(key))
        .to.throw(TypeError, why)
        .with.property('code', 'ERR_TRACKS_INVALID_KEY');
    }
  });
});

describe('the key rule in the OpenFeature provider', () => {
  after(() => OpenFeature.close());

  it('answers the default with INVALID_CONTEXT for a refused targeting key, tells onError, and logs no exposure', async () => {
    const errors: unknown[] = [];
    const exposures: ExposureEvent<unknown>[] = [];
    await OpenFeature.setProviderAndWait(
      'key-rule',
      new TracksProvider([DelayTracks], {
        onExposure: (e) => void exposures.push(e),
        onError: (e, info) => void errors.push([(e as { code?: string }).code, info.where]),
      }),
    );
    const flags = OpenFeature.getClient('key-rule');
    for (const key of ['evil\u0000key', 'user\uD800', 'k'.repeat(MAX_KEY_LENGTH + 1)]) {
      const details = await flags.getStringDetails('delay', 'fallback', { targetingKey: key, vip: false });
      expect([details.value, details.reason, details.errorCode]).to.deep.equal(['fallback', 'ERROR', 'INVALID_CONTEXT']);
    }
    expect(errors).to.deep.equal(Array(3).fill(['ERR_TRACKS_INVALID_KEY', 'key']));
    expect(exposures).to.deep.equal([]);
    const good = await flags.getStringDetails('delay', 'fallback', { targetingKey: 'user\uFFFD', vip: false });
    expect(good.reason).to.equal('SPLIT');
  });
});

describe('the key rule in the store client', () => {
  it('never asks the store for a refused key, and refuses records whose key or id breaks the rule', async () => {
    const store = new MemoryAssignmentStore();
    let loads = 0;
    const counting = Object.assign(Object.create(store) as MemoryAssignmentStore, {
      load: (key: string) => (loads++, store.load(key)),
    });
    const failures: StoreFailure[] = [];
    const client = new StoreClient(counting, { flushIntervalMs: 5, onError: (_e, info) => void failures.push(info) });
    expect(await client.load('user\uD800')).to.equal(null);
    expect(loads).to.equal(0);
    client.save([{ key: 'user\uD800', setName: 'delay', variant: 'long', assignedAt: new Date(), how: 'hash' }]);
    client.alias([{ anonymousId: 'anon\u0000', key: 'user', aliasedAt: new Date() }]);
    expect(failures.map((f) => [f.operation, 'reason' in f ? f.reason : null])).to.deep.equal([
      ['load', 'invalid'],
      ['save', 'invalid'],
      ['alias', 'invalid'],
    ]);
    expect(client.stats.invalid).to.equal(3);
    await client.close();
  });

  it('splits a batch the store refuses for one record, drops that record, and writes the rest', async () => {
    const store = new MemoryAssignmentStore();
    const picky = Object.assign(Object.create(store) as MemoryAssignmentStore, {
      load: (key: string) => store.load(key),
      save: (records: readonly Parameters<MemoryAssignmentStore['save']>[0][number][]) =>
        records.some((r) => r.key === 'picky-7')
          ? Promise.reject(Object.assign(new Error('value too long'), { code: '22001' }))
          : store.save(records),
    });
    const failures: StoreFailure[] = [];
    const client = new StoreClient(picky, { flushIntervalMs: 5, onError: (_e, info) => void failures.push(info) });
    const at = new Date();
    client.save(
      Array.from({ length: 20 }, (_, i) => ({ key: `picky-${i}`, setName: 'delay', variant: 'long', assignedAt: at, how: 'hash' as const })),
    );
    expect(await client.flush(5000)).to.equal(true);
    expect(client.stats).to.include({ written: 19, refused: 1, dropped: 0, failures: 0 });
    expect(failures).to.deep.equal([{ operation: 'write', refused: true, attempt: 0, items: 1, retryInMs: 0 }]);
    expect((await store.load('picky-8')).get('delay')?.variant).to.equal('long');
    expect((await store.load('picky-7')).size).to.equal(0);
    // The refused record no longer shows in this process as if it were saved.
    expect((await client.load('picky-7'))?.size).to.equal(0);
    await client.close();
  });
});
