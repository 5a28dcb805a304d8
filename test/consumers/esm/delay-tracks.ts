// A track set with three variants (control, short, long), as a user of the package defines it.
import { SimpleTrackSet } from 'tracks-ab';

/** How long the catalog waits before it answers. */
export class DelayTracks extends SimpleTrackSet {
  static override setName = 'delay';
  static shortTrack(): Promise<void> {
    return new Promise((done) => setTimeout(done, 100));
  }
  static longTrack(): Promise<void> {
    return new Promise((done) => setTimeout(done, 400));
  }
}
