// assign(Set, { key, controls }): run-time controls override the statics, refused whole, and coverage moves no one.
import { expect } from 'chai';
import { assign, MultiTrackSet, SimpleTrackSet, TracksError, type SetControl } from '../../src/index.js';
import { compileTrackSet } from '../../src/engine/compile.js';
import { controlledSet, rulesUnder } from '../../src/engine/controlled-set.js';

class Pricing extends SimpleTrackSet {
  static override setName = 'ctl-pricing';
  static cheapTrack(): string {
    return 'cheap';
  }
  static expensiveTrack(): string {
    return 'expensive';
  }
}

class Killed extends SimpleTrackSet {
  static override setName = 'ctl-killed';
  static override disabled = true;
  static onTrack(): void {}
}

class ThirtyPercent extends SimpleTrackSet {
  static override setName = 'ctl-pricing';
  static override coverage = 0.3;
  static cheapTrack(): void {}
  static expensiveTrack(): void {}
}

class Legacy extends SimpleTrackSet {
  static override setName = 'ctl-legacy';
  static override algorithm = 'python' as const;
  static aTrack(): void {}
}

class Vip extends SimpleTrackSet {
  static override setName = 'ctl-vip';
  static aTrack(): void {}
  override isEligible(): boolean {
    return false;
  }
}

const KEYS = Array.from({ length: 4000 }, (_, i) => `user-${i}`);
const controls = (entries: Record<string, SetControl>): Map<string, SetControl> => new Map(Object.entries(entries));
const under = (control: SetControl): string[] => KEYS.map((key) => assign(Pricing, { key, controls: controls({ 'ctl-pricing': control }) }).name);

function thrown(run: () => unknown): TracksError {
  try {
    run();
  } catch (error) {
    if (error instanceof TracksError) return error;
    throw error;
  }
  throw new Error('expected a TracksError');
}

describe('run-time controls in assign', () => {
  it('gives everyone control with reason disabled when the control disables the set', () => {
    const a = assign(Pricing, { key: 'user-1', controls: controls({ 'ctl-pricing': { disabled: true } }) });
    expect([a.name, a.reason, a.isExposure]).to.deep.equal(['control', 'disabled', false]);
  });

  it('gives everyone the pinned variant with reason pinned, without asking isEligible', () => {
    const a = assign(Vip, { key: 'user-1', controls: controls({ 'ctl-vip': { pinned: 'a' } }) });
    expect([a.name, a.reason, a.isExposure]).to.deep.equal(['a', 'pinned', false]);
  });

  it('lets disabled beat pinned, as the statics do', () => {
    const a = assign(Pricing, { key: 'user-1', controls: controls({ 'ctl-pricing': { disabled: true, pinned: 'cheap' } }) });
    expect(a.reason).to.equal('disabled');
  });

  it('runs a set the class disables when the control says disabled: false', () => {
    expect(assign(Killed, { key: 'user-1' }).reason).to.equal('disabled');
    const a = assign(Killed, { key: 'user-1', controls: controls({ 'ctl-killed': { disabled: false } }) });
    expect(a.reason).to.equal('hash');
  });

  it('leaves sets without a control to their statics', () => {
    const plain = KEYS.map((key) => assign(Pricing, { key }).name);
    expect(under({})).to.deep.equal(plain);
    expect(KEYS.map((key) => assign(Pricing, { key, controls: controls({ other: { disabled: true } }) }).name)).to.deep.equal(plain);
  });

  it('assigns under a coverage control exactly as under the same static coverage', () => {
    const statics = KEYS.map((key) => assign(ThirtyPercent, { key }));
    const controlled = KEYS.map((key) => assign(Pricing, { key, controls: controls({ 'ctl-pricing': { coverage: 0.3 } }) }));
    expect(controlled.map((a) => [a.name, a.reason])).to.deep.equal(statics.map((a) => [a.name, a.reason]));
    expect(controlled.filter((a) => a.reason === 'coverage').length).to.be.within(2600, 2990);
  });

  it('moves no user between variants when coverage is raised or lowered at run time', () => {
    const steps = [0.1, 0.5, 0.2, 1, 0.05].map((coverage) => ({ coverage, names: under({ coverage }) }));
    const full = under({ coverage: 1 });
    for (const { coverage, names } of steps) {
      names.forEach((name, i) => {
        // In the test at this coverage: the variant full coverage gives; else control by coverage.
        if (name !== 'control' || full[i] === 'control') expect(name, `${KEYS[i]} at ${coverage}`).to.equal(full[i]);
      });
    }
    // Raising coverage only adds users: whoever was in a variant at 0.1 is in the same one at 0.5.
    const [low, high] = [steps[0]!.names, steps[1]!.names];
    low.forEach((name, i) => {
      if (name !== 'control') expect(high[i]).to.equal(name);
    });
    expect(low.filter((n) => n !== 'control').length).to.be.below(high.filter((n) => n !== 'control').length);
  });

  it('applies a member set’s control inside a MultiTrackSet', () => {
    class Both extends MultiTrackSet {
      static override setName = 'ctl-both';
      static override trackSets = [Pricing, Vip];
    }
    const a = assign(Both, { key: 'user-7', controls: controls({ 'ctl-pricing': { pinned: 'expensive' } }) });
    expect(a.trackSetName).to.equal('ctl-pricing');
    expect([a.name, a.track?.reason]).to.deep.equal(['expensive', 'pinned']);
  });

  it('refuses a control naming an unknown variant whole, with a did-you-mean', () => {
    const error = thrown(() => assign(Pricing, { key: 'u', controls: controls({ 'ctl-pricing': { pinned: 'cheep', disabled: true } }) }));
    expect(error.code).to.equal('ERR_TRACKS_INVALID_CONTROL');
    expect(error.message).to.equal(
      'track set "ctl-pricing": control pinned is invalid: "cheep" (did you mean "cheap"? variants: control, cheap, expensive)',
    );
  });

  it('ignores a refused control (not even its valid fields) and tells onError', () => {
    const seen: Array<[string, string]> = [];
    const a = assign(Pricing, {
      key: 'user-1',
      controls: controls({ 'ctl-pricing': { pinned: 'nope', disabled: true } }),
      onError: (error, setName) => seen.push([setName, (error as Error).message]),
    });
    expect(a.reason).to.equal('hash');
    expect(seen).to.have.length(1);
    expect(seen[0]![0]).to.equal('ctl-pricing');
  });

  it('refuses malformed controls with messages that name the field', () => {
    const cases: Array<[unknown, string]> = [
      [{ disable: true }, 'control disable is unknown (did you mean disabled? known: disabled, pinned, coverage, paused)'],
      [{ disabled: 'yes' }, 'control disabled is invalid: "yes" (expected true or false)'],
      [{ coverage: 1.5 }, 'control coverage is invalid: 1.5 (expected a number from 0 to 1)'],
      [{ coverage: Number.NaN }, 'control coverage is invalid: null (expected a number from 0 to 1)'],
      [{ pinned: '' }, 'control pinned is invalid: "" (expected a variant name)'],
    ];
    for (const [control, message] of cases) {
      const error = thrown(() => assign(Pricing, { key: 'u', controls: controls({ 'ctl-pricing': control as SetControl }) }));
      expect(error.message).to.equal(`track set "ctl-pricing": ${message}`);
    }
  });

  it("refuses coverage on a set with algorithm 'python'", () => {
    const error = thrown(() => assign(Legacy, { key: 'u', controls: controls({ 'ctl-legacy': { coverage: 0.5 } }) }));
    expect(error.message).to.include("control coverage is invalid: 0.5 (algorithm 'python'");
  });

  it('derives the controlled set once per control object, sharing variants, bounds and masked names', () => {
    const set = compileTrackSet(Pricing);
    const control: SetControl = Object.freeze({ coverage: 0.4 });
    const first = rulesUnder(set, control);
    expect(rulesUnder(set, control)).to.equal(first);
    expect(rulesUnder(set, { coverage: 0.4 })).not.to.equal(first);
    const derived = controlledSet(set, control);
    expect(derived).not.to.equal(set);
    expect([derived.variants, derived.bounds, derived.masked, derived.byName]).to.deep.equal([set.variants, set.bounds, set.masked, set.byName]);
    expect(derived.variants).to.equal(set.variants);
    expect(Object.isFrozen(derived)).to.equal(true);
  });
});
