// Key serialisation: the canonical string that is hashed for any key a caller passes.
import { expect } from 'chai';
import { assign, serializeKey, SimpleTrackSet } from '../../src/index.js';

function expectKeyError(key: unknown, why: RegExp): void {
  let thrown: unknown;
  try {
    serializeKey(key);
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `serializeKey should reject a ${typeof key}`).to.be.instanceOf(TypeError);
  expect((thrown as { code?: string }).code).to.equal('ERR_TRACKS_INVALID_KEY');
  expect((thrown as Error).message).to.match(/^key .* is invalid: /);
  expect((thrown as Error).message).to.match(why);
}

class KeyedTracks extends SimpleTrackSet {
  static override setName = 'keyed';
  static aTrack(): string {
    return 'a';
  }
  static bTrack(): string {
    return 'b';
  }
}

describe('serializeKey', () => {
  it('uses a string as it is', () => {
    expect(serializeKey('user-42')).to.equal('user-42');
    expect(serializeKey('a "quoted" key')).to.equal('a "quoted" key');
    expect(serializeKey('用户')).to.equal('用户');
  });

  it('treats the empty string as a key, not as "no key"', () => {
    expect(serializeKey('')).to.equal('');
    const a = assign(KeyedTracks, { key: '' });
    expect(a.key).to.equal('');
    expect(a.reason).to.equal('hash');
    expect(assign(KeyedTracks, { key: '' }).name).to.equal(a.name);
  });

  it("serialises an integer to its decimal string, so 42 and '42' are the same key", () => {
    expect(serializeKey(42)).to.equal('42');
    expect(serializeKey(-7)).to.equal('-7');
    expect(serializeKey(0)).to.equal('0');
    expect(serializeKey(-0)).to.equal('0');
    expect(serializeKey(Number.MAX_SAFE_INTEGER)).to.equal('9007199254740991');
    for (let i = 0; i < 200; i++) {
      expect(assign(KeyedTracks, { key: i }).name).to.equal(assign(KeyedTracks, { key: String(i) }).name);
    }
  });

  it('serialises a bigint to its decimal digits, the same key as the number or string', () => {
    expect(serializeKey(42n)).to.equal('42');
    expect(serializeKey(2n ** 64n)).to.equal('18446744073709551616');
    expect(serializeKey(-(2n ** 70n))).to.equal('-1180591620717411303424');
  });

  it("serialises other numbers as JavaScript's shortest round-trip decimal", () => {
    expect(serializeKey(3.5)).to.equal('3.5');
    expect(serializeKey(0.1)).to.equal('0.1');
    expect(serializeKey(1e21)).to.equal('1e+21');
    expect(serializeKey(2 ** 60)).to.equal('1152921504606847000');
  });

  it("serialises booleans as 'true' and 'false'", () => {
    expect(serializeKey(true)).to.equal('true');
    expect(serializeKey(false)).to.equal('false');
  });

  it('serialises objects canonically: member order does not matter', () => {
    expect(serializeKey({ b: 1, a: 2 })).to.equal('{"a":2,"b":1}');
    expect(serializeKey({ a: 2, b: 1 })).to.equal(serializeKey({ b: 1, a: 2 }));
    expect(serializeKey({ org: 'acme', user: { z: [1, 2], id: 7 } })).to.equal('{"org":"acme","user":{"id":7,"z":[1,2]}}');
    expect(assign(KeyedTracks, { key: { id: 7, org: 'acme' } }).name).to.equal(assign(KeyedTracks, { key: { org: 'acme', id: 7 } }).name);
  });

  it('sorts object members by UTF-16 code unit', () => {
    expect(serializeKey({ b: 0, B: 0, a: 0, _: 0, '10': 0, '9': 0, é: 0 })).to.equal('{"10":0,"9":0,"B":0,"_":0,"a":0,"b":0,"é":0}');
    expect(serializeKey({ '\u{1f600}': 1, '\uffff': 2 })).to.equal('{"\u{1f600}":1,"\uffff":2}');
  });

  it('keeps array order, and writes nested values as JSON', () => {
    expect(serializeKey([2, 1])).to.equal('[2,1]');
    expect(serializeKey([2, 1])).not.to.equal(serializeKey([1, 2]));
    expect(serializeKey(['a"b', null, true, 1.5, 10n])).to.equal('["a\\"b",null,true,1.5,10]');
    expect(serializeKey([])).to.equal('[]');
    expect(serializeKey({})).to.equal('{}');
  });

  it('quotes a string inside an object or array, so it differs from the bare string', () => {
    expect(serializeKey(['42'])).to.equal('["42"]');
    expect(serializeKey([42])).to.equal('[42]');
  });

  it('skips undefined object members and writes undefined array items and holes as null', () => {
    expect(serializeKey({ a: 1, b: undefined })).to.equal('{"a":1}');
    expect(serializeKey([1, undefined, 3])).to.equal('[1,null,3]');
    // eslint-disable-next-line no-sparse-arrays
    expect(serializeKey([1, , 3])).to.equal('[1,null,3]');
  });

  it('honours toJSON, as JSON.stringify does', () => {
    const date = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(serializeKey(date)).to.equal('"2024-01-02T03:04:05.000Z"');
    expect(serializeKey({ when: date })).to.equal('{"when":"2024-01-02T03:04:05.000Z"}');
    expect(serializeKey({ toJSON: () => ({ b: 2, a: 1 }) })).to.equal('{"a":1,"b":2}');
  });

  it('accepts the same object twice when it is not a cycle', () => {
    const shared = { id: 1 };
    expect(serializeKey({ a: shared, b: [shared, shared] })).to.equal('{"a":{"id":1},"b":[{"id":1},{"id":1}]}');
  });

  it('rejects functions and symbols with a TypeError and a code', () => {
    expectKeyError(() => 1, /function cannot be serialised/);
    expectKeyError(Symbol('user'), /symbol cannot be serialised/);
    expectKeyError({ id: 1, load: () => 1 }, /function cannot be serialised/);
    expectKeyError([Symbol.iterator], /symbol cannot be serialised/);
  });

  it('rejects NaN and infinities, at the top level and nested', () => {
    expectKeyError(NaN, /not a finite number/);
    expectKeyError(Infinity, /not a finite number/);
    expectKeyError(-Infinity, /not a finite number/);
    expectKeyError({ score: NaN }, /not finite/);
    expectKeyError([1, Infinity], /not finite/);
  });

  it('rejects cycles, including a toJSON that returns its own object', () => {
    const loop: Record<string, unknown> = { id: 1 };
    loop.self = loop;
    expectKeyError(loop, /cycle/);
    const list: unknown[] = [1];
    list.push({ back: list });
    expectKeyError(list, /cycle/);
    expectKeyError(
      {
        toJSON() {
          return this;
        },
      },
      /cycle/,
    );
  });

  it('makes assign throw on an unserialisable key instead of guessing', () => {
    expect(() => assign(KeyedTracks, { key: NaN }))
      .to.throw(TypeError)
      .with.property('code', 'ERR_TRACKS_INVALID_KEY');
  });
});

describe('no key', () => {
  it('means a random variant for null and undefined', () => {
    for (const key of [null, undefined]) {
      const a = assign(KeyedTracks, { key });
      expect(a.key).to.equal(null);
      expect(a.reason).to.equal('random');
    }
    expect(assign(KeyedTracks).reason).to.equal('random');
  });

  it('spreads users without a key over every variant', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(assign(KeyedTracks).name);
    expect([...seen].sort()).to.deep.equal(['a', 'b', 'control']);
  });
});
