// toDictionaryMode: no observable change to the object it is given.
import { expect } from 'chai';
import { toDictionaryMode } from '../../adapters/dictionary-mode.js';

describe('toDictionaryMode', () => {
  it('leaves the same own properties, values, order and prototype', () => {
    const proto = { inherited: true };
    const target = Object.assign(Object.create(proto) as Record<string | symbol, unknown>, { a: 1, b: 'two' });
    const tag = Symbol('app');
    target[tag] = 3;
    toDictionaryMode(target);
    expect(Reflect.ownKeys(target)).to.deep.equal(['a', 'b', tag]);
    expect([target.a, target.b, target[tag]]).to.deep.equal([1, 'two', 3]);
    expect(Object.getPrototypeOf(target)).to.equal(proto);
  });

  it('leaves a frozen or non-extensible object alone, without throwing', () => {
    const frozen = Object.freeze({ a: 1 });
    const closed = Object.preventExtensions({ b: 2 });
    expect(() => toDictionaryMode(frozen)).to.not.throw();
    expect(() => toDictionaryMode(closed)).to.not.throw();
    expect(Reflect.ownKeys(frozen)).to.deep.equal(['a']);
    expect(Reflect.ownKeys(closed)).to.deep.equal(['b']);
  });
});
