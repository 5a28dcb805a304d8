// Set classes the strict-set tests build: every option of each kind, misspellings of them, and the refusal they must meet.
import { expect } from 'chai';
import { editDistance } from '../../src/engine/did-you-mean.js';
import { assign, MultiTrackSet, ParamTrackSet, SimpleTrackSet, TracksError, type AnySetClass } from '../../src/index.js';

export type Kind = 'simple' | 'param' | 'multi';

export class Member extends SimpleTrackSet {
  static override setName = 'member';
  static aTrack(): void {}
}

/** A value each option might be given, so a misspelt static carries what the user meant. */
export const MEANT: Record<string, unknown> = {
  setName: 'checkout',
  weight: 1000,
  addControlTrack: false,
  weights: { control: 1, a: 1, b: 2 },
  coverage: 0.5,
  disabled: true,
  pinned: 'a',
  algorithm: 'python',
  params: [{ n: 1 }, { n: 2 }],
  trackName: (p: { n: number }) => `n${p.n}`,
  track: () => 'ran',
  trackSets: [Member],
};

export const SET_OPTIONS = ['setName', 'weight', 'addControlTrack', 'weights', 'coverage', 'disabled', 'pinned', 'algorithm'];
export const OPTIONS: Record<Kind, readonly string[]> = {
  simple: SET_OPTIONS,
  param: [...SET_OPTIONS, 'params', 'trackName', 'track'],
  multi: ['trackSets', 'setName', 'algorithm'],
};
/** What a valid set of each kind needs besides the option under test. */
export const REQUIRED: Record<Kind, readonly string[]> = {
  simple: ['setName'],
  param: ['setName', 'params', 'trackName', 'track'],
  multi: ['setName', 'trackSets'],
};
export const BASES: Record<Kind, abstract new (...args: never) => unknown> = { simple: SimpleTrackSet, param: ParamTrackSet, multi: MultiTrackSet };

/** A set class of `kind` named CheckoutTracks with exactly these own statics (as a class body would define them). */
export function setClass(kind: Kind, statics: Record<string, unknown>): AnySetClass {
  const base = BASES[kind] as unknown as new () => object;
  const cls = class extends base {};
  Object.defineProperty(cls, 'name', { value: 'CheckoutTracks' });
  if (kind === 'simple') Object.assign(statics, { aTrack: () => 'a', bTrack: () => 'b', ...statics });
  for (const [name, value] of Object.entries(statics)) Object.defineProperty(cls, name, { value, writable: true, configurable: true });
  return cls as unknown as AnySetClass;
}

/** The TracksError that registering `cls` throws (through `assign`, which compiles it). */
export function refusal(cls: unknown): TracksError {
  try {
    assign(cls as AnySetClass, { key: 'k' });
  } catch (error) {
    expect(error).to.be.instanceOf(TracksError);
    expect((error as TracksError).code).to.equal('ERR_TRACKS_INVALID_SET');
    return error as TracksError;
  }
  throw new Error('expected the set to be refused');
}

/** One or two letters off: a letter dropped, two swapped, one doubled, another case; two dropped. */
export function misspellings(option: string): Array<[string, string]> {
  const mid = Math.floor(option.length / 2);
  const found: Array<[string, string]> = [
    ['drop', option.slice(0, mid) + option.slice(mid + 1)],
    ['swap', option.slice(0, mid - 1) + option[mid] + option[mid - 1] + option.slice(mid + 1)],
    ['double', option.slice(0, 2) + option.slice(1)],
    ['case', option === option.toLowerCase() ? option[0]!.toUpperCase() + option.slice(1) : option.toLowerCase()],
  ];
  // Two edits only for names long enough that two edits still say which one was meant.
  if (option.length >= 6) found.push(['drop two', option[0] + option.slice(2, -1)]);
  return found;
}

/** The misspellings that point at `option` alone: none is another option, or as near to one. */
export function unambiguous(kind: Kind, option: string): Array<[string, string]> {
  const lower = (s: string): string => s.toLowerCase();
  return misspellings(option).filter(([, wrong]) => {
    if (OPTIONS[kind].includes(wrong)) return false;
    const mine = editDistance(lower(wrong), lower(option));
    return OPTIONS[kind].every((other) => other === option || editDistance(lower(wrong), lower(other)) > mine);
  });
}
