// The check the configuration-error tests share: using a set throws ERR_TRACKS_INVALID_SET naming the set and what is wrong.
import { expect } from 'chai';
import { assign, TracksError, type AnySetClass } from '../../src/index.js';

/** Asserts that using `set` throws ERR_TRACKS_INVALID_SET, and that the message names the set and each of `words`. */
export function expectSetError(set: unknown, setName: string, ...words: string[]): TracksError {
  let thrown: unknown;
  try {
    assign(set as AnySetClass, { key: 'k' });
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `using set ${setName} should throw`).to.be.instanceOf(TracksError);
  const error = thrown as TracksError;
  expect(error.code).to.equal('ERR_TRACKS_INVALID_SET');
  expect(error.name).to.equal('TracksError');
  expect(error.message).to.include(setName);
  for (const word of words) expect(error.message).to.include(word);
  return error;
}
