// The track sets the adapter contract serves: the coconut store's tests and a few edge cases.
import { MultiTrackSet, SimpleTrackSet, type Assignment, type MultiAssignment } from '../../src/index.js';

/** Context the contract's apps build from the `x-vip` header. */
export interface ShopContext {
  vip: boolean;
}

/** The slow catalog test: VIPs are kept out of it. */
export class DelayTracks extends SimpleTrackSet<ShopContext> {
  static override setName = 'delay';
  static shortTrack(): string {
    return 'short';
  }
  static longTrack(): string {
    return 'long';
  }
  override isEligible(): boolean {
    return !this.context.vip;
  }
}

/** The same set after its weights changed: most users would now hash to `long`. */
export class DelayReweighted extends SimpleTrackSet<ShopContext> {
  static override setName = 'delay';
  static override weights = { control: 1, short: 1, long: 20 };
  static shortTrack(): void {}
  static longTrack(): void {}
  override isEligible(): boolean {
    return !this.context.vip;
  }
}

/** The same set after a variant was added. */
export class DelayWithMedium extends SimpleTrackSet<ShopContext> {
  static override setName = 'delay';
  static shortTrack(): void {}
  static mediumTrack(): void {}
  static longTrack(): void {}
  override isEligible(): boolean {
    return !this.context.vip;
  }
}

/** A second independent test, open to everyone. */
export class PricingTracks extends SimpleTrackSet {
  static override setName = 'pricing';
  static cheapTrack(): number {
    return -1;
  }
  static expensiveTrack(): number {
    return 1;
  }
}

/** Uneven weights, for the distribution test: 50% / 30% / 20%. */
export class WeightedTracks extends SimpleTrackSet {
  static override setName = 'weighted';
  static override weights = { control: 5, a: 3, b: 2 };
  static aTrack(): void {}
  static bTrack(): void {}
}

/** Members of the multi set: a user is in one of them at most. */
export class ColorTracks extends SimpleTrackSet {
  static override setName = 'color';
  static redTrack(): void {}
  static blueTrack(): void {}
}

export class LayoutTracks extends SimpleTrackSet {
  static override setName = 'layout';
  static gridTrack(): void {}
  static listTrack(): void {}
}

export class Experiments extends MultiTrackSet {
  static override setName = 'experiments';
  static override trackSets = [ColorTracks, LayoutTracks];
}

/** A set rolled out to its winner: everyone gets `b`, nothing is logged. */
export class PinnedTracks extends SimpleTrackSet {
  static override setName = 'pinned';
  static override pinned = 'b';
  static aTrack(): void {}
  static bTrack(): void {}
}

/** A set behind its kill switch. */
export class DisabledTracks extends SimpleTrackSet {
  static override setName = 'disabled';
  static override disabled = true;
  static aTrack(): void {}
}

/** A set whose eligibility check throws. */
export class BrokenTracks extends SimpleTrackSet {
  static override setName = 'broken';
  static aTrack(): void {}
  override isEligible(): boolean {
    throw new Error('isEligible exploded');
  }
}

/** Never registered anywhere: reading it is a programmer error. */
export class UnregisteredTracks extends SimpleTrackSet {
  static override setName = 'unregistered-test';
  static aTrack(): void {}
}

/** What a route sends back for a set's assignment. */
export interface AssignmentView {
  setName: string;
  name: string;
  reason: string;
  isEligible: boolean;
  runId: string | null;
  key: string | null;
  isExposure: boolean;
  persisted: boolean;
}

export function view(a: Assignment): AssignmentView {
  return {
    setName: a.setName,
    name: a.name,
    reason: a.reason,
    isEligible: a.isEligible,
    runId: a.runId,
    key: a.key,
    isExposure: a.isExposure,
    persisted: a.persisted,
  };
}

/** What a route sends back for a multi set's assignment. */
export interface MultiView {
  setName: string;
  trackSetName: string | null;
  name: string;
  reason: string;
  isEligible: boolean;
}

export function multiView(a: MultiAssignment): MultiView {
  return { setName: a.setName, trackSetName: a.trackSetName, name: a.name, reason: a.reason, isEligible: a.isEligible };
}
