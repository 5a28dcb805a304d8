// Golden vectors of algorithm v1, step by step, and the worked examples of docs/assignment.md.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assign, bucketOf, murmur3, serializeKey, variantsOf } from '../../src/index.js';
import { compile, maskName } from '../../src/engine/compile.js';
import { keyOf, makeMulti, makeSet, type FixtureKey } from '../support/sets.js';

interface GoldenSet {
  name: string;
  kind: 'simple' | 'param';
  variants: string[];
  addControlTrack: boolean;
  weights: Record<string, number> | null;
  coverage: number;
  order: string[];
  bounds: number[];
  coveredEnds: number[];
  cases: { key: FixtureKey; serialized: string; hash: number; bucket: number; variant: string; reason: string }[];
}
interface GoldenMulti {
  name: string;
  ownName: boolean;
  members: { name: string; weight: number; eligible: boolean }[];
  cases: { key: FixtureKey; bucket: number; set: string; variant: string }[];
}
const golden = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'assignment-v1.json'), 'utf8')) as {
  algorithm: string;
  sets: GoldenSet[];
  multi: GoldenMulti[];
  masked: { name: string; hash: number; masked: string }[];
};

const show = (key: FixtureKey): string => JSON.stringify(key);

describe('algorithm v1 golden vectors', () => {
  it('is the v1 table', () => {
    expect(golden.algorithm).to.equal('v1');
    expect(golden.sets.length).to.be.at.least(8);
  });

  for (const g of golden.sets) {
    describe(`set "${g.name}" (${g.order.length} variants, coverage ${g.coverage}${g.weights ? ', weighted' : ''})`, () => {
      const cls = makeSet({ ...g, algorithm: 'v1' });

      it('orders the variants and lays out the bucket ranges', () => {
        expect(variantsOf(cls)).to.deep.equal(g.order);
        const compiled = compile(cls);
        if (compiled.kind !== 'set') throw new Error('expected a set');
        expect(Array.from(compiled.bounds)).to.deep.equal(g.bounds);
        expect(Array.from(compiled.ends)).to.deep.equal(g.coveredEnds);
      });

      it(`serialises, hashes and buckets ${g.cases.length} keys as recorded`, () => {
        for (const c of g.cases) {
          const serialized = serializeKey(keyOf(c.key));
          expect(serialized, show(c.key)).to.equal(c.serialized);
          const hash = murmur3(`${g.name}:${serialized}`);
          expect(hash, show(c.key)).to.equal(c.hash);
          expect(bucketOf(hash), show(c.key)).to.equal(c.bucket);
        }
      });

      it('gives every key its recorded variant and reason', () => {
        for (const c of g.cases) {
          const a = assign(cls, { key: keyOf(c.key) });
          expect([a.name, a.reason], show(c.key)).to.deep.equal([c.variant, c.reason]);
        }
      });

      it('follows the rule: bucket in range i and below its covered end gives variant i, else control', () => {
        for (const c of g.cases) {
          const i = g.bounds.findIndex((start, j) => j < g.order.length && start <= c.bucket && c.bucket < g.bounds[j + 1]!);
          const expected = c.bucket < g.coveredEnds[i]! ? [g.order[i], 'hash'] : ['control', 'coverage'];
          expect([c.variant, c.reason], show(c.key)).to.deep.equal(expected);
        }
      });
    });
  }

  for (const m of golden.multi) {
    it(`chooses the recorded member of MultiTrackSet "${m.name}" for every key`, () => {
      const members = m.members.map((member) => {
        const g = golden.sets.find((s) => s.name === member.name)!;
        return makeSet({ ...g, weight: member.weight, eligible: member.eligible ? undefined : false });
      });
      const multi = makeMulti(members, { name: m.ownName ? m.name : undefined });
      const eligible = m.members.filter((x) => x.eligible);
      const total = eligible.reduce((sum, x) => sum + x.weight, 0);
      for (const c of m.cases) {
        expect(bucketOf(murmur3(`${m.name}:${serializeKey(keyOf(c.key))}`)), show(c.key)).to.equal(c.bucket);
        // The rule: the first eligible member whose rounded cumulative bound exceeds the bucket.
        let cumulative = 0;
        const chosen = eligible.find((x) => c.bucket < Math.round((10000 * (cumulative += x.weight)) / total))!;
        expect(chosen.name, show(c.key)).to.equal(c.set);
        const a = assign(multi, { key: keyOf(c.key) });
        expect(a.setName).to.equal(m.name);
        expect([a.trackSetName, a.name], show(c.key)).to.deep.equal([c.set, c.variant]);
      }
    });
  }

  it('masks names as the first 7 of the 8 zero-padded hex digits of their MurmurHash3', () => {
    expect(golden.masked.some((x) => x.masked.startsWith('0'))).to.equal(true);
    for (const x of golden.masked) {
      expect(murmur3(x.name), x.name).to.equal(x.hash);
      expect(maskName(x.name, 'v1'), x.name).to.equal(x.masked);
    }
  });
});

describe('the worked examples of docs/assignment.md', () => {
  const pricing = makeSet({ name: 'pricing', variants: ['expensive', 'cheap'] });

  it('assigns pricing by the steps shown', () => {
    expect(Buffer.from('pricing:user-42', 'utf8').toString('hex')).to.equal('70726963696e673a757365722d3432');
    expect(murmur3('pricing:user-42')).to.equal(0x82b755cd);
    expect(bucketOf(0x82b755cd)).to.equal(5106);
    expect(assign(pricing, { key: 'user-42' }).name).to.equal('cheap');
    expect([murmur3('pricing:42'), bucketOf(murmur3('pricing:42')), assign(pricing, { key: 42 }).name]).to.deep.equal([0x03f6bd3f, 154, 'control']);
    const objectKey = { org: 'acme', id: 7 };
    expect(serializeKey(objectKey)).to.equal('{"id":7,"org":"acme"}');
    expect(murmur3(`pricing:${serializeKey(objectKey)}`)).to.equal(0xd21f7f81);
    expect(assign(pricing, { key: objectKey }).name).to.equal('expensive');
    expect([murmur3('pricing:'), bucketOf(murmur3('pricing:')), assign(pricing, { key: '' }).name]).to.deep.equal([0x84f327f8, 5193, 'cheap']);
    expect(Buffer.from('pricing:josé', 'utf8').toString('hex')).to.equal('70726963696e673a6a6f73c3a9');
  });

  it('applies weights and coverage to search as the table shows', () => {
    const search = makeSet({ name: 'search', variants: ['ranked', 'fuzzy'], weights: { control: 50, ranked: 30, fuzzy: 20 }, coverage: 0.2 });
    const full = makeSet({ name: 'search', variants: ['ranked', 'fuzzy'], weights: { control: 50, ranked: 30, fuzzy: 20 } });
    const rows: [string, number, string, string][] = [
      ['user-22', 600, 'control', 'hash'],
      ['user-3', 2248, 'control', 'coverage'],
      ['user-11', 5336, 'fuzzy', 'hash'],
      ['user-13', 7579, 'ranked', 'hash'],
      ['user-20', 8421, 'control', 'coverage'],
    ];
    for (const [key, bucket, name, reason] of rows) {
      expect(bucketOf(murmur3(`search:${key}`)), key).to.equal(bucket);
      const a = assign(search, { key });
      expect([a.name, a.reason], key).to.deep.equal([name, reason]);
    }
    expect(['user-11', 'user-13', 'user-20'].map((key) => assign(full, { key }).name)).to.deep.equal(['fuzzy', 'ranked', 'ranked']);
  });

  it('chooses in the MultiTrackSet pricing/super_name as shown', () => {
    const multi = makeMulti([
      makeSet({ name: 'pricing', variants: ['expensive', 'cheap'], weight: 1000 }),
      makeSet({ name: 'super_name', variants: ['changed_name'] }),
    ]);
    expect([murmur3('pricing/super_name:user-42'), bucketOf(1769723531)]).to.deep.equal([1769723531, 4120]);
    const a = assign(multi, { key: 'user-42' });
    expect([a.setName, a.trackSetName, a.name]).to.deep.equal(['pricing/super_name', 'pricing', 'cheap']);
    expect(bucketOf(murmur3('pricing/super_name:user-10'))).to.equal(9281);
    expect(bucketOf(murmur3('super_name:user-10'))).to.equal(2934);
    const b = assign(multi, { key: 'user-10' });
    expect([b.trackSetName, b.name]).to.deep.equal(['super_name', 'control']);
  });

  it('assigns in python mode as shown', () => {
    const py = makeSet({ name: 'pricing', variants: ['expensive', 'cheap'], algorithm: 'python', weight: 1000 });
    expect(assign(py, { key: 'user-42' }).name).to.equal('control');
    expect(assign(py, { key: 42 }).name).to.equal('expensive');
    const multi = makeMulti([py, makeSet({ name: 'super_name', variants: ['changed_name'], algorithm: 'python' })], { algorithm: 'python' });
    const m = assign(multi, { key: 'user-42' });
    expect([m.trackSetName, m.name]).to.deep.equal(['pricing', 'control']);
  });

  it('masks the names shown', () => {
    expect(['pricing', 'cheap', 'control', 'expensive'].map((n) => maskName(n, 'v1'))).to.deep.equal(['b664c1d', 'c963304', 'bd3d244', '0b4fc98']);
    expect(['pricing', 'cheap', 'control'].map((n) => maskName(n, 'python'))).to.deep.equal(['59aab28', 'e40b34e', 'fc5364b']);
  });
});
