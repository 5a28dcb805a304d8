// A track set with three variants (control, short, long), in CommonJS syntax.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS consumer: under verbatimModuleSyntax it imports only this way
import tracksAb = require('tracks-ab');

/** How long the catalog waits before it answers. */
class DelayTracks extends tracksAb.SimpleTrackSet {
  static override setName = 'delay';
  static shortTrack(): Promise<void> {
    return new Promise((done) => setTimeout(done, 100));
  }
  static longTrack(): Promise<void> {
    return new Promise((done) => setTimeout(done, 400));
  }
}

export = DelayTracks;
