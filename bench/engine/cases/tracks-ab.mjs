// tracks-ab's `assign` as user code calls it, from the built package (dist/), in both algorithms.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** Loads the built engine; `npm run bench` builds it first. */
export function loadTracks() {
  const entry = fileURLToPath(new URL('../../../dist/src/index.js', import.meta.url));
  return require(entry);
}

/**
 * The brief's experiment, three variants (control first, equal split), in both algorithms.
 * @param {any} SimpleTrackSet the class from the loaded package
 */
export function experiments(SimpleTrackSet) {
  class Exp extends SimpleTrackSet {
    static setName = 'exp';
    static aTrack() {}
    static bTrack() {}
  }
  class ExpPy extends SimpleTrackSet {
    static setName = 'exp';
    static algorithm = 'python';
    static aTrack() {}
    static bTrack() {}
  }
  return { Exp, ExpPy };
}

/**
 * @param {string} id `tracks-default` or `tracks-python`
 * @returns {import('../case.js').Case}
 */
export function create(id) {
  const { SimpleTrackSet, assign } = loadTracks();
  const { Exp, ExpPy } = experiments(SimpleTrackSet);
  if (id === 'tracks-default') return { variants: ['control', 'a', 'b'], assign: (key) => assign(Exp, { key }).name };
  if (id === 'tracks-python') return { variants: ['control', 'a', 'b'], assign: (key) => assign(ExpPy, { key }).name };
  throw new Error(`unknown case ${id}`);
}
