// PlanOut.js: an Experiment whose one parameter is a UniformChoice over the three variants.
import { createRequire } from 'node:module';

// Its dist bundle is CommonJS whose names ESM cannot see, so it is required.
const requireCjs = createRequire(import.meta.url);
/** @type {typeof import('planout')} */
const planout = requireCjs('planout');
const choices = ['control', 'a', 'b'];

class Exp extends planout.Experiment {
  setup() {
    this.setName('exp');
  }
  assign(params, args) {
    params.set('variant', new planout.Ops.Random.UniformChoice({ choices, unit: args.userId }));
  }
  // A fixed list, not getDefaultParamNames(), which parses the source of assign() on every call.
  getParamNames() {
    return ['variant'];
  }
  // Exposure logging is off: measured here is assignment, as for every other case.
  configureLogger() {}
  log() {}
  previouslyLogged() {
    return true;
  }
}

/**
 * @param {string} id `planout`
 * @returns {import('../case.js').Case}
 */
export function create(id) {
  if (id !== 'planout') throw new Error(`unknown case ${id}`);
  return { variants: choices, assign: (key) => new Exp({ userId: key }).get('variant', undefined) };
}
